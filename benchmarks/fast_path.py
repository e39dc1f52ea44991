"""What each trick of the trainer buys: the fast path against the plain code it replaces.

On [784, 100, 10] with mini-batches of 100, in a process that has loaded nothing
but NumPy and the package, it times:

* one SGD step, the plain way (``Network.update_mini_batch``: fresh arrays,
  z^l kept, σ' computed again from z, then w − (η/m)·∇) and the trainer's
  (``Trainer(net, compiled=False).step``: workspace, activations only, η/m
  folded into δ^L);
* η/m applied to δ^L of the output layer (n_L × m entries) against η/m applied
  to every gradient entry (one per parameter), both in place;
* a mini-batch cut from training data of 10,000 examples: columns gathered from
  the (784, n) array of examples, against rows gathered from its row-major
  transpose (what ``Trainer.stepper`` does).

Each rival runs in 150 short turns of its own (two blocks of 75, alternating
with its pair's); the record keeps its median and its fastest tenth, the turns
that other work on the machine disturbed least, and the ratio of the two
fastest tenths.

    .venv/bin/python benchmarks/fast_path.py
    .venv/bin/python benchmarks/fast_path.py --smoke    # seconds: does everything run?

It writes benchmarks/results/fast_path.json with a description of the machine.
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
    in_blocks,
    limit_threads,
    show,
    spread,
)
from fingerprint import of_record  # noqa: E402

RESULT = HERE / "results" / "fast_path.json"
SIZES, BATCH, ETA, EXAMPLES = [784, 100, 10], 100, 0.5, 10_000
ROUNDS = 150  # short turns: a busy machine disturbs some, the fastest tenth least
#: --smoke: a small network, few examples, and two turns (one a block) per rival.
SMOKE_SIZES, SMOKE_BATCH, SMOKE_EXAMPLES, SMOKE_ROUNDS = [64, 16, 10], 10, 100, 2


def pair(
    slow: Callable[[], object], fast: Callable[[], object], rounds: int = ROUNDS
) -> dict[str, Any]:
    """Seconds per call of `slow` and `fast`, each in blocks of short turns of its
    own (the heap as repeating that call leaves it), and the ratio of their
    fastest tenths."""
    times = in_blocks({"slow": slow, "fast": fast}, rounds)
    summary = {name: spread(t) for name, t in times.items()}
    ratio = fastest_tenth(times["slow"]) / fastest_tenth(times["fast"])
    return summary | {"ratio": {"of_fastest_tenths": ratio}}


def main() -> None:
    smoke = arguments(__doc__).parse_args().smoke
    sizes, batch, examples, rounds = (
        (SMOKE_SIZES, SMOKE_BATCH, SMOKE_EXAMPLES, SMOKE_ROUNDS)
        if smoke
        else (SIZES, BATCH, EXAMPLES, ROUNDS)
    )
    threads = os.cpu_count() or 1
    limit_threads(threads)  # before NumPy starts its pool
    import numpy as np

    from backprop.network import Network
    from backprop.training import Trainer

    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (sizes[0], batch))
    Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], batch)]
    plain = Network(sizes, seed=0)
    trainer = Trainer(Network(sizes, seed=0), compiled=False)  # the NumPy step
    work = trainer.workspace(batch)
    delta_L, scale = work.deltas[-1], ETA / batch
    data = rng.uniform(0.0, 1.0, (sizes[0], examples))
    rows = np.ascontiguousarray(data.T)
    chosen = rng.permutation(examples)[:batch]
    pairs = {
        "step: plain against trainer": (
            lambda: plain.update_mini_batch((X, Y), ETA),
            lambda: trainer.step(X, Y, ETA),
        ),
        "eta/m: every gradient against delta^L": (
            lambda: np.multiply(work.flat, scale, out=work.flat),
            lambda: np.multiply(delta_L, scale, out=delta_L),
        ),
        "mini-batch: columns against rows": (
            lambda: data[:, chosen],
            lambda: rows[chosen].T,
        ),
    }
    results: dict[str, Any] = {}
    for name, (slow, fast) in pairs.items():
        results[name] = t = pair(slow, fast, rounds)
        print(
            f"{name:>40}: {1e6 * t['slow']['fastest_tenth']:8.1f} µs against "
            f"{1e6 * t['fast']['fastest_tenth']:8.1f} µs (fastest tenths), ratio "
            f"{t['ratio']['of_fastest_tenths']:.2f}"
        )
    record = {
        "what": "seconds per call (median, min, max and fastest tenth over short "
        "turns) of the plain and the fast rival of each trick, and the ratio of "
        "their fastest tenths",
        "sizes": sizes,
        "batch": batch,
        "examples": examples,
        "parameters": sum(p.size for p in plain.weights + plain.biases),
        "threads": threads,
        "rounds": rounds,
        "machine": describe(),
        "fingerprint": of_record(RESULT.name),
        "results": results,
    }
    if smoke:
        show(record, RESULT)
        return
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
