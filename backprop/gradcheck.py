"""Gradient checking: backpropagation against central differences of the cost.

Every derivative here is computed the slow, obvious way: change one number by a
small step up and down, recompute the cost, and divide the difference by the
step. The engine is the calculus chapter's :func:`backprop.calculus.differences`,
one entry at a time, with a finer stencil (:func:`five_point_difference`, a
central difference accurate to fourth order in the step).
For a network with P parameters that is 4P forward passes, against one forward
and one backward pass for :meth:`backprop.network.Network.backprop`; for small
networks it is affordable, and it does not share a line of code with the method
it checks.

The cost used throughout is the one `backprop` differentiates: the sum over the
columns of x of C_x = ½‖y − a^L(x)‖², which for a single column is C_x itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from backprop import _checks, storage
from backprop._types import Array
from backprop.activations import sigmoid
from backprop.calculus import differences
from backprop.costs import example_costs
from backprop.network import Network

__all__ = [
    "five_point_difference",
    "max_relative_error",
    "numerical_deltas",
    "numerical_gradient",
    "parameter_errors",
    "relative_error",
    "summed_cost",
]


def summed_cost(net: Network, x: ArrayLike, y: ArrayLike) -> float:
    """Σ_x C_x over the columns of `x`: the cost whose gradient ``backprop`` returns."""
    return float(np.sum(example_costs(net.feedforward(x), y)))


def five_point_difference(f: Callable[[Any], Any], x: Any) -> Any:
    """f'(x) by the fourth-order central stencil, with h = ε^(1/5)·max(1, |x|).

    (8(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))) / 12h cancels the h² error term of
    the plain central difference as well, leaving h⁴·f⁽⁵⁾/30; rounding adds about
    ε·|f|/h. ε is that of the type of `x`: pass a ``numpy.longdouble`` to get
    extended precision where the platform has it.

    >>> error = abs(five_point_difference(np.exp, 0.5) - np.exp(0.5))
    >>> bool(error < 1e-12)
    True
    """
    eps = np.finfo(x.dtype if isinstance(x, np.floating) else np.float64).eps
    h = eps ** (1 / 5) * max(1, abs(x))
    near = f(x + h) - f(x - h)
    far = f(x + 2 * h) - f(x - 2 * h)
    return (8 * near - far) / (12 * h)


def _extended_precision() -> type[np.floating[Any]]:
    """``numpy.longdouble`` if its exp is as precise as its arithmetic, else float64.

    The step of :func:`five_point_difference` is chosen from the type's ε, so
    the cost, whose sigmoid calls exp, must be computed to that ε. On x86-64
    Linux long double is 80-bit and its exp is too. In WebAssembly (Pyodide, the
    site's in-browser examples) long double is a 128-bit type whose exp is
    computed in double precision: a step chosen for ε ≈ 1.9e-34 then drowns in
    the exp's rounding (relative errors near 2e-7), so float64 is used there.
    """
    one = np.longdouble(1)
    eps = np.finfo(np.longdouble).eps
    if eps >= np.finfo(np.float64).eps:  # long double is double (e.g. Windows)
        return np.float64
    e, term = one, one
    for k in range(1, 40):  # e = Σ 1/k!, in the type's own arithmetic
        term = term / k
        e = e + term
    if abs(np.exp(one) - e) > 16 * eps * e:
        return np.float64
    return np.longdouble


#: The type the finite differences are computed in: the platform's extended
#: precision (80-bit on x86-64 Linux, ε ≈ 1.1e-19) where it has one, float64
#: elsewhere (see :func:`_extended_precision`). Backprop itself runs in float64;
#: a more precise reference lets the check resolve gradient entries many orders
#: of magnitude smaller than the cost.
PRECISE = _extended_precision()
#: The stencil the checks give :func:`backprop.calculus.differences`.
FIVE = five_point_difference


def _probe(net: Network, x: ArrayLike, y: ArrayLike) -> tuple[Network, Array, Array]:
    """A copy of `net` in :data:`PRECISE`, and x and y checked and converted."""
    X, Y = _checks.batch(("x", "y"), x, y, net.sizes, PRECISE)
    return storage.astype(net, PRECISE), X, Y


def _cost_after(a: Array, layers: list[tuple[Array, Array]], Y: Array) -> Any:
    """Σ_x C_x when `a` goes through the remaining (W, b) layers; in a's precision."""
    for W, b in layers:
        a = sigmoid(W @ a + b)
    return 0.5 * np.sum((Y - a) ** 2)


# --8<-- [start:numerical-gradient]
def numerical_gradient(
    net: Network, x: ArrayLike, y: ArrayLike
) -> tuple[list[Array], list[Array]]:
    """∂C/∂b^l and ∂C/∂W^l for every layer, entry by entry, by finite differences.

    Returns ``(nabla_b, nabla_w)`` shaped like ``net.biases`` and ``net.weights``,
    the same layout as :meth:`Network.backprop`. Works on a precise copy of the
    network; `net` itself is not touched.
    """
    probe, X, Y = _probe(net, x, y)
    layers = list(zip(probe.weights, probe.biases, strict=True))

    def bias_cost(l: int, b: Array) -> Any:  # b^(l+1) replaced by b
        return _cost_after(X, [*layers[:l], (layers[l][0], b), *layers[l + 1 :]], Y)

    def weight_cost(l: int, W: Array) -> Any:  # W^(l+1) replaced by W
        return _cost_after(X, [*layers[:l], (W, layers[l][1]), *layers[l + 1 :]], Y)

    nabla_b = [
        differences(partial(bias_cost, l), b, FIVE) for l, b in enumerate(probe.biases)
    ]
    nabla_w = [
        differences(partial(weight_cost, l), W, FIVE)
        for l, W in enumerate(probe.weights)
    ]
    return nabla_b, nabla_w
    # --8<-- [end:numerical-gradient]


# --8<-- [start:numerical-deltas]
def numerical_deltas(net: Network, x: ArrayLike, y: ArrayLike) -> list[Array]:
    """δ^l = ∂C/∂z^l (eq. 32) for l = 1, …, L, by nudging each weighted input z^l_j.

    The forward pass stops at layer l; from there the cost is recomputed for
    z^l_j moved up and down, with every later layer evaluated afresh. Entry
    ``l - 1`` of the result is δ^l, of shape (n_l, m).
    """
    probe, X, Y = _probe(net, x, y)
    zs, _ = probe.forward(X)
    layers = list(zip(probe.weights, probe.biases, strict=True))

    def from_layer(l: int, z: Array) -> Any:  # the cost with z^l replaced by z
        return _cost_after(sigmoid(z), layers[l:], Y)

    return [differences(partial(from_layer, l), z, FIVE) for l, z in enumerate(zs, 1)]
    # --8<-- [end:numerical-deltas]


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖): the distance of two arrays relative to their size.

    Two arrays that are both exactly zero are 0 apart. Every gradient check on
    the site passes when this is small, so it must come out large when the
    arrays differ: an array against twice itself is 1/2 apart, orthogonal
    vectors of equal length √2, an array against its negative 2.

    >>> relative_error([1.0, 2.0], [1.0, 2.0 + 1e-9]) < 1e-9
    True
    >>> a = np.array([3.0, -4.0])
    >>> relative_error(a, 2 * a), round(relative_error([1.0, 0.0], [0.0, 1.0]) ** 2, 12)
    (0.5, 2.0)
    >>> relative_error(a, -a), relative_error(np.zeros(2), np.zeros(2))
    (2.0, 0.0)
    """
    a_, b_ = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    _checks.same_shape("a", a_, "b", b_)
    scale = max(float(np.linalg.norm(a_)), float(np.linalg.norm(b_)))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a_ - b_)) / scale


# --8<-- [start:max-relative-error]
def max_relative_error(net: Network, x: ArrayLike, y: ArrayLike) -> float:
    """The largest relative error between ``net.backprop`` and central differences.

    The error is measured for each layer's ∂C/∂b^l and ∂C/∂W^l separately
    (:func:`relative_error`), and the worst of them is returned.
    """
    by_backprop = net.backprop(x, y)
    by_differences = numerical_gradient(net, x, y)
    return max(
        relative_error(exact, numeric)
        for exact_list, numeric_list in zip(by_backprop, by_differences, strict=True)
        for exact, numeric in zip(exact_list, numeric_list, strict=True)
    )
    # --8<-- [end:max-relative-error]


def parameter_errors(
    net: Network, x: ArrayLike, y: ArrayLike
) -> list[tuple[str, Array]]:
    """Each parameter's |backprop − finite difference| / (largest |entry| of its array).

    Returns one ``(label, errors)`` pair per array, labelled ``"b^l"`` or ``"W^l"``,
    with the errors flattened. Dividing by the array's largest gradient entry
    rather than by the entry itself keeps parameters whose derivative is nearly
    zero from showing a huge relative error that is only rounding.
    """
    by_backprop = net.backprop(x, y)
    by_differences = numerical_gradient(net, x, y)
    found: list[tuple[str, Array]] = []
    for name, exact_list, numeric_list in zip(
        ("b", "W"), by_backprop, by_differences, strict=True
    ):
        for l, (exact, numeric) in enumerate(
            zip(exact_list, numeric_list, strict=True), start=1
        ):
            scale = max(float(np.max(np.abs(exact))), float(np.max(np.abs(numeric))))
            errors = np.abs(exact - numeric).ravel() / (scale if scale > 0 else 1.0)
            found.append((f"{name}^{l}", errors))
    return found
