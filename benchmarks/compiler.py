"""What the compiler removes from a step: dispatch, temporaries, and separate passes.

Each trick of backprop.compiled is timed against the NumPy code it replaces,
on the case where it matters:

* **dispatch**, on [784, 30, 10] with batches of 10: the output error
  (η/m) δ^L = (η/m)(a^L − y) a^L (1 − a^L) of 100 entries, four NumPy calls
  against one compiled loop; and the whole step, the trainer's NumPy step
  (``compiled=False``, about thirty NumPy calls) against its compiled step
  (one call);
* **temporaries**, on the hidden layer of [784, 1000, 1000, 10] with batches
  of 1000 (a million entries): δ^l times σ'(z^l) = a^l (1 − a^l), in NumPy
  ``delta *= a; delta *= 1.0 - a`` (``1.0 - a`` is a new array), against the
  compiled loop, which keeps each entry in a register;
* **fusion**, on the same layer: the bias and σ after the product, NumPy's
  ``a += b`` and ``sigmoid(a, out=a)`` (five passes over a million entries:
  add, negate, exp, add, reciprocal) against one compiled pass, with the
  compiled step's own vectorised e^t;
* **a vectorised e^t**, on the same layer: that compiled pass with the C
  library's ``exp``, which numba calls once per entry, against the same pass
  with ``backprop.compiled._exp``, which the compiler vectorises;
* **one pass to update**, on W^1 of [784, 30, 10] with batches of 10: the
  product δ^1 X^T into an array of its own, the difference W^1 − δ^1 X^T with
  its check for NaN and ∞, and the copy back into W^1 (the careful way),
  against the check that no entry can overflow and one BLAS product that
  subtracts from W^1 in place (``_safe`` and ``_descend``).

Each rival runs 150 short turns, in blocks of its own (benchmarks/common.py);
the record keeps each one's median and fastest tenth, and their ratio.

    .venv/bin/python benchmarks/compiler.py
    .venv/bin/python benchmarks/compiler.py --smoke    # seconds: does everything run?

It writes benchmarks/results/compiler.json with a description of the machine.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import arguments, describe, limit_threads, show  # noqa: E402
from fast_path import ROUNDS, pair  # noqa: E402
from fingerprint import of_record  # noqa: E402

RESULT = HERE / "results" / "compiler.json"
SMALL, SMALL_BATCH = [784, 30, 10], 10
LARGE, LARGE_BATCH = [784, 1000, 1000, 10], 1000
ETA = 0.5
#: --smoke: small layers and batches, and two turns (one a block) per rival.
SMOKE_SMALL, SMOKE_SMALL_BATCH = [64, 16, 10], 10
SMOKE_LARGE, SMOKE_LARGE_BATCH = [64, 32, 32, 10], 32
SMOKE_ROUNDS = 2


def main() -> None:
    smoke = arguments(__doc__).parse_args().smoke
    small, small_batch, large, large_batch, rounds = (
        (SMOKE_SMALL, SMOKE_SMALL_BATCH, SMOKE_LARGE, SMOKE_LARGE_BATCH, SMOKE_ROUNDS)
        if smoke
        else (SMALL, SMALL_BATCH, LARGE, LARGE_BATCH, ROUNDS)
    )
    limit_threads(1)  # the tricks are single-threaded; BLAS is not what is timed
    import numpy as np

    from backprop import compiled
    from backprop.activations import sigmoid_into
    from backprop.network import Network
    from backprop.training import Trainer

    rng = np.random.default_rng(1)
    # Dispatch: the output error of the small case, and the whole step.
    a_L = rng.uniform(0.0, 1.0, (small[-1], small_batch))
    Y = np.eye(small[-1])[:, rng.integers(0, small[-1], small_batch)]
    delta_L, scale = np.empty_like(a_L), ETA / small_batch

    def output_error_numpy() -> None:
        delta = np.subtract(a_L, Y, out=delta_L)
        delta *= a_L
        delta *= 1.0 - a_L
        delta *= scale

    X = rng.uniform(0.0, 1.0, (small[0], small_batch))
    numpy_trainer = Trainer(Network(small, seed=0), compiled=False)
    compiled_trainer = Trainer(Network(small, seed=0), compiled=True)
    # Temporaries and fusion: the hidden layer of the large case.
    n, m = large[1], large_batch
    a = rng.uniform(0.0, 1.0, (n, m))
    delta, z = rng.standard_normal((n, m)), rng.standard_normal((n, m))
    b = rng.standard_normal((n, 1))
    out = np.empty((n, m))

    def sigma_prime_numpy() -> None:
        delta[...] *= a
        delta[...] *= 1.0 - a

    # Both rivals work in place on the product, as a step does (each call starts
    # from the last one's σ, which keeps the values between 0 and 1 + |b|).
    out[...] = z

    def layer_numpy() -> None:
        np.add(out, b, out=out)
        sigmoid_into(out, out)

    @compiled.jit
    def bias_sigmoid_libm(b: np.ndarray, a: np.ndarray) -> None:
        # The compiled pass with the C library's exp, called once per entry.
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                a[i, j] = 1.0 / (1.0 + np.exp(-(a[i, j] + b[i, 0])))

    # One pass to update: W^1 of the small case, with a tiny δ^1 so that a
    # turn of updates leaves W^1 as it was, to rounding.
    W1, b1 = Network(small, seed=0).weights[0], np.zeros((small[1], 1))
    delta_1 = 1e-9 * rng.standard_normal((small[1], small_batch))
    X_T, new_W1, new_b1 = np.ascontiguousarray(X.T), np.empty_like(W1), b1.copy()
    bound = compiled.Work(Network(small, seed=0), small_batch).bound

    @compiled.jit
    def update_aside(
        W: np.ndarray,
        b: np.ndarray,
        delta: np.ndarray,
        a_T: np.ndarray,
        new_W: np.ndarray,
        new_b: np.ndarray,
    ) -> None:
        # The update as the compiled step made it before _descend: the product
        # into an array of its own, the difference with its check for NaN and
        # ∞ (x − x is NaN for them), then the copy back.
        np.dot(delta, a_T, new_W)
        bad = 0.0
        for i in range(W.shape[0]):
            s = 0.0
            for j in range(delta.shape[1]):
                s += delta[i, j]
            new_b[i, 0] = b[i, 0] - s
            bad += new_b[i, 0] - new_b[i, 0]
            for k in range(W.shape[1]):
                new_W[i, k] = W[i, k] - new_W[i, k]
                bad += new_W[i, k] - new_W[i, k]
        if bad == 0.0:
            W[...] = new_W
            b[...] = new_b

    @compiled.jit
    def update_in_place(
        W: np.ndarray, b: np.ndarray, delta: np.ndarray, a_T: np.ndarray, bound: float
    ) -> None:
        if compiled._safe((W,), (b,), a_T, (delta,), bound):
            compiled._descend(W, b, delta, a_T)

    pairs = {
        "dispatch: output error, 4 NumPy calls against 1 compiled": (
            output_error_numpy,
            lambda: compiled._output_error(a_L, Y, scale, delta_L),
        ),
        "dispatch: the whole step, NumPy against compiled": (
            lambda: numpy_trainer.step(X, Y, ETA),
            lambda: compiled_trainer.step(X, Y, ETA),
        ),
        "temporaries: delta times a(1 - a)": (
            sigma_prime_numpy,
            lambda: compiled._times_sigma_prime(a, delta),
        ),
        "fusion: bias and sigmoid after the product": (
            layer_numpy,
            lambda: compiled._bias_sigmoid(b, out),
        ),
        "a vectorised exp: the C library's against the step's own": (
            lambda: bias_sigmoid_libm(b, out),
            lambda: compiled._bias_sigmoid(b, out),
        ),
        "update: product, difference, copy against one product": (
            lambda: update_aside(W1, b1, delta_1, X_T, new_W1, new_b1),
            lambda: update_in_place(W1, b1, delta_1, X_T, bound),
        ),
    }
    results: dict[str, Any] = {}
    for name, (slow, fast) in pairs.items():
        fast()  # compile first: the turns time the compiled code, not numba
        results[name] = t = pair(slow, fast, rounds)
        print(
            f"{name:>58}: {1e6 * t['slow']['median']:9.1f} µs against "
            f"{1e6 * t['fast']['median']:8.1f} µs (medians), ratio of fastest "
            f"tenths {t['ratio']['of_fastest_tenths']:.2f}"
        )
    record = {
        "what": "seconds per call (median, min, max and fastest tenth over short "
        "turns) of the NumPy and the compiled rival of each trick, and the ratio "
        "of their fastest tenths",
        "small": {"sizes": small, "batch": small_batch},
        "large": {"sizes": large, "batch": large_batch},
        "threads": 1,
        "niced": os.nice(0),
        "machine": describe(),
        "fingerprint": of_record(RESULT.name),
        "results": results,
    }
    if smoke:
        show(record, RESULT)
        return
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
