"""Forward mode against reverse mode for f: R^n → R, as n grows from 10 to 100,000.

The function is the first chapter's f(x) = Σ σ(x_i x_{i+1}). Two implementations:

* the graph engine (backprop.graph), for n up to 1,000: forward mode calls
  ``derivative`` once per input; reverse mode calls ``backward`` once;
* the vectorised one (backprop.modes), for every n: forward mode runs one tangent
  pass per input; reverse mode one backward pass. Where n tangent passes would
  take too long, a random sample of passes is timed and multiplied by n; the
  record says so.

    .venv/bin/python benchmarks/modes.py   # writes results/modes.json
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import describe, timing  # noqa: E402

from backprop import modes  # noqa: E402
from backprop.graph import Var, sigmoid  # noqa: E402

SIZES = (10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)
GRAPH_UP_TO = 1_000
FULL_UP_TO = 3_000
SAMPLE = 300
RESULT = HERE / "results" / "modes.json"


def graph_case(x: np.ndarray) -> dict[str, object]:
    xs = [Var(float(v), name=f"x{i}") for i, v in enumerate(x)]
    f = sum(sigmoid(u * v) for u, v in pairwise(xs))
    assert isinstance(f, Var)
    inputs = f.inputs()
    forward = timing(
        lambda: [f.derivative(x_i) for x_i in inputs], repeats=3, budget=0.1
    )
    reverse = timing(f.backward, repeats=5, budget=0.1)
    return {
        "forward_seconds": forward["median"],
        "reverse_seconds": reverse["median"],
        "edges": sum(len(node.edges) for node in f.nodes()),
    }


def vector_case(x: np.ndarray, rng: np.random.Generator) -> dict[str, object]:
    n = x.size
    sampled = n > FULL_UP_TO
    chosen = rng.choice(n, SAMPLE, replace=False) if sampled else None
    passes = SAMPLE if sampled else n
    per_pass = timing(
        lambda: modes.forward_mode_gradient(x, chosen),
        repeats=5,
        budget=0.2,
        per_call=passes,
    )
    reverse = timing(lambda: modes.reverse_mode_gradient(x), repeats=7)
    return {
        "sampled": sampled,
        "forward_seconds": per_pass["median"] * n,
        "reverse_seconds": reverse["median"],
    }


def main() -> None:
    rng = np.random.default_rng(0)
    record = {
        "what": "seconds for the whole gradient of f(x) = sum sigma(x_i x_(i+1)): "
        "n forward-mode passes against one reverse pass",
        "machine": describe(),
        "cases": [],
    }
    for n in SIZES:
        x = rng.uniform(-1.0, 1.0, n)
        row: dict[str, object] = {"n": n, "vectorised": vector_case(x, rng)}
        if n <= GRAPH_UP_TO:
            row["graph"] = graph_case(x)
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
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
