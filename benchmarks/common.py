"""What every benchmark script shares: its command line, the machine, thread limits, timing.

pyperf is not used: its runner owns each benchmark's worker processes one
benchmark at a time, where these scripts alternate rivals round by round so
that a busy spell of a shared machine falls on all of them alike.

Each recorded result says where it came from (processor, cores, Python, NumPy and
its BLAS, the date and the load), and every time in it is summarised the same
way: the median of several repeats, with the fastest and the slowest beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's command line: its docstring as help, and ``--smoke``."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, fewest turns, nothing written"
    )
    return parser


def show(record: dict[str, Any], result: Path) -> None:
    """What a smoke run would write to `result`, printed; the file is left alone."""
    print(json.dumps(record, indent=2))
    print(f"smoke run: {result.name} not written")


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


def timing(
    work: Callable[[], object],
    repeats: int = 7,
    budget: float = 0.25,
    per_call: int = 1,
    smoke: bool = False,
) -> dict[str, Any]:
    """Seconds per unit of `work`: median, min and max over `repeats`.

    Each repeat calls `work` enough times to last about `budget` seconds, after
    one warm-up call; `per_call` is how many units one call performs. With
    `smoke`, one repeat of at most 0.02 seconds: enough to run `work`, not to
    time it.
    """
    if smoke:
        repeats, budget = 1, min(budget, 0.02)
    work()  # warm up: compile, allocate, fault in pages
    start = time.perf_counter()
    work()
    one = max(time.perf_counter() - start, 1e-7)
    calls = max(1, min(100_000, int(budget / one)))
    if one > 1.0:  # long calls: a few repeats are enough
        repeats = min(repeats, 3)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        samples.append((time.perf_counter() - start) / (calls * per_call))
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "calls": calls * repeats,
        "samples": samples,
    }


def fastest_tenth(times: list[float]) -> float:
    """The time that a tenth of the turns beat: the least disturbed by a busy machine."""
    return statistics.quantiles(times, n=10)[0]


def spread(times: list[float]) -> dict[str, float]:
    """Median, min, max and fastest tenth of a list of seconds."""
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "fastest_tenth": fastest_tenth(times),
    }


def in_blocks(
    rivals: dict[str, Callable[[], object]], rounds: int
) -> dict[str, list[float]]:
    """Seconds per call of each rival, over `rounds` short turns in two blocks of its own.

    Each rival runs on its own for a block, so that the heap is in the state that
    repeating that one call leaves, as in a program that does only that; two
    passes over the rivals spread a busy spell of the machine over all of them.
    """
    samples: dict[str, list[float]] = {name: [] for name in rivals}
    for _ in range(2):
        for name, rival in rivals.items():
            for _ in range(rounds // 2):
                samples[name] += timing(rival, repeats=1, budget=0.01)["samples"]
    return samples


def faults_per_call(work: Callable[[], object], calls: int = 200) -> float:
    """Minor page faults per call of `work`, after a few calls to warm up (0 where
    the platform cannot count them).

    A fault is taken for every page of fresh memory the first time it is written.
    """
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    for _ in range(3):
        work()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        work()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


#: A loop that keeps one core busy until it is killed.
SPIN = "import os\nos.sched_setaffinity(0, {0})\nwhile True:\n    pass\n"


@contextlib.contextmanager
def busy_core(busy: bool = True) -> Iterator[None]:
    """With `busy`, run the body while a process spins on core 0, as a browser or a
    build would keep a core of a reader's laptop busy."""
    if not busy:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        time.sleep(0.2)  # let it start spinning
        yield
    finally:
        spinner.kill()
        spinner.wait()
