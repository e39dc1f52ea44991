"""Forward mode against reverse mode for f: R^n → R, as n grows from 10 to 100,000.

The function is the first chapter's f(x) = Σ σ(x_i x_{i+1}). Two implementations:

* the graph engine (backprop.graph), for n up to 1,000: forward mode calls
  ``derivative`` once per input; reverse mode calls ``backward`` once;
* the vectorised one (backprop.modes), for every n: forward mode runs one tangent
  pass per input; reverse mode one backward pass. Where n tangent passes would
  take too long, a random sample of passes is timed and multiplied by n; the
  record says so.

At n = 1,000,000, where the essay puts its "about 500,000 times", the parts of
the ratio are timed directly (:func:`parts`): one evaluation, one tangent pass,
and one evaluation with its reverse pass.

    .venv/bin/python benchmarks/modes.py           # writes results/modes.json
    .venv/bin/python benchmarks/modes.py --smoke   # seconds: does everything run?
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import arguments, describe, show, timing  # noqa: E402
from fingerprint import of_record  # noqa: E402

from backprop import modes  # noqa: E402
from backprop.graph import Var, sigmoid  # noqa: E402

SIZES = (10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)
GRAPH_UP_TO = 1_000
FULL_UP_TO = 3_000
SAMPLE = 300
PARTS_AT = 1_000_000  # where the essay puts its "about 500,000 times"
RESULT = HERE / "results" / "modes.json"
#: --smoke: a size with the graph and every tangent pass, the first size that
#: samples its passes, the parts at a small n, one round and one short repeat.
SMOKE_SIZES, SMOKE_PARTS_AT = (10, FULL_UP_TO + 1), 10


def graph_case(x: np.ndarray, smoke: bool = False) -> dict[str, object]:
    xs = [Var(float(v), name=f"x{i}") for i, v in enumerate(x)]
    f = sum(sigmoid(u * v) for u, v in pairwise(xs))
    assert isinstance(f, Var)
    inputs = f.inputs()
    forward = timing(
        lambda: [f.derivative(x_i) for x_i in inputs],
        repeats=3,
        budget=0.1,
        smoke=smoke,
    )
    reverse = timing(f.backward, repeats=5, budget=0.1, smoke=smoke)
    return {
        "forward_seconds": forward["median"],
        "reverse_seconds": reverse["median"],
        "edges": sum(len(node.edges) for node in f.nodes()),
    }


def vector_case(
    x: np.ndarray, rng: np.random.Generator, smoke: bool = False
) -> dict[str, object]:
    n = x.size
    sampled = n > FULL_UP_TO
    chosen = rng.choice(n, SAMPLE, replace=False) if sampled else None
    passes = SAMPLE if sampled else n
    per_pass = timing(
        lambda: modes.forward_mode_gradient(x, chosen),
        repeats=5,
        budget=0.2,
        per_call=passes,
        smoke=smoke,
    )
    reverse = timing(lambda: modes.reverse_mode_gradient(x), repeats=7, smoke=smoke)
    return {
        "sampled": sampled,
        "forward_seconds": per_pass["median"] * n,
        "reverse_seconds": reverse["median"],
    }


def parts(n: int, rounds: int = 41) -> dict[str, object]:
    """The three parts of the ratio at n inputs, each timed directly.

    * ``value_seconds``: one evaluation of f, :func:`backprop.modes.value`;
    * ``tangent_seconds``: one forward-mode pass, :func:`backprop.modes.tangent`,
      which evaluates f again and carries one tangent beside it;
    * ``reverse_seconds``: :func:`backprop.modes.reverse_mode_gradient`, one
      evaluation that keeps what the backward pass needs, then the backward pass.

    The whole gradient costs n tangent passes in forward mode and one evaluation
    and one reverse pass in reverse mode, so the ratio is
    n × tangent_seconds / reverse_seconds, taken within each round. The n passes are not run (at a
    million inputs they would take hours); their time is counted from one.
    """
    x = np.random.default_rng(1).uniform(-1.0, 1.0, n)
    v = np.zeros(n)
    v[n // 2] = 1.0
    works = {
        "value": lambda: modes.value(x),
        "tangent": lambda: modes.tangent(x, v),
        "reverse": lambda: modes.reverse_mode_gradient(x),
    }
    for work in works.values():  # warm up
        work()
    # The three take turns, round after round, so that a busy spell of a shared
    # machine falls on all of them alike; the ratio is the median over the
    # rounds of the ratio within a round.
    samples: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(rounds):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            samples[name].append(time.perf_counter() - start)
    ratios = [
        n * t / r for t, r in zip(samples["tangent"], samples["reverse"], strict=True)
    ]

    def summary(found: list[float]) -> dict[str, float]:
        return {
            "median": statistics.median(found),
            "min": min(found),
            "max": max(found),
        }

    return {
        "n": n,
        "rounds": rounds,
        "value_seconds": summary(samples["value"]),
        "tangent_seconds": summary(samples["tangent"]),
        "reverse_seconds": summary(samples["reverse"]),
        "ratio": statistics.median(ratios),
    }


def main() -> None:
    smoke = arguments(__doc__).parse_args().smoke
    rng = np.random.default_rng(0)
    record = {
        "what": "seconds for the whole gradient of f(x) = sum sigma(x_i x_(i+1)): "
        "n forward-mode passes against one reverse pass",
        "machine": describe(),
        "fingerprint": of_record(RESULT.name),
        "parts": parts(SMOKE_PARTS_AT, rounds=1) if smoke else parts(PARTS_AT),
        "cases": [],
    }
    p = record["parts"]
    print(
        f"n = {p['n']:,}: evaluation {1e3 * p['value_seconds']['median']:.2f} ms,"
        f" tangent pass {1e3 * p['tangent_seconds']['median']:.2f} ms,"
        f" evaluation and reverse pass {1e3 * p['reverse_seconds']['median']:.2f} ms,"
        f" ratio {p['ratio']:,.0f}",
        flush=True,
    )
    for n in SMOKE_SIZES if smoke else SIZES:
        x = rng.uniform(-1.0, 1.0, n)
        row: dict[str, object] = {"n": n, "vectorised": vector_case(x, rng, smoke)}
        if n <= GRAPH_UP_TO:
            row["graph"] = graph_case(x, smoke)
        record["cases"].append(row)
        v = row["vectorised"]
        print(
            f"n = {n:>7,}: vectorised ratio {v['forward_seconds'] / v['reverse_seconds']:12,.0f}"
            + (
                f", graph ratio {row['graph']['forward_seconds'] / row['graph']['reverse_seconds']:8,.0f}"
                if "graph" in row
                else ""
            )
        )
    if smoke:
        show(record, RESULT)
    else:
        RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
