"""Is this machine steady enough to record a benchmark? `make bench` asks first.

The load average does not tell. On a shared virtual machine the host can give
this machine's cores less time while no process here runs: on 6 December 2026
a 2-core Intel Xeon read a load average of 1.9 with nothing running, and the
same fixed piece of work took up to 1.5 times as long in one second as in the
next. A record made then shows the host's other tenants, not the code.

So this script times a fixed piece of work, a 300 x 300 matrix product and a
short Python loop (the two kinds of time a training step spends), over and over
for WINDOWS one-second windows, and compares the windows' medians. When the
slowest window's median is more than STEADY times the fastest's, it says so and
exits with status 1, and `make bench` records nothing; run it again later, or
on another machine. STEADY is a choice: the calmest of the runs on the noisy
machine above came to 1.08, and most to more than 1.3.

A machine can also be steady for a while and then change. On 6 December 2026
a 2-core AMD EPYC passed this check in 25 runs out of 119: its window
medians sat at one of two levels, near 805 µs and near 1,030 µs, and moved from
one to the other every few seconds. So `make bench` runs each benchmark
`--around`: the check first, then the benchmark, then the check again. The
record stands only when both checks pass and the median window of the second
is within STEADY of the first's; otherwise the record the benchmark wrote is
put back as it was, and the whole is tried again, up to `--tries` times. A
record that stands gets both checks written into it, under "steady".

The same machine held still on one thread while it swung on two: in three
runs of each, taken in turns, one thread's swing was 1.05, 1.06 and 1.16, and
two threads' 1.31, 1.54 and 1.10. So a benchmark that runs on one
thread (modes.py: the graph engine and elementwise NumPy) is checked on one,
`--threads 1`; the others are checked on all.

    .venv/bin/python benchmarks/steady.py            # about 15 s
    .venv/bin/python benchmarks/steady.py --around benchmarks/modes.py --threads 1 --tries 8
    .venv/bin/python benchmarks/steady.py --smoke    # a fraction of a second, no verdict
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import arguments

#: How many windows, and how long each is, in seconds.
WINDOWS, WINDOW = 15, 1.0
#: The largest ratio of the slowest window's median to the fastest's that is
#: steady. On the noisy machine above, 20 runs of the same measurement over 25
#: minutes gave ratios from 1.08 to 2.21, 15 of them above 1.3.
STEADY = 1.10
#: Where the benchmarks write their records.
RESULTS = Path(__file__).resolve().parent / "results"


def window_medians(windows: int, seconds: float) -> list[float]:
    """The median time of the fixed work in each of `windows` windows of `seconds`."""
    rng = np.random.default_rng(0)
    a, b = rng.random((300, 300)), rng.random((300, 300))
    medians = []
    for _ in range(windows):
        times = []
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            before = time.perf_counter()
            a @ b
            sum(range(20_000))
            times.append(time.perf_counter() - before)
        medians.append(statistics.median(times))
    return medians


def check(smoke: bool = False, threads: int | None = None) -> tuple[float, float]:
    """Time the windows, the product on `threads` BLAS threads (default: the
    library's own count), and print them: the slowest window's median over the
    fastest's (the swing), and the median of the windows' medians, in seconds."""
    with threadpool_limits(threads, user_api="blas"):
        medians = window_medians(2, 0.05) if smoke else window_medians(WINDOWS, WINDOW)
    swing = max(medians) / min(medians)
    shown = " ".join(f"{1e6 * m:.0f}" for m in medians)
    print(f"median µs per window: {shown}; slowest / fastest {swing:.2f}", flush=True)
    return swing, statistics.median(medians)


def around(
    script: Path, tries: int, smoke: bool = False, threads: int | None = None
) -> bool:
    """Run the benchmark `script` between two checks, up to `tries` times, until a
    run has steady checks on both sides at the same level, and write both into
    its record; put back the record it wrote after any other run. Whether a run
    stood."""
    record = RESULTS / f"{script.stem}.json"
    for attempt in range(1, tries + 1):
        print(f"{script.name}, try {attempt} of {tries}", flush=True)
        before = check(smoke, threads)
        if before[0] > STEADY and not smoke:
            print(f"not steady (above {STEADY:.2f}) before the run", flush=True)
            continue
        kept = record.read_bytes() if record.exists() else None
        command = [sys.executable, str(script)] + (["--smoke"] if smoke else [])
        subprocess.run(command, check=True)
        after = check(smoke, threads)
        if smoke:
            print("smoke run: no verdict")
            return True
        level = max(before[1], after[1]) / min(before[1], after[1])
        if after[0] <= STEADY and level <= STEADY:
            stamp(record, threads, before, after)
            print(f"steady before and after: {record.name} stands", flush=True)
            return True
        print(f"the machine changed during the run: {record.name} put back", flush=True)
        if kept is None:
            record.unlink(missing_ok=True)
        else:
            record.write_bytes(kept)
    return False


def stamp(record: Path, threads: int | None, *checks: tuple[float, float]) -> None:
    """Write the checks before and after the run, and the BLAS threads they ran
    on, into the record, as "steady"."""
    found = json.loads(record.read_text(encoding="utf-8"))
    found["steady"] = {
        "limit": STEADY,
        "threads": threads or os.cpu_count(),
        "checks": [
            {"swing": round(swing, 3), "median_us": round(1e6 * median, 1)}
            for swing, median in checks
        ],
    }
    record.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument(
        "--around", type=Path, help="a benchmark script to run between checks"
    )
    parser.add_argument(
        "--tries", type=int, default=1, help="how often to try --around"
    )
    parser.add_argument(
        "--threads", type=int, help="BLAS threads for the check (default: all)"
    )
    args = parser.parse_args()
    if args.around is not None:
        if around(args.around, args.tries, args.smoke, args.threads):
            return 0
        print(
            f"no steady run of {args.around.name}: record nothing now", file=sys.stderr
        )
        return 1
    swing, _ = check(args.smoke, args.threads)
    if args.smoke:
        print("smoke run: no verdict")
        return 0
    if swing > STEADY:
        print(f"not steady (above {STEADY:.2f}): record nothing now", file=sys.stderr)
        return 1
    print(f"steady (at most {STEADY:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
