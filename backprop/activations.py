"""The sigmoid activation and its derivative, eq. (9), safe for any finite input.

In 1 / (1 + e^(-z)), the exponential overflows to infinity once z < -709 in
float64 (z < -88 in float32). That is harmless: 1 / (1 + ∞) = 0, which is σ(z)
to the precision of the type, and no NaN can arise. The functions here let it
happen without NumPy's overflow warning, and otherwise compute the textbook
formula to full relative precision.

:func:`sigmoid` is the formula as the pages write it. :func:`sigmoid_into`
computes the same numbers in place, four passes over one array and no new one,
for the trainer's fast path (the performance page shows it; a test checks that
the two agree to the last bit).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop import _checks

__all__ = ["sigmoid", "sigmoid_into", "sigmoid_prime"]


# --8<-- [start:sigmoid]
def sigmoid(z: ArrayLike) -> NDArray[np.floating]:
    """σ(z) = 1 / (1 + e^(-z)), entry by entry (eq. 9), in the dtype of `z`.

    >>> z = np.array([-1e4, -2.0, 0.0, 2.0, 1e4])
    >>> s = sigmoid(z)
    >>> print(s)
    [0.         0.11920292 0.5        0.88079708 1.        ]
    >>> bool(np.allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-15))
    True
    >>> sigmoid(np.float32(-100.0)).dtype
    dtype('float32')
    """
    z = _checks.floating(z)
    with np.errstate(over="ignore"):  # e^(-z) = ∞ for z < -709 gives σ = 0: right
        s: NDArray[np.floating] = 1.0 / (1.0 + np.exp(-z))
    return s


def sigmoid_prime(z: ArrayLike) -> NDArray[np.floating]:
    """σ'(z) = σ(z)·(1 − σ(z)), entry by entry (eq. 9).

    Checked against a central difference of :func:`sigmoid`:

    >>> z = np.linspace(-6, 6, 13)
    >>> h = 1e-6
    >>> numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    >>> bool(np.max(np.abs(sigmoid_prime(z) - numeric)) < 1e-10)
    True
    """
    s = sigmoid(z)
    return s * (1.0 - s)
    # --8<-- [end:sigmoid]


# --8<-- [start:sigmoid-into]
def sigmoid_into(
    z: NDArray[np.floating], out: NDArray[np.floating]
) -> NDArray[np.floating]:
    """σ(z) written into `out` (which may be `z` itself): eq. (9), no new array.

    The same four operations as :func:`sigmoid`, each one pass over `out`.

    >>> z = np.array([-1e4, -2.0, 0.0, 2.0, 1e4])
    >>> expected = sigmoid(z)
    >>> same = sigmoid_into(z, z)
    >>> same is z, bool(np.array_equal(z, expected))
    (True, True)
    """
    np.negative(z, out=out)
    with np.errstate(over="ignore"):  # e^(-z) = ∞ for z < -709 gives σ = 0: right
        np.exp(out, out=out)
    np.add(out, 1.0, out=out)
    np.reciprocal(out, out=out)
    return out
    # --8<-- [end:sigmoid-into]
