"""Gradient descent and stochastic gradient descent, eqs. (14) to (19).

The functions here work on any parameters given as a list of arrays (a network's
weights and biases, or the two numbers of :class:`LineFit`) and on any cost that
can report its gradient. :class:`LineFit` is a cost of two parameters, small
enough to draw, on which the pages watch descent happen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from backprop import _checks
from backprop._types import Array
from backprop.calculus import central_difference

__all__ = [
    "LineFit",
    "directional_derivative",
    "gradient_descent",
    "gradient_step",
    "mini_batches",
    "minibatch_gradient",
    "sgd_path",
]


# --8<-- [start:directional]
def directional_derivative(f: Callable[[Array], float], v: Array, u: Array) -> float:
    """D_u f, the left side of eq. (15): the rate of change of `f` at `v` along the unit vector `u`.

    Eq. (15) says it equals ∇f(v) · u; here it is measured without the gradient,
    by stepping along u: (f(v + hu) − f(v − hu)) / 2h.
    """
    norm = float(np.linalg.norm(u))
    if not np.isclose(norm, 1.0):  # kept here: a fact about u's numbers, eq. (15)
        raise ValueError(f"u must be a unit vector, got length {norm}")
    return central_difference(lambda t: f(v + t * u), 0.0)
    # --8<-- [end:directional]


# --8<-- [start:step]
def gradient_step(
    params: Sequence[Array], grads: Sequence[Array], eta: float
) -> list[Array]:
    """Eqs. (16) and (17): move every parameter against its gradient, v' = v − η∇C.

    `params` and `grads` are lists of arrays of matching shapes (for a network:
    its weights, or its biases); `eta` is the learning rate η > 0.

    >>> gradient_step([np.array([1.0, 2.0])], [np.array([0.5, -1.0])], eta=0.1)
    [array([0.95, 2.1 ])]
    """
    eta = _checks.positive_float("eta", eta)
    _checks.same_length("parameter arrays", params, "gradients", grads)
    for p, g in zip(params, grads, strict=True):
        _checks.same_shape("parameter", p, "gradient", g)
    return [p - eta * g for p, g in zip(params, grads, strict=True)]
    # --8<-- [end:step]


def gradient_descent(
    gradient: Callable[[Array], Array], start: Array, eta: float, steps: int
) -> Array:
    """Eq. (16) repeated: the path v_0, v_1, …, v_steps, one row per point."""
    steps = _checks.positive_int("steps", steps)
    path: list[Array] = [np.asarray(start, dtype=np.float64)]
    for _ in range(steps):
        (v,) = gradient_step([path[-1]], [gradient(path[-1])], eta)
        path.append(v)
    return np.array(path)


# --8<-- [start:minibatch]
def mini_batches(n: int, m: int, rng: np.random.Generator) -> list[NDArray[np.intp]]:
    """One epoch: the indices 0…n−1 in a random order, cut into batches of `m`.

    The last batch is smaller when m does not divide n; no example is left out.

    >>> batches = mini_batches(10, 4, np.random.default_rng(0))
    >>> [len(batch) for batch in batches], sorted(np.concatenate(batches).tolist())
    ([4, 4, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    n, m = _checks.positive_int("n", n), _checks.positive_int("m", m)
    order = rng.permutation(n)
    return [order[start : start + m] for start in range(0, n, m)]


def minibatch_gradient(
    example_gradients: Callable[[NDArray[np.intp]], Array], batch: NDArray[np.intp]
) -> Array:
    """Eq. (18): the mean of the per-example gradients ∇C_x over a mini-batch.

    `example_gradients(batch)` returns one gradient per row, for the examples
    whose indices are in `batch`.
    """
    if len(batch) == 0:  # kept here: eq. (18)'s mean of no gradients is undefined
        raise ValueError("a mini-batch needs at least one example")
    grads: Array = np.mean(example_gradients(batch), axis=0)
    return grads
    # --8<-- [end:minibatch]


# --8<-- [start:sgd-path]
def sgd_path(
    problem: LineFit, start: Array, eta: float, m: int, epochs: int, seed: int
) -> Array:
    """Eq. (19): stochastic gradient descent; the parameters after every mini-batch.

    Each epoch shuffles the n examples and takes one step of size η per batch of
    m, along the batch's mean gradient, that is η/m times the sum of its gradients.
    """
    rng = np.random.default_rng(seed)
    path: list[Array] = [np.asarray(start, dtype=np.float64)]
    for _ in range(_checks.positive_int("epochs", epochs)):
        for batch in mini_batches(problem.n, m, rng):
            grad = minibatch_gradient(
                lambda b: problem.example_gradients(path[-1], b), batch
            )
            path.append(gradient_step([path[-1]], [grad], eta)[0])
    return np.array(path)
    # --8<-- [end:sgd-path]


# --8<-- [start:linefit]
@dataclass(frozen=True)
class LineFit:
    """Fit a line a = w·x + b to points (x_i, y_i) by the quadratic cost.

    The parameters are v = (w, b); the cost of example i is C_i = ½(w x_i + b − y_i)²
    and the cost of the data set is their mean. Its gradient is exact and cheap,
    so descent can be watched on the (w, b) plane.
    """

    x: Array
    y: Array

    @classmethod
    def sample(cls, n: int = 100, seed: int = 0) -> LineFit:
        """n points near the line y = 2x − 1, with x in [0, 3] and noise of size 0.5."""
        rng = np.random.default_rng(seed)
        x = rng.uniform(0.0, 3.0, n)
        return cls(x=x, y=2.0 * x - 1.0 + 0.5 * rng.standard_normal(n))

    @property
    def n(self) -> int:
        """The number of examples."""
        return len(self.x)

    def cost(self, v: Array) -> float:
        """C(v) = (1/n) Σ_i ½(w x_i + b − y_i)²."""
        residual = v[0] * self.x + v[1] - self.y
        return float(np.mean(0.5 * residual**2))

    def example_gradients(
        self, v: Array, batch: NDArray[np.intp] | None = None
    ) -> Array:
        """∇C_i = (w x_i + b − y_i)·(x_i, 1), one row per example of `batch` (all)."""
        x = self.x if batch is None else self.x[batch]
        y = self.y if batch is None else self.y[batch]
        residual = v[0] * x + v[1] - y
        return np.column_stack([residual * x, residual])

    def cost_gradient(self, v: Array) -> Array:
        """∇C(v), the mean of the per-example gradients: the ∇C of eqs. (14) and (16)."""
        grad: Array = np.mean(self.example_gradients(v), axis=0)
        return grad

    def minimum(self) -> Array:
        """The exact minimiser (w*, b*), by least squares."""
        design = np.column_stack([self.x, np.ones_like(self.x)])
        solution = np.linalg.lstsq(design, self.y, rcond=None)[0]
        return np.asarray(solution, dtype=np.float64)

    def largest_stable_eta(self) -> float:
        """2/λ_max: the learning rate above which full-batch descent diverges.

        The cost is quadratic with Hessian H = (1/n) Σ_i (x_i, 1)ᵀ(x_i, 1); a step
        multiplies the error along H's top eigenvector by 1 − ηλ_max, which grows
        in size once η > 2/λ_max.
        """
        design = np.column_stack([self.x, np.ones_like(self.x)])
        hessian = design.T @ design / self.n
        return float(2.0 / np.linalg.eigvalsh(hessian)[-1])

    # --8<-- [end:linefit]
