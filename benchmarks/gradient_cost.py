"""Finite differences against backpropagation for the whole gradient, as P grows.

For networks [784, h, 10] with P parameters from about a thousand to a million,
on a mini-batch of 10 examples, the script times

* backpropagation: one call of ``Network.backprop``, a forward and a backward pass;
* finite differences: the gradient by forward differences, (C(p + h) − C(p)) / h for
  every parameter p: P + 1 forward passes. Where a full sweep would take too long,
  the time of one perturbed pass is measured on a random sample of parameters and
  multiplied by P + 1; the record says so (``"sampled"``).

    .venv/bin/python benchmarks/gradient_cost.py   # writes results/gradient_cost.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import describe, timing  # noqa: E402

from backprop.costs import example_costs  # noqa: E402
from backprop.network import Network  # noqa: E402

HIDDEN = (1, 3, 10, 30, 100, 300, 1000)
BATCH = 10
FULL_SWEEP_UP_TO = 3_000  # parameters; above this, sample
SAMPLE = 400
RESULT = HERE / "results" / "gradient_cost.json"


def case(h: int) -> dict[str, object]:
    net = Network([784, h, 10], seed=0)
    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (784, BATCH))
    Y = np.eye(10)[:, rng.integers(0, 10, BATCH)]
    params = net.weights + net.biases
    P = sum(p.size for p in params)

    def cost() -> float:
        return float(np.sum(example_costs(net.feedforward(X), Y)))

    locations = [(k, i) for k, p in enumerate(params) for i in range(p.size)]
    sampled = P > FULL_SWEEP_UP_TO
    if sampled:
        picks = rng.choice(len(locations), SAMPLE, replace=False)
        locations = [locations[i] for i in picks]

    def sweep() -> None:
        """Forward differences for the chosen parameters (the baseline pass included)."""
        base = cost()
        for k, i in locations:
            flat = params[k].reshape(-1)
            old = flat[i]
            flat[i] = old + 1e-7
            _ = (cost() - base) / 1e-7
            flat[i] = old

    per_pass = timing(sweep, repeats=5, budget=0.5, per_call=len(locations) + 1)
    backprop = timing(lambda: net.backprop(X, Y), repeats=7)
    return {
        "sizes": net.sizes,
        "parameters": P,
        "batch": BATCH,
        "sampled": sampled,
        "forward_passes": P + 1,
        "seconds_per_pass": per_pass,
        "finite_differences_seconds": per_pass["median"] * (P + 1),
        "backprop_seconds": backprop,
    }


def main() -> None:
    record = {
        "what": "seconds for the whole gradient: finite differences (P + 1 forward "
        "passes) against one backprop call",
        "machine": describe(),
        "cases": [],
    }
    for h in HIDDEN:
        row = case(h)
        record["cases"].append(row)
        ratio = row["finite_differences_seconds"] / row["backprop_seconds"]["median"]
        print(
            f"P = {row['parameters']:>9,}: finite differences {row['finite_differences_seconds']:10.4f} s"
            f"{' (sampled)' if row['sampled'] else ''}, backprop "
            f"{1e3 * row['backprop_seconds']['median']:.3f} ms, ratio {ratio:,.0f}"
        )
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
