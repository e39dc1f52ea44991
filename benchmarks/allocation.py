"""What fresh memory costs a training step: the same work into new or reused arrays.

On [784, 100, 10] with a mini-batch of 100, it times, in a process that has
loaded nothing but NumPy and the package:

* the weight gradient's matrix product δ¹ xᵀ of eq. (36), written into a new
  array on every call, and into the same array every time (``out=``);
* the whole backward pass: ``Network.backprop``, which returns new arrays, and
  the training path, which writes into a workspace kept from call to call.

Beside each time it counts the minor page faults per call: the kernel's work of
handing the process a fresh page of memory the first time it is written.

    .venv/bin/python benchmarks/allocation.py

It writes benchmarks/results/allocation.json with a description of the machine.
The site shows the recorded numbers; it never times anything while it is built.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import describe, limit_threads, timing  # noqa: E402

RESULT = HERE / "results" / "allocation.json"
SIZES, BATCH = [784, 100, 10], 100


def faults_per_call(work: Callable[[], object], calls: int = 200) -> float:
    """Minor page faults per call of `work`, after one call to warm up."""
    work()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        work()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


def main() -> None:
    threads = os.cpu_count() or 1
    limit_threads(threads)  # before NumPy starts its pool
    import numpy as np

    from backprop.network import Network
    from backprop.training import Trainer

    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (SIZES[0], BATCH))
    Y = np.eye(SIZES[-1])[:, rng.integers(0, SIZES[-1], BATCH)]
    delta = rng.standard_normal((SIZES[1], BATCH))
    into = np.empty((SIZES[1], SIZES[0]))
    net = Network(SIZES, seed=0)
    trainer = Trainer(net)
    work = trainer.workspace(BATCH)
    rivals: dict[str, Callable[[], object]] = {
        "product, new array": lambda: delta @ X.T,
        "product, same array": lambda: np.matmul(delta, X.T, out=into),
        "backprop, new arrays": lambda: net.backprop(X, Y),
        "backprop, workspace": lambda: trainer._backprop(X, Y, 1.0, work),
    }
    results: dict[str, Any] = {}
    for name, rival in rivals.items():
        results[name] = timing(rival, repeats=9) | {"faults": faults_per_call(rival)}
        del results[name]["samples"]
        t = results[name]
        print(
            f"{name:>22}: {1e6 * t['median']:8.1f} µs (min {1e6 * t['min']:.1f}, "
            f"max {1e6 * t['max']:.1f}), {t['faults']:6.1f} page faults per call"
        )
    record = {
        "what": "seconds per call (median, min and max over repeats), page faults per call",
        "sizes": SIZES,
        "batch": BATCH,
        "threads": threads,
        "machine": describe(),
        "results": results,
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
