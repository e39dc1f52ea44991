"""How fast is one SGD step? The package against the essay's loop, PyTorch and JAX.

For each case (layer sizes and mini-batch size) every implementation trains the
same network, initialised identically, on the same data, and the script reports
the time per SGD step: the median of several repeats, with the fastest and the
slowest repeat beside it. The implementations take their repeats in turn, so a
slow spell of the machine falls on all of them alike. It also measures this machine's matrix-product
throughput (a square GEMM), so that the package's speed can be put as a fraction
of what the hardware can do.

Implementations:

* ``loop``: the essay's algorithm, one example at a time (backprop.reference);
* ``ours-f64`` and ``ours-f32``: ``Network.update_mini_batch`` in float64 and float32;
* ``torch-f64``: the same step in PyTorch on the CPU, if PyTorch is installed;
* ``jax-f64``: the same step in JAX, compiled with jit, if JAX is installed.

Every library gets the same number of threads (``--threads``, default: all cores),
set explicitly. Run it on purpose, from the repository root:

    .venv/bin/python benchmarks/speed.py            # all cases, writes results/speed.json
    .venv/bin/python benchmarks/speed.py --smoke    # a few seconds: does everything run?

The site shows the recorded results; it never times anything while it is built.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import describe, limit_threads, side_by_side  # noqa: E402

RESULT = HERE / "results" / "speed.json"
CASES = [([784, 30, 10], 10), ([784, 100, 10], 100), ([784, 1000, 1000, 10], 1000)]
SMOKE_CASES = [([64, 16, 10], 10), ([64, 32, 10], 50)]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one repeat, nothing written"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--skip", nargs="*", default=[], help="implementations to leave out"
    )
    return parser.parse_args()


def main() -> None:
    args = parse()
    limit_threads(args.threads)  # before NumPy, PyTorch or JAX start their pools
    import implementations
    import numpy as np  # noqa: F401  (after the thread limits)

    cases = SMOKE_CASES if args.smoke else CASES
    repeats = 1 if args.smoke else args.repeats
    peak = implementations.gemm_peak(smoke=args.smoke)
    print(
        f"GEMM peak: float64 {peak['float64']:.1f} GFLOP/s, float32 {peak['float32']:.1f} GFLOP/s"
    )
    results = []
    for sizes, m in cases:
        row = {
            "sizes": sizes,
            "batch": m,
            "flop_per_step": implementations.flop_per_step(sizes, m),
            "times": {},
            "skipped": {},
        }
        steps = {}
        for name, build in implementations.available(args.skip).items():
            try:
                steps[name] = build(sizes, m, args.threads)
            except implementations.UnavailableError as why:
                row["skipped"][name] = str(why)
        row["times"] = side_by_side(
            steps,
            repeats,
            budget=0.02 if args.smoke else 0.25,
            per_call={n: getattr(s, "steps_per_call", 1) for n, s in steps.items()},
            settle=0.0 if args.smoke else 0.3,
        )
        results.append(row)
        print_case(row, peak)
    if not args.smoke:
        record = {
            "what": "seconds per SGD step (median, min and max over repeats)",
            "threads": args.threads,
            "repeats": repeats,
            "machine": describe(),
            "gemm_gflops": peak,
            "cases": results,
        }
        RESULT.parent.mkdir(exist_ok=True)
        RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"written to {RESULT.relative_to(HERE.parent)}")


def print_case(row: dict, peak: dict[str, float]) -> None:
    times = row["times"]
    print(f"\n{row['sizes']}, batch {row['batch']}")
    base = times.get("ours-f64", {}).get("median")
    for name, t in times.items():
        gflops = row["flop_per_step"] / t["median"] / 1e9
        dtype = "float32" if name.endswith("f32") else "float64"
        ratio = f"{t['median'] / base:6.2f}x ours-f64" if base else ""
        print(
            f"  {name:>10}: {1e3 * t['median']:9.3f} ms/step (min {1e3 * t['min']:.3f}, "
            f"max {1e3 * t['max']:.3f})  {gflops:7.1f} GFLOP/s "
            f"({100 * gflops / peak[dtype]:5.1f}% of GEMM peak)  {ratio}"
        )
    for name, why in row["skipped"].items():
        print(f"  {name:>10}: skipped: {why}")


if __name__ == "__main__":
    main()
