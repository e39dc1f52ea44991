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

    .venv/bin/python benchmarks/steady.py            # about 15 s
    .venv/bin/python benchmarks/steady.py --smoke    # a fraction of a second, no verdict
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import arguments

#: How many windows, and how long each is, in seconds.
WINDOWS, WINDOW = 15, 1.0
#: The largest ratio of the slowest window's median to the fastest's that is
#: steady. On the noisy machine above, 20 runs of the same measurement over 25
#: minutes gave ratios from 1.08 to 2.21, 15 of them above 1.3.
STEADY = 1.10


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


def main() -> int:
    smoke = arguments(__doc__).parse_args().smoke
    medians = window_medians(2, 0.05) if smoke else window_medians(WINDOWS, WINDOW)
    ratio = max(medians) / min(medians)
    shown = " ".join(f"{1e6 * m:.0f}" for m in medians)
    print(f"median µs per window: {shown}; slowest / fastest {ratio:.2f}")
    if smoke:
        print("smoke run: no verdict")
        return 0
    if ratio > STEADY:
        print(f"not steady (above {STEADY:.2f}): record nothing now", file=sys.stderr)
        return 1
    print(f"steady (at most {STEADY:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
