"""Finite differences against backpropagation, timed on the machine that runs this.

The performance page's explorable runs :func:`gradient_costs` in the reader's
browser (Pyodide) when the reader asks for it. For networks [784, h, 10] of
growing P on a mini-batch of 10 examples it times the two things the page's
static figure is made of (``benchmarks/gradient_cost.py`` records them on the
project's machine): one forward pass, the summed cost of the batch from its
inputs, which is what every nudge of a parameter recomputes; and one call of
``Network.backprop``. Finite differences are counted from the measured pass,
never run: 2P passes for central differences, P + 1 for forward ones. So
central differences cost 2P / k times a backprop call that costs k passes.

>>> case = gradient_cost(1, rounds=2, budget=0.001)
>>> case["parameters"], case["sizes"]
(805, [784, 1, 10])
>>> case["central_over_backprop"] == 2 * 805 / case["backprop_in_forward_passes"]
True
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from backprop.costs import example_costs
from backprop.network import Network, multiply_adds

__all__ = ["HIDDEN", "gradient_cost", "gradient_costs", "paired", "turns"]

#: Hidden-layer widths the page times: P from 805 to 2,385,010.
HIDDEN = (1, 3, 10, 30, 100, 300, 1_000, 3_000)
BATCH = 10


#: The most calls of one function in a round.
_MOST_CALLS = 1_000_000


def turns(
    forward: Callable[[], object],
    backprop: Callable[[], object],
    rounds: int,
    budget: float,
) -> tuple[tuple[list[float], list[float]], list[int]]:
    """The seconds per call of each, one sample per round, and the calls per round.

    After one call of each to warm up (allocate, fault pages in), each round
    calls `forward` as many times as the clock needs to see `budget` seconds
    go by, then `backprop` likewise. The benchmark behind the performance
    page's record (benchmarks/gradient_cost.py) times with this loop too.

    >>> (f, b), calls = turns(lambda: None, lambda: None, 4, 0.001)
    >>> len(f), len(b), all(1 <= n <= _MOST_CALLS for n in calls)
    (4, 4, True)
    """
    for work in (forward, backprop):  # warm up: allocate, fault pages in
        work()
    calls = [_calls_for(work, budget) for work in (forward, backprop)]
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for work, n, found in zip((forward, backprop), calls, samples, strict=True):
            found.append(_seconds(work, n) / n)
    return samples, calls


def _calls_for(work: Callable[[], object], budget: float) -> int:
    """How many calls of `work` the clock reads as lasting `budget` seconds, at
    most _MOST_CALLS.

    The count grows until the calls, timed together, take the budget. One call
    timed alone would not do: in a browser the clock may tick only every 0.1 ms
    (Chromium's, on a page that is not cross-origin isolated, as ours), so a
    call shorter than a tick reads as 0 s or as a whole tick, and a count made
    from that can leave a round that the clock reads as 0 s.

    >>> _calls_for(lambda: sum(range(1_000)), 0.002) > 1
    True
    """
    n = 1
    while n < _MOST_CALLS:
        seconds = _seconds(work, n)
        if seconds >= budget:
            break
        if seconds > 0:  # aim a tenth past the budget, from what the clock read
            n = min(_MOST_CALLS, max(n + 1, int(1.1 * n * budget / seconds)))
        else:  # the clock did not tick: double the count
            n = min(_MOST_CALLS, 2 * n)
    return n


def _seconds(work: Callable[[], object], n: int) -> float:
    """Seconds for n calls of `work`, timed together."""
    start = time.perf_counter()
    for _ in range(n):
        work()
    return time.perf_counter() - start


def paired(
    forward: Callable[[], object],
    backprop: Callable[[], object],
    rounds: int = 7,
    budget: float = 0.02,
) -> tuple[float, float, float]:
    """Both timed in turns, round after round: the median seconds of each, and of their ratio.

    Each round calls `forward` as often as fits in `budget` seconds, then
    `backprop` as often; the ratio backprop / forward is taken within each
    round and its median over the rounds returned, so that a busy spell of the
    machine falls on both alike.

    >>> f, b, k = paired(lambda: sum(range(1_000)), lambda: sum(range(1_000_000)), 3, 0.001)
    >>> f > 0 and b > 0 and k > 10  # a thousand times the work: no busy spell hides it
    True
    """
    samples, calls = turns(forward, backprop, rounds, budget)
    for name, found, n in zip(("forward", "backprop"), samples, calls, strict=True):
        if min(found) <= 0:
            raise RuntimeError(
                f"the clock read 0 s for {n:,} calls of {name} in a round: the "
                f"budget of {budget} s is below its tick; give a larger budget"
            )
    ratios = [b / f for f, b in zip(*samples, strict=True)]
    return (
        statistics.median(samples[0]),
        statistics.median(samples[1]),
        statistics.median(ratios),
    )


def gradient_cost(
    h: int, rounds: int = 7, budget: float = 0.02, seed: int = 0
) -> dict[str, Any]:
    """The network [784, h, 10] on a batch of 10: a forward pass and a backprop call, timed.

    Returns the sizes, P, the median seconds of each, a backprop call in forward
    passes k (measured), the ratios of finite differences to backpropagation
    that k gives (central 2P / k, forward (P + 1) / k) and the count that the
    multiply-adds give for central differences, 2P·F / (F + B).
    """
    net = Network([784, h, 10], seed=seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.uniform(0.0, 1.0, (784, BATCH))
    Y = np.eye(10)[:, rng.integers(0, 10, BATCH)]
    P = sum(p.size for p in net.weights + net.biases)

    def cost() -> float:
        return float(np.sum(example_costs(net.feedforward(X), Y)))

    forward, backprop, k = paired(cost, lambda: net.backprop(X, Y), rounds, budget)
    F, B = multiply_adds(net.sizes, m=BATCH)
    return {
        "sizes": net.sizes,
        "parameters": P,
        "forward_seconds": forward,
        "backprop_seconds": backprop,
        "backprop_in_forward_passes": k,
        "central_over_backprop": 2 * P / k,
        "forward_over_backprop": (P + 1) / k,
        "counted_central_over_backprop": 2 * P * F / (F + B),
    }


def gradient_costs(
    hidden: Sequence[int] = HIDDEN, rounds: int = 7, budget: float = 0.02
) -> Iterator[dict[str, Any]]:
    """:func:`gradient_cost` for each width of `hidden`, one after the other, as each is done.

    Each result also says which it is of how many (``"index"``, ``"of"``), for a
    progress bar.

    >>> [(c["index"], c["of"], c["parameters"]) for c in gradient_costs((1, 3), 1, 0.001)]
    [(1, 2, 805), (2, 2, 2395)]
    """
    for index, h in enumerate(hidden, 1):
        yield {"index": index, "of": len(hidden), **gradient_cost(h, rounds, budget)}
