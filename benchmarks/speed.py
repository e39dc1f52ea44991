"""How fast is one SGD step? The package against the essay's loop, PyTorch and JAX.

For each case (layer sizes and mini-batch size) every implementation trains the
same network, initialised identically, on the same data, and the script reports
the time per SGD step: the median of several repeats, with the fastest and the
slowest repeat beside it. Each implementation is timed in a fresh process of its
own, which loads only its own library: loading PyTorch or JAX changes how fast
NumPy runs in the same process (it moves the heap, and the page faults with it),
and their worker threads compete for the cores. The processes take turns, round
after round, so that a slow spell of the machine falls on all of them alike. It
also measures this machine's matrix-product throughput (a square GEMM), so that
the package's speed can be put as a fraction of what the hardware can do.

Rows (implementations.available):

* ``loop``: the essay's algorithm, one example at a time (backprop.reference);
* ``literal-f64``: ``Network.update_mini_batch``, eq. (19) as the chapters write it;
* ``trainer-f64`` and ``trainer-f32``: ``Trainer(net).step`` once per mini-batch,
  compiled where numba is installed, on the threads it chooses;
* ``numpy-f64``: the same with ``compiled=False``, the NumPy step;
* ``trainer-f64-Kt``: the trainer on a fixed K threads, K = 1, 2, 4, … cores;
* ``torch-f64`` and ``torch-f32``: the same step in PyTorch with autograd;
* ``jax-f64``: the same step in JAX, jit-compiled, several steps per call in
  ``lax.scan``.

Every case is timed twice: ``quiet``, as the machine is, and ``one core busy``,
with a process spinning on core 0 for the whole time (a reader's browser or
build). PyTorch and JAX get ``--threads`` threads (default: all cores), the
trainer chooses its own. The record stores the load average before each
condition, and the fingerprint of the code each row times (benchmarks/
fingerprint.py), which tests/test_benchmark_records.py checks against today's
code. Run it on purpose, from the repository root:

    .venv/bin/python benchmarks/speed.py            # writes results/speed.json
    .venv/bin/python benchmarks/speed.py --smoke    # seconds: does everything run?

The site shows the recorded results; it never times anything while it is built.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import busy_core, describe, limit_threads, timing  # noqa: E402
from fingerprint import fingerprints  # noqa: E402

RESULT = HERE / "results" / "speed.json"
CASES = [([784, 30, 10], 10), ([784, 100, 10], 100), ([784, 1000, 1000, 10], 1000)]
SMOKE_CASES = [([64, 16, 10], 10)]
CONDITIONS = ["quiet", "one core busy"]
#: Rows not timed with one core busy: the loop says nothing about threads.
QUIET_ONLY = ["loop"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one repeat, nothing written"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--rounds", type=int, default=5, help="fresh processes per implementation"
    )
    parser.add_argument("--repeats", type=int, default=4, help="repeats per process")
    parser.add_argument(
        "--skip", nargs="*", default=[], help="implementations to leave out"
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)  # NAME CASE
    return parser.parse_args()


def worker(args: argparse.Namespace) -> None:
    """Time one implementation on one case, in this fresh process; print JSON."""
    import implementations

    name, case = args.worker[0], int(args.worker[1])
    sizes, m = (SMOKE_CASES if args.smoke else CASES)[case]
    try:
        step = implementations.available([], args.threads)[name](sizes, m, args.threads)
    except implementations.UnavailableError as why:
        print(json.dumps({"skipped": str(why)}))
        return
    found = timing(
        step,
        1 if args.smoke else args.repeats,
        budget=0.02 if args.smoke else 0.25,
        per_call=getattr(step, "steps_per_call", 1),
    )
    print(json.dumps(found))


def measure(args: argparse.Namespace, case: int, name: str) -> dict[str, Any]:
    """Run a worker process for `name` on case number `case`, and read its answer."""
    command = [sys.executable, __file__, "--worker", name, str(case)]
    command += ["--threads", str(args.threads), "--repeats", str(args.repeats)]
    command += ["--smoke"] if args.smoke else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed on case {case}:\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return answer


def main() -> None:
    args = parse()
    limit_threads(args.threads)  # before NumPy, PyTorch or JAX start their pools
    if args.worker:
        worker(args)
        return
    import implementations

    cases = SMOKE_CASES if args.smoke else CASES
    conditions = CONDITIONS[:1] if args.smoke else CONDITIONS
    skip = args.skip + (
        [f"trainer-f64-{k}t" for k in range(1, 65)] if args.smoke else []
    )
    names = list(implementations.available(skip, args.threads))
    peak = implementations.gemm_peak(smoke=args.smoke)
    print(
        f"GEMM peak: float64 {peak['float64']:.1f} GFLOP/s, float32 {peak['float32']:.1f} GFLOP/s"
    )
    timed: dict[str, Any] = {}
    for condition in conditions:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        print(f"\n== {condition} (load average {load}) ==")
        with busy_core(condition == "one core busy"):
            rows = [
                name for name in names if condition == "quiet" or name not in QUIET_ONLY
            ]
            found = [time_case(args, number, rows) for number in range(len(cases))]
        timed[condition] = {"load_average_before": load, "cases": found}
        for row in found:
            print_case(row, peak)
    if not args.smoke:
        record = {
            "what": "seconds per SGD step (median, min and max over repeats), "
            "quiet and with one core busy",
            "threads": args.threads,
            "rounds": args.rounds,
            "repeats": args.repeats,
            "niced": os.nice(0),
            "machine": describe(),
            "gemm_gflops": peak,
            "fingerprints": fingerprints(names),
            "conditions": timed,
        }
        RESULT.parent.mkdir(exist_ok=True)
        RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"written to {RESULT.relative_to(HERE.parent)}")


def time_case(
    args: argparse.Namespace, number: int, names: list[str]
) -> dict[str, Any]:
    """Every row of `names` on case `number`, round after round."""
    import implementations

    sizes, m = (SMOKE_CASES if args.smoke else CASES)[number]
    row: dict[str, Any] = {
        "sizes": sizes,
        "batch": m,
        "flop_per_step": implementations.flop_per_step(sizes, m),
        "times": {},
        "skipped": {},
    }
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for _ in range(1 if args.smoke else args.rounds):  # a slow spell hits all alike
        for name in names:
            if name in row["skipped"]:
                continue
            if name == "loop" and number == len(CASES) - 1 and not args.smoke:
                row["skipped"][name] = "seconds a step: left out of the largest case"
                continue
            answer = measure(args, number, name)
            if "skipped" in answer:
                row["skipped"][name] = answer["skipped"]
            else:
                samples[name].append(answer)
    row["times"] = {name: pooled(found) for name, found in samples.items() if found}
    return row


def pooled(found: list[dict[str, Any]]) -> dict[str, float]:
    """One summary from several processes' repeats: median, min and max of all."""
    every = [t for answer in found for t in answer["samples"]]
    return {
        "median": statistics.median(every),
        "min": min(every),
        "max": max(every),
        "calls": sum(answer["calls"] for answer in found),
    }


def print_case(row: dict, peak: dict[str, float]) -> None:
    times = row["times"]
    print(f"\n{row['sizes']}, batch {row['batch']}")
    base = times.get("trainer-f64", {}).get("median")
    for name, t in times.items():
        gflops = row["flop_per_step"] / t["median"] / 1e9
        dtype = "float32" if name.endswith("f32") else "float64"
        ratio = f"{t['median'] / base:6.2f}x trainer-f64" if base else ""
        print(
            f"  {name:>14}: {1e3 * t['median']:9.3f} ms/step (min {1e3 * t['min']:.3f}, "
            f"max {1e3 * t['max']:.3f})  {gflops:7.1f} GFLOP/s "
            f"({100 * gflops / peak[dtype]:5.1f}% of GEMM peak)  {ratio}"
        )
    for name, why in row["skipped"].items():
        print(f"  {name:>14}: skipped: {why}")


if __name__ == "__main__":
    main()
