"""Finite differences against backpropagation for the whole gradient, as P grows.

For networks [784, h, 10] with P parameters from about a thousand to ten million,
on a mini-batch of 10 examples, the script measures two things directly:

* one forward pass: the cost of the batch, Σ_x C_x, from the inputs, which is
  what a finite difference evaluates for every nudge of a parameter;
* one backpropagation: a call of ``Network.backprop``, a forward and a backward
  pass, called again and again on batches of the same width, as a reader's own
  training loop would.

The two are timed in turns, round after round (:func:`paired`), and the cost of
a backprop call in forward passes is the median over the rounds of the ratio
within each round, so that a busy spell of a shared machine does not fall on one
of them only.

Finite differences are never run in full above a few thousand parameters (for ten
million they would take hours); their time is counted from the measured forward
pass: P + 1 passes for forward differences, (C(p + h) − C(p)) / h, and 2P for the
central differences that the site's gradient checks use,
(C(p + h) − C(p − h)) / 2h. For the smallest networks the script also runs the
full forward-difference sweep, to show that the count times one pass is what a
sweep really costs.

Every case runs in a process of its own, twice: once with glibc told to keep
64 MiB of freed memory at the top of its heap, which is the record, and once
with glibc's defaults (``glibc_default``). At one size here the defaults cost a
backprop call hundreds of page faults: NumPy's OpenBLAS, splitting the weight
gradient's product over two threads, takes a 512 KiB table from malloc on every
call (``dgemm_thread_tn``, found with gdb catching the ``brk`` system call), and
with the 0.6 MB gradient beside it the heap's free top grows past glibc's trim
threshold; glibc hands it back to the kernel, and the next call faults it in
again. The code is the same in both runs; only the C library's setting differs.

    .venv/bin/python benchmarks/gradient_cost.py           # writes results/gradient_cost.json
    .venv/bin/python benchmarks/gradient_cost.py --smoke   # seconds: does everything run?
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import arguments, describe, faults_per_call, show, timing  # noqa: E402
from fingerprint import of_record  # noqa: E402

from backprop.costs import example_costs  # noqa: E402
from backprop.network import Network, multiply_adds  # noqa: E402
from backprop.performance import turns  # noqa: E402

#: Hidden-layer widths; 12,800 gives P = 10,176,010, past ten million.
HIDDEN = (1, 3, 10, 30, 100, 300, 1_000, 3_000, 12_800)
BATCH = 10
ROUNDS = 15  # rounds of timing forward pass and backprop in turns
FULL_SWEEP_UP_TO = 3_000  # parameters; up to here the whole sweep is timed too
RESULT = HERE / "results" / "gradient_cost.json"
#: --smoke: one network with the full sweep and one without, in two short rounds.
SMOKE_HIDDEN, SMOKE_ROUNDS = (1, 10), 2


def paired(
    forward: Callable[[], object],
    backprop: Callable[[], object],
    rounds: int = ROUNDS,
    budget: float = 0.05,
) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Both timed in turns, round after round: their seconds, and backprop in forward passes.

    On a shared machine the load changes from one second to the next. Timing
    the two side by side in every round, and taking the median over the rounds
    of the ratio within a round, keeps a busy spell from falling on one of them
    only.
    """
    samples, calls = turns(forward, backprop, rounds, budget)
    ratios = [b / f for f, b in zip(*samples, strict=True)]

    def summary(found: list[float], n: int) -> dict[str, Any]:
        return {
            "median": statistics.median(found),
            "min": min(found),
            "max": max(found),
            "calls": n * rounds,
        }

    return (
        summary(samples[0], calls[0]),
        summary(samples[1], calls[1]),
        statistics.median(ratios),
    )


def case(h: int, smoke: bool = False) -> dict[str, object]:
    net = Network([784, h, 10], seed=0)
    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (784, BATCH))
    Y = np.eye(10)[:, rng.integers(0, 10, BATCH)]
    params = net.weights + net.biases
    P = sum(p.size for p in params)

    def cost() -> float:
        return float(np.sum(example_costs(net.feedforward(X), Y)))

    rounds, budget = (SMOKE_ROUNDS, 0.005) if smoke else (ROUNDS, 0.05)
    forward, backprop, in_passes = paired(
        cost, lambda: net.backprop(X, Y), rounds, budget
    )
    forward["faults"] = faults_per_call(cost, calls=20)
    backprop["faults"] = faults_per_call(lambda: net.backprop(X, Y), calls=20)
    F, B = multiply_adds(net.sizes, m=BATCH)
    row: dict[str, object] = {
        "sizes": net.sizes,
        "parameters": P,
        "batch": BATCH,
        "forward_seconds": forward,
        "backprop_seconds": backprop,
        "backprop_in_forward_passes": in_passes,
        "multiply_adds": {"forward": F, "backward": B},
        "counted_backprop_in_forward_passes": (F + B) / F,
        "finite_differences": {
            "forward": {
                "passes": P + 1,
                "seconds": (P + 1) * forward["median"],
            },
            "central": {"passes": 2 * P, "seconds": 2 * P * forward["median"]},
        },
    }
    if P <= FULL_SWEEP_UP_TO:

        def sweep() -> None:
            """Forward differences for every parameter, the baseline pass included."""
            base = cost()
            for p in params:
                flat = p.reshape(-1)
                for i in range(flat.size):
                    old = flat[i]
                    flat[i] = old + 1e-7
                    _ = (cost() - base) / 1e-7
                    flat[i] = old

        row["full_sweep_seconds"] = timing(sweep, 3, budget=0.5, smoke=smoke)
    return row


#: How the C library of each measuring process treats memory it is given back.
#: glibc returns the top of its heap to the kernel once enough of it is free,
#: and memory handed back must be faulted in, page by page, when it is taken
#: again. "kept" asks it to keep 64 MiB at the top (MALLOC_TOP_PAD_, read when
#: the process starts), so that no call pays for what the previous call freed;
#: "default" leaves glibc as it comes. Elsewhere than glibc the setting does
#: nothing, and the two runs measure the same thing.
ALLOCATORS: dict[str, dict[str, str]] = {
    "kept": {"MALLOC_TOP_PAD_": str(64 * 2**20)},
    "default": {},
}


def in_process(h: int, allocator: str, smoke: bool = False) -> dict[str, Any]:
    """The case `h`, measured in a fresh process whose C library has `allocator`'s settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env.update(ALLOCATORS[allocator])
    done = subprocess.run(
        [sys.executable, __file__, "--case", str(h)] + (["--smoke"] if smoke else []),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    row: dict[str, Any] = json.loads(done.stdout)
    return row


def parse() -> argparse.Namespace:
    parser = arguments(__doc__)
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)  # H
    return parser.parse_args()


def main() -> None:
    args = parse()
    if args.case is not None:  # one case, in a process of its own
        print(json.dumps(case(args.case, args.smoke)))
        return
    record: dict[str, Any] = {
        "what": "seconds for the whole gradient on a batch of 10: one backprop call, "
        "measured, against finite differences counted from one measured forward pass "
        "(P + 1 passes forward, 2P central); every case in a process of its own whose "
        "C library keeps freed memory (allocator), and again with glibc's defaults "
        "(glibc_default)",
        "machine": describe(),
        "fingerprint": of_record(RESULT.name),
        "allocator": ALLOCATORS["kept"],
        "cases": [],
    }
    for h in SMOKE_HIDDEN if args.smoke else HIDDEN:
        row = in_process(h, "kept", args.smoke)
        plain = in_process(h, "default", args.smoke)
        row["glibc_default"] = {
            "backprop_in_forward_passes": plain["backprop_in_forward_passes"],
            "forward_seconds": plain["forward_seconds"]["median"],
            "backprop_seconds": plain["backprop_seconds"]["median"],
            "forward_faults": plain["forward_seconds"]["faults"],
            "backprop_faults": plain["backprop_seconds"]["faults"],
        }
        record["cases"].append(row)
        fd = row["finite_differences"]
        print(
            f"P = {row['parameters']:>10,}: forward {1e3 * row['forward_seconds']['median']:8.3f} ms,"
            f" backprop {1e3 * row['backprop_seconds']['median']:8.3f} ms"
            f" = {row['backprop_in_forward_passes']:5.2f} forward passes"
            f" (counted {row['counted_backprop_in_forward_passes']:.2f};"
            f" {row['backprop_seconds']['faults']:.0f} page faults a call),"
            f" central differences / backprop"
            f" {fd['central']['seconds'] / row['backprop_seconds']['median']:14,.0f}\n"
            f"{'':16}glibc's defaults:"
            f" {plain['backprop_in_forward_passes']:5.2f} forward passes,"
            f" {plain['backprop_seconds']['faults']:.0f} page faults a call",
            flush=True,
        )
    if args.smoke:
        show(record, RESULT)
    else:
        RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
