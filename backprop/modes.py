"""Forward and reverse mode on arrays, for a function of many inputs and one output.

The first chapter's generated graph, f(x) = Σ_i σ(x_i · x_{i+1}), written with
NumPy so that it scales to a hundred thousand inputs. The same three steps as
the graph engine, each a whole-array operation:

* :func:`value`: the forward evaluation;
* :func:`tangent`: forward mode, eq. (4): the derivative of f along one
  direction v, computed alongside the value; the gradient needs one such pass
  per input, with v running through the unit vectors;
* :func:`reverse_mode_gradient`: reverse mode, eq. (5): every ∂f/∂x_i from one backward
  pass over the same steps.

>>> x = np.array([0.5, -1.0, 2.0])
>>> g = reverse_mode_gradient(x)
>>> bool(np.allclose(g, [tangent(x, e)[1] for e in np.eye(3)], rtol=1e-14))
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from backprop.activations import sigmoid

__all__ = ["forward_mode_gradient", "reverse_mode_gradient", "tangent", "value"]

Vector = NDArray[np.float64]


def value(x: Vector) -> float:
    """f(x) = Σ_i σ(x_i x_{i+1}) for a vector x of n ≥ 2 inputs."""
    return float(np.sum(sigmoid(x[:-1] * x[1:])))


# --8<-- [start:tangent]
def tangent(x: Vector, v: Vector) -> tuple[float, float]:
    """Forward mode: f(x) and its derivative along v, in one pass (eq. 4).

    Each intermediate carries its tangent: u_i = x_i x_{i+1} has
    u̇_i = ẋ_i x_{i+1} + x_i ẋ_{i+1} (eq. 2), s_i = σ(u_i) has ṡ_i = σ'(u_i) u̇_i,
    and the sum adds the tangents (eq. 1).
    """
    u = x[:-1] * x[1:]
    u_dot = v[:-1] * x[1:] + x[:-1] * v[1:]
    s = sigmoid(u)
    s_dot = s * (1.0 - s) * u_dot
    return float(np.sum(s)), float(np.sum(s_dot))
    # --8<-- [end:tangent]


# --8<-- [start:reverse-mode-gradient]
def reverse_mode_gradient(x: Vector) -> Vector:
    """Reverse mode: ∇f(x), every input's derivative from one backward pass (eq. 5).

    The adjoint of f is 1; each s_i gets 1, each u_i gets σ'(u_i), and each x_i
    collects one term from every product it enters: u_{i-1} and u_i.
    """
    s = sigmoid(x[:-1] * x[1:])
    u_bar = s * (1.0 - s)
    x_bar = np.zeros_like(x)
    x_bar[:-1] += u_bar * x[1:]
    x_bar[1:] += u_bar * x[:-1]
    return x_bar
    # --8<-- [end:reverse-mode-gradient]


def forward_mode_gradient(
    x: Vector, inputs: NDArray[np.intp] | Sequence[int] | None = None
) -> Vector:
    """∂f/∂x_i by forward mode, one tangent pass per input i (all inputs, or `inputs`).

    >>> x = np.linspace(-1, 1, 50)
    >>> bool(np.allclose(forward_mode_gradient(x), reverse_mode_gradient(x), rtol=1e-13, atol=1e-16))
    True
    >>> bool(np.allclose(forward_mode_gradient(x, [0, 7]), reverse_mode_gradient(x)[[0, 7]]))
    True
    """
    chosen = np.arange(x.size) if inputs is None else np.asarray(inputs, dtype=np.intp)
    derivatives = np.empty(chosen.size)
    v = np.zeros_like(x)
    for k, i in enumerate(chosen):
        v[i] = 1.0
        derivatives[k] = tangent(x, v)[1]
        v[i] = 0.0
    return derivatives
