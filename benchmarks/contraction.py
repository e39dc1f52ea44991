"""Time and size the two routes to ∇_W C for one layer y = σ(Wx + b), W of shape (p, q).

* the tensor route builds ∂y/∂W, a (p, p, q) array (eq. 28), and contracts it with
  ∇_y C (eq. 25);
* the outer-product route computes (∇_y C ⊙ σ'(z)) xᵀ directly (eq. 29).

Both routes call the functions of backprop.calculus that the site shows, argument
checks included, so the times are those of the code on the page.

Run it from the repository root, on purpose, when the record should be refreshed:

    .venv/bin/python benchmarks/contraction.py
    .venv/bin/python benchmarks/contraction.py --smoke    # seconds: does everything run?

It writes benchmarks/results/contraction.json: for each width p = q, the median,
minimum and maximum time per call of each route over several repeats, the bytes
of the array each route builds, and a description of the machine. The site shows
the recorded times; it never measures speed while it is built or tested.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from backprop.calculus import contract, layer_weight_gradient, layer_weight_tensor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import arguments, describe, show, timing
from fingerprint import of_record

WIDTHS = (10, 30, 100, 300)
REPEATS = 9
SMOKE_WIDTHS = WIDTHS[:1]  # --smoke: the narrowest, one short repeat
RESULT = Path(__file__).resolve().parent / "results" / "contraction.json"


def measure(width: int, seed: int = 0, smoke: bool = False) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    p = q = width
    W, b = rng.normal(size=(p, q)), rng.normal(size=(p, 1))
    x, grad_y = rng.normal(size=(q, 1)), rng.normal(size=(p, 1))

    def by_tensor() -> NDArray[np.float64]:
        return contract(grad_y, layer_weight_tensor(W, b, x))

    def by_outer_product() -> NDArray[np.float64]:
        return layer_weight_gradient(grad_y, W, b, x)

    gap = float(np.max(np.abs(by_tensor() - by_outer_product())))
    if not gap < 1e-12:
        raise RuntimeError(f"the two routes differ by {gap} at width {width}")
    return {
        "p": p,
        "q": q,
        "tensor_bytes": layer_weight_tensor(W, b, x).nbytes,
        "outer_bytes": by_outer_product().nbytes,
        "tensor_seconds": timing(by_tensor, REPEATS, budget=0.2, smoke=smoke),
        "outer_seconds": timing(by_outer_product, REPEATS, budget=0.2, smoke=smoke),
    }


def main() -> None:
    smoke = arguments(__doc__).parse_args().smoke
    # The machine, and its load average before the measurement: other processes
    # running meanwhile slow it down, which whoever reads the record should know.
    before = describe()
    widths = [
        measure(width, smoke=smoke) for width in (SMOKE_WIDTHS if smoke else WIDTHS)
    ]
    record = {
        "what": "seconds per call and bytes built, for grad_W C of one layer "
        "(p outputs, q inputs): tensor (eq. 28) + contraction (eq. 25) "
        "versus the outer product (eq. 29)",
        "repeats": 1 if smoke else REPEATS,
        "recorded": before["recorded"],
        "machine": before,
        "fingerprint": of_record(RESULT.name),
        "widths": widths,
    }
    if smoke:
        show(record, RESULT)
    else:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for row in widths:
        print(row)


if __name__ == "__main__":
    main()
