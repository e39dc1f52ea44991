"""How many BLAS threads a training step should use, and using them for one step.

OpenBLAS starts one thread per core and keeps them spinning while they wait.
On a machine where other programs hold some of the cores, threads that find no
free core wait for one, and a step can take many times longer than on fewer
threads. So the trainer asks for

    threads = min(cores free now, largest product's FLOP / GRAIN),

at least 1: no more threads than there are idle cores, and none that would get
less than a grain of work. The cores free now are the cores this process may
run on (``os.sched_getaffinity``) less those that other processes kept busy in
the last moments, read from the kernel's CPU time counters in ``/proc/stat``;
the reading is cached for a second, so a step pays for it once a second at
most. The thread count is set with threadpoolctl for the step only, and the
library's own setting is restored after it.

>>> from backprop.network import Network
>>> tiny = Network([4, 3, 2], seed=0)
>>> threads_for(tiny.sizes, m=5, cores=16)  # far less than a grain of work
1
>>> threads_for([784, 1000, 1000, 10], m=1000, cores=16)
16
>>> threads_for([784, 1000, 1000, 10], m=1000, cores=3)
3
"""

from __future__ import annotations

import os
import sys
import time
from functools import cache
from itertools import pairwise
from typing import Any

__all__ = ["free_cores", "one_thread_anyway", "threads_for", "using"]

#: The FLOP a thread must get from the step's largest matrix product to pay its
#: start and its wait: a product of [784, 100, 10] on a batch of 100 (15.7
#: MFLOP) gets 2 threads, one of [784, 30, 10] on 10 (0.5 MFLOP) gets 1.
GRAIN = 6e6
#: How long a reading of the free cores is reused, in seconds.
FRESH = 1.0
#: OpenBLAS runs a matrix product of at most this many multiply-adds (M·N·K) on
#: one thread, whatever its thread count: SMP_THRESHOLD_MIN (65,536) times
#: GEMM_MULTITHREAD_THRESHOLD (4, unless OpenBLAS was built with more) in its
#: interface/gemm.c.
OPENBLAS_ONE_THREAD = 65_536 * 4


# --8<-- [start:threads-for]
def threads_for(sizes: list[int], m: int, cores: int | None = None) -> int:
    """The thread count for a step of a network of layer `sizes` on m examples.

    `cores` is the number of free cores (default: :func:`free_cores`).
    """
    largest = max(2 * n_in * n_out * m for n_in, n_out in pairwise(sizes))
    free = free_cores() if cores is None else cores
    return max(1, min(free, int(largest // GRAIN)))
    # --8<-- [end:threads-for]


def one_thread_anyway(sizes: list[int], m: int) -> bool:
    """Whether every BLAS loaded is OpenBLAS and runs each product of a step of
    a network of layer `sizes` on m examples on one thread whatever its setting:
    then a step need not choose the count, set it and restore it, which would
    make a step at [784, 30, 10] on 10 examples 41.3 µs instead of 35.0 µs,
    with NumPy's and SciPy's OpenBLAS loaded.

    >>> one_thread_anyway([784, 30, 10], 10) == all(
    ...     lib.internal_api == "openblas" for lib in _controllers())
    True
    >>> one_thread_anyway([784, 100, 10], 100), one_thread_anyway([784, 30, 10], 1)
    (False, False)
    """
    return _one_thread_anyway(
        tuple(sizes), m, "scipy.linalg.cython_blas" in sys.modules
    )


@cache
def _one_thread_anyway(sizes: tuple[int, ...], m: int, with_scipy: bool) -> bool:
    if m == 1 or min(sizes) == 1:
        # NumPy hands a product with a vector to GEMV, whose threshold is lower.
        return False
    largest = max(n_in * n_out * m for n_in, n_out in pairwise(sizes))
    return largest <= OPENBLAS_ONE_THREAD and _openblas_only(with_scipy)


def _cpu_times() -> tuple[float, float] | None:
    """Busy and total CPU time of the whole machine since boot, in clock ticks, or
    None where ``/proc/stat`` cannot be read."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [float(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice]: the
    # guest times are counted in user and nice already.
    total = sum(fields[:8])
    return total - fields[3] - fields[4], total


class _Reading:
    """The last reading of the machine's CPU counters and of this process's CPU time."""

    def __init__(self) -> None:
        self.when = time.monotonic()
        self.own = time.process_time()
        self.counters = _cpu_times()
        self.free = _allowed()


@cache
def _allowed() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_last: list[_Reading] = []  # the one reading, made on first use


def free_cores() -> int:
    """The cores this process may use that other processes did not keep busy
    since the last reading (at most FRESH seconds old), at least 1.

    The first call reads the counters twice, 20 ms apart.
    """
    if not _last:
        _last.append(_Reading())
        time.sleep(0.02)
    elif time.monotonic() - _last[0].when < FRESH:
        return _last[0].free
    before, now = _last[0], _Reading()
    if before.counters is not None and now.counters is not None:
        busy = now.counters[0] - before.counters[0]
        total = now.counters[1] - before.counters[1]
        if total > 0:
            cpus = os.cpu_count() or 1
            seconds = now.when - before.when
            # This process's own threads are busy too; they do not count.
            own = (now.own - before.own) / seconds if seconds > 0 else 0.0
            others = max(0.0, cpus * busy / total - own)
            now.free = max(1, min(now.free, round(cpus - others)))
    _last[0] = now
    return now.free


def _controllers() -> list[Any]:
    """threadpoolctl's handles on the BLAS libraries loaded now: NumPy's, and SciPy's
    once the compiled step has loaded it."""
    return _found("scipy.linalg.cython_blas" in sys.modules)


@cache
def _openblas_only(with_scipy: bool) -> bool:
    """Whether every BLAS of :func:`_found` is OpenBLAS."""
    return all(lib.internal_api == "openblas" for lib in _found(with_scipy))


@cache
def _found(with_scipy: bool) -> list[Any]:
    """The handles, found once for each state (finding them walks every loaded
    library)."""
    if sys.platform == "emscripten":
        # Pyodide (the site's in-page Python) has no threads, and the site serves
        # NumPy alone, without threadpoolctl: there is nothing to set.
        return []
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return [
        lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"
    ]


def using(threads: int) -> _Using:
    """Run the body with `threads` BLAS threads, and restore each library's own count.

    >>> with using(1):
    ...     inside = [lib.num_threads for lib in _controllers()]
    >>> set(inside) <= {1}
    True
    """
    return _Using(threads)


class _Using:
    """The context of :func:`using`: a class, not a generator, since the trainer
    enters one per step and a generator's context costs twice as much."""

    __slots__ = ("changed", "threads")

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.changed: list[tuple[Any, int]] = []

    def __enter__(self) -> None:
        for lib in _controllers():
            had = lib.num_threads
            if had != self.threads:
                lib.set_num_threads(self.threads)
                self.changed.append((lib, had))

    def __exit__(self, *exception: object) -> None:
        for lib, had in self.changed:
            lib.set_num_threads(had)
        self.changed.clear()
