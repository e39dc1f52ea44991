"""The machine a benchmark ran on, and the thread limits it ran under.

Imported by every script in benchmarks/, so that each recorded result says where
it came from: processor, cores, Python, NumPy and its BLAS, and the date.
"""

from __future__ import annotations

import contextlib
import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what platform knows elsewhere."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def limit_threads(threads: int) -> None:
    """Ask every numerical library for exactly `threads` threads.

    The environment variables must be set before NumPy, PyTorch or JAX load
    their libraries; the script calls this first. PyTorch's own setting is
    applied again when it is imported (see implementations.py).
    """
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "BLIS_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    ):
        os.environ[name] = str(threads)
    flags = os.environ.get("XLA_FLAGS", "")
    if threads == 1:
        flags += " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    os.environ["XLA_FLAGS"] = flags.strip()


def versions() -> dict[str, str]:
    """Versions of the libraries that matter here, where installed."""
    found = {}
    for name in ("numpy", "torch", "jax", "jaxlib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def blas() -> list[dict[str, Any]]:
    """The BLAS and OpenMP libraries loaded in this process, from threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl is not installed"}]
    keys = ("internal_api", "version", "num_threads", "architecture", "threading_layer")
    return [{k: info.get(k) for k in keys} for info in threadpool_info()]


def describe() -> dict[str, Any]:
    """Everything a reader needs to know about where a result was measured."""
    return {
        "recorded": datetime.now(UTC).strftime("%Y-%m-%d"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": versions(),
        "blas": blas(),
        "load_average": round(os.getloadavg()[0], 2)
        if hasattr(os, "getloadavg")
        else None,
    }
