"""What fresh memory costs a training step: the same work into new or reused arrays.

On [784, 100, 10] with a mini-batch of 100, it times, in a process that has
loaded nothing but NumPy and the package:

* the weight gradient's matrix product δ¹ xᵀ of eq. (36), written into a new
  array on every call, and into the same array every time (``out=``);
* the whole backward pass: ``Network.backprop`` called again and again in a
  reader's own loop, each result kept until the next call replaces it, and the
  trainer's backward pass, which writes into a workspace kept from call to call;
* one default training step, ``Trainer.step``: what ``Network.SGD`` takes.

Beside each time it counts the minor page faults per call: the kernel's work of
handing the process a fresh page of memory the first time it is written. Each
rival runs on its own, in 150 short turns (two blocks of 75), as a program doing
only that would run it; the record keeps every rival's median and its fastest
tenth, the turns that other work on the machine disturbed least, the ratio of
the reader's loop to the training step, and whether any call overwrote the
result of an earlier one.

    .venv/bin/python benchmarks/allocation.py
    .venv/bin/python benchmarks/allocation.py --smoke    # seconds: does everything run?

It writes benchmarks/results/allocation.json with a description of the machine.
The site shows the recorded numbers; it never times anything while it is built.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    arguments,
    describe,
    fastest_tenth,
    faults_per_call,
    in_blocks,
    limit_threads,
    show,
    spread,
)
from fingerprint import of_record  # noqa: E402

RESULT = HERE / "results" / "allocation.json"
SIZES, BATCH, ETA = [784, 100, 10], 100, 0.5
ROUNDS = 150  # short turns per rival: the fastest tenth is the least disturbed
#: --smoke: a small network and batch, and two turns (one a block) per rival.
SMOKE_SIZES, SMOKE_BATCH, SMOKE_ROUNDS = [64, 16, 10], 10, 2


def main() -> None:
    smoke = arguments(__doc__).parse_args().smoke
    sizes, batch, rounds = (
        (SMOKE_SIZES, SMOKE_BATCH, SMOKE_ROUNDS) if smoke else (SIZES, BATCH, ROUNDS)
    )
    threads = os.cpu_count() or 1
    limit_threads(threads)  # before NumPy starts its pool
    import numpy as np

    from backprop.network import Network
    from backprop.training import Trainer

    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (sizes[0], batch))
    Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], batch)]
    delta = rng.standard_normal((sizes[1], batch))
    into = np.empty((sizes[1], sizes[0]))
    net = Network(sizes, seed=0)
    trainer = Trainer(Network(sizes, seed=0), compiled=False)  # the NumPy step
    work = trainer.workspace(batch)
    first = net.backprop(X, Y)
    kept = [g.copy() for g in first[0] + first[1]]
    last: list[object] = [None]

    def readers_loop() -> None:
        last[0] = net.backprop(X, Y)  # the last result lives until this returns

    rivals: dict[str, Callable[[], object]] = {
        "product, new array": lambda: delta @ X.T,
        "product, same array": lambda: np.matmul(delta, X.T, out=into),
        "backprop, new arrays": readers_loop,
        "backprop, workspace": lambda: trainer._backprop(X, Y, 1.0, work),
        "training step": lambda: trainer.step(X, Y, ETA),
    }
    faults = {name: faults_per_call(rival) for name, rival in rivals.items()}
    samples = in_blocks(rivals, rounds)
    results: dict[str, Any] = {}
    for name in rivals:
        times = samples[name]
        results[name] = spread(times) | {"faults": faults[name]}
        t = results[name]
        print(
            f"{name:>22}: {1e6 * t['fastest_tenth']:8.1f} µs (fastest tenth; median "
            f"{1e6 * t['median']:.1f}), {t['faults']:6.1f} page faults per call"
        )
    intact = all(
        np.array_equal(g, k) for g, k in zip(first[0] + first[1], kept, strict=True)
    )
    of_tenths = fastest_tenth(samples["backprop, new arrays"]) / fastest_tenth(
        samples["training step"]
    )
    print(
        f"backprop() in a loop / training step: {of_tenths:.2f} (fastest tenths); "
        f"first result intact: {intact}"
    )
    record = {
        "what": "seconds per call (median, min, max and fastest tenth over short "
        "turns), page faults per call",
        "sizes": sizes,
        "batch": batch,
        "threads": threads,
        "rounds": rounds,
        "machine": describe(),
        "fingerprint": of_record(RESULT.name),
        "results": results,
        "readers_loop_over_step": {"of_fastest_tenths": of_tenths},
        "first_result_intact": intact,
    }
    if smoke:
        show(record, RESULT)
        return
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
