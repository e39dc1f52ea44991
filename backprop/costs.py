"""The quadratic cost, on one example and on a data set, and its gradient in a^L.

One example x with target y costs C_x = ½‖y − a^L(x)‖² (eq. 11); a data set of n
examples costs the mean C = (1/n) Σ_x C_x (eq. 12), the empirical average (eq. 10)
of the per-example cost. The factor ½ is there so that the gradient with respect
to the output, ∇_{a^L} C_x = a^L − y (eq. 13), has no factor 2.

Arrays hold one example per column: a single example is a column (n_L, 1), a data
set of n examples is (n_L, n). Outputs and targets must have the same shape; a flat
target of shape (n_L,) is refused rather than broadcast against a column.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop import _checks

__all__ = ["cost_derivative", "empirical_cost", "example_costs", "quadratic_cost"]


def _outputs_and_targets(
    a: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    a_, y_ = _checks.columns("a", a), _checks.columns("y", y)
    _checks.same_shape("a", a_, "y", y_)
    return a_, y_


# --8<-- [start:empirical]
def empirical_cost(losses: ArrayLike) -> float:
    """Eq. (10): Ĉ = (1/n) Σ_i ℓ_i, the mean of the losses of n examples.

    `losses` holds one loss per example, ℓ_i = ℓ(h(x_i), y_i), whatever the loss.
    Against the sum written out:

    >>> losses = [0.5, 0.25, 2.0, 0.25]
    >>> empirical_cost(losses), (0.5 + 0.25 + 2.0 + 0.25) / 4
    (0.75, 0.75)
    """
    return float(np.mean(_checks.vector("losses", losses)))
    # --8<-- [end:empirical]


# --8<-- [start:quadratic]
def example_costs(a: ArrayLike, y: ArrayLike) -> NDArray[np.floating]:
    """Eq. (11) for every column: C_x = ½‖y − a‖², one value per example.

    >>> a = np.array([[0.8, 0.5], [0.1, 0.5]])   # two examples, two outputs each
    >>> y = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> print(example_costs(a, y))               # ½(0.2² + 0.1²), ½(0.5² + 0.5²)
    [0.025 0.25 ]
    """
    a_, y_ = _outputs_and_targets(a, y)
    costs: NDArray[np.floating] = 0.5 * np.sum((y_ - a_) ** 2, axis=0)
    return costs


def quadratic_cost(a: ArrayLike, y: ArrayLike) -> float:
    """Eq. (12): the mean of C_x over the columns; for one column it is C_x itself.

    It is the empirical average of eq. (10) for the quadratic loss of eq. (11).

    >>> a = np.array([[0.8, 0.5], [0.1, 0.5]])
    >>> y = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> round(quadratic_cost(a, y), 10)          # (0.025 + 0.25) / 2
    0.1375
    >>> round(quadratic_cost(a[:, :1], y[:, :1]), 10)
    0.025
    """
    return empirical_cost(example_costs(a, y))
    # --8<-- [end:quadratic]


# --8<-- [start:derivative]
def cost_derivative(a: ArrayLike, y: ArrayLike) -> NDArray[np.floating]:
    """Eq. (13): ∇_a C_x = a − y, the gradient of C_x with respect to the output a.

    Checked against central differences of C_x, one output at a time:

    >>> a, y = np.array([[0.8], [0.1]]), np.array([[1.0], [0.0]])
    >>> h = 1e-6
    >>> C = lambda a_: quadratic_cost(a_, y)
    >>> units = np.eye(2)[:, :, None]                 # the columns (1, 0) and (0, 1)
    >>> numeric = [(C(a + h * e) - C(a - h * e)) / (2 * h) for e in units]
    >>> print(cost_derivative(a, y).ravel(), np.round(numeric, 8))
    [-0.2  0.1] [-0.2  0.1]
    """
    a_, y_ = _outputs_and_targets(a, y)
    return a_ - y_
    # --8<-- [end:derivative]
