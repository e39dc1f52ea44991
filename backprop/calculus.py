"""Numerical derivatives, the reference every analytic derivative is checked against,
and the matrix calculus of one layer, y = σ(Wx + b), eqs. (20) to (29).

A central difference evaluates the function on both sides of the point,

    f'(x) ≈ (f(x + h) − f(x − h)) / (2h),

and its Taylor expansion shows the error: the terms in f''(x) cancel, leaving
h²·f'''(x)/6 from truncation, plus about ε·|f(x)|/h from rounding each evaluation
to float64 (ε ≈ 2.2e-16). The two balance near h = ε^(1/3) ≈ 6e-6 for a function
and a point of order one, where both are about 1e-11.

Arrays are differentiated one entry at a time. :func:`central_gradient`, :func:`jacobian`,
:func:`matrix_derivative` and :func:`tensor_derivative` move a single entry u of
their argument by its own step h = ε^(1/3)·max(1, |u|), so each entry of their
result is one central difference, with the error above: about
ε^(2/3)·(|f| + |f'''|/6) ≈ 4e-11·(|f| + |f'''|/6) when u and f are of order one.
The cost is two evaluations of f per entry of the argument.

The analytic functions give the same derivatives for the layer y = σ(Wx + b) with
W of shape (p, q), b of shape (p, 1) and x of shape (q, 1). Every public function
checks its arguments: a vector must be a column (n, 1), shapes must fit W, and
every entry must be finite; anything else raises ValueError.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop import _checks
from backprop._types import Array
from backprop.activations import sigmoid, sigmoid_prime

__all__ = [
    "central_difference",
    "central_gradient",
    "central_step",
    "contract",
    "differences",
    "jacobian",
    "layer",
    "layer_error",
    "layer_input_gradient",
    "layer_jacobian",
    "layer_weight_gradient",
    "layer_weight_tensor",
    "matrix_derivative",
    "partials",
    "step_size",
    "tensor_derivative",
    "vector_chain_rule",
]

EPS = float(np.finfo(np.float64).eps)


def step_size(x: float) -> float:
    """The step h = ε^(1/3)·max(1, |x|): balances truncation against rounding error.

    >>> print(f"{step_size(2.0):.2e}")
    1.21e-05
    """
    return math.cbrt(EPS) * max(1.0, abs(x))


def central_difference(
    f: Callable[[float], float], x: float, h: float | None = None
) -> float:
    """The derivative of a scalar function at `x`, by a central difference.

    Parameters
    ----------
    f
        A function of one float returning a float.
    x
        Where to differentiate.
    h
        The step; by default :func:`step_size` of `x`.

    Examples
    --------
    The derivative of sin at 1 is cos 1; the error is near the 1e-11 the module
    docstring predicts:

    >>> error = abs(central_difference(math.sin, 1.0) - math.cos(1.0))
    >>> error < 1e-10
    True
    """
    x = _checks.real_number("x", x)
    step = step_size(x) if h is None else _checks.positive_float("the step h", h)
    return (f(x + step) - f(x - step)) / (2.0 * step)


def partials(f: Callable[..., float], **point: float) -> dict[str, float]:
    """Every partial derivative of `f` at `point`, by central differences.

    `f` takes the coordinates as keyword arguments; each one is varied in turn
    while the others stay where `point` puts them.

    >>> fd = partials(lambda u, v: u * v, u=3.0, v=2.0)
    >>> {name: round(value, 8) for name, value in fd.items()}
    {'u': 2.0, 'v': 3.0}
    """

    def along(name: str) -> Callable[[float], float]:
        return lambda t: f(**{**point, name: t})

    return {name: central_difference(along(name), x) for name, x in point.items()}


# -- checks of the arguments ---------------------------------------------------


def _layer_args(W: ArrayLike, b: ArrayLike, x: ArrayLike) -> tuple[Array, Array, Array]:
    W_, b_, x_ = (
        _checks.matrix("W", W),
        _checks.column("b", b),
        _checks.column("x", x),
    )
    _checks.column_rows("b", b_, W_.shape[0], "W", W_.shape)
    _checks.column_rows("x", x_, W_.shape[1], "W", W_.shape)
    return W_, b_, x_


def _scalar_output(f: Callable[[Array], object], at: Array, name: str) -> None:
    _checks.number(f"f({name})", np.asarray(f(at.copy())))


def _column_output(f: Callable[[Array], object], at: Array, name: str) -> int:
    """The number of rows of the column f(at)."""
    rows: int = _checks.column(f"f({name})", np.asarray(f(at.copy()))).shape[0]
    return rows


def _finite_value(f: Callable[[Array], object], X: Array) -> NDArray[np.floating]:
    """f(X), in the precision f computes it, refused if any entry is not finite."""
    value = np.asarray(f(X))
    if not np.issubdtype(value.dtype, np.floating):
        value = value.astype(np.float64)
    if not np.all(np.isfinite(value)):  # kept here: f's values, not an argument
        raise ValueError("f is not finite within one step of the point")
    return value


def central_step(along: Callable[[Any], Any], u: Any) -> Any:
    """The central difference of `along` at `u`, with h = :func:`step_size` of u.

    It divides by the distance between the two points as stored, which rounding
    may make differ from 2h.

    >>> print(f"{central_step(np.exp, np.float64(0.0)):.9f}")
    1.000000000
    """
    h = step_size(float(u))
    up, down = u + h, u - h
    return (along(up) - along(down)) / (up - down)


# -- numerical derivatives of arrays -------------------------------------------


# --8<-- [start:differences]
def differences(
    f: Callable[[Array], object],
    X: Array,
    stencil: Callable[[Callable[[Any], Any], Any], Any] = central_step,
) -> Array:
    """Finite differences of f at X along each entry of X, one at a time.

    The result has shape X.shape + f(X).shape: at index [idx] it holds the
    derivative of f (every entry of it) with respect to X[idx]. `stencil`
    differentiates a function of that one entry, by default a central difference.
    """
    slopes = []
    for idx in np.ndindex(X.shape):

        def along(u: Any, idx: tuple[int, ...] = idx) -> NDArray[np.floating]:
            moved = X.copy()  # every other entry stays where it was
            moved[idx] = u
            return _finite_value(f, moved)

        slopes.append(np.asarray(stencil(along, X[idx]), dtype=np.float64))
    return np.stack(slopes).reshape(X.shape + slopes[0].shape)
    # --8<-- [end:differences]


# --8<-- [start:central-gradient]
def central_gradient(f: Callable[[Array], float], x: Array) -> Array:
    """Eq. (20): ∇_x f, the column of partial derivatives ∂f/∂x_j.

    Numerical. `f` maps a column `x` of shape (q, 1) to a number; the
    gradient has the shape of `x`. For f(x) = x₁x₂ + e^(x₃) it is
    (x₂, x₁, e^(x₃)):

    >>> x = np.array([[0.5], [-1.0], [2.0]])
    >>> g = central_gradient(lambda v: float(v[0, 0] * v[1, 0] + np.exp(v[2, 0])), x)
    >>> exact = np.array([[-1.0], [0.5], [np.exp(2.0)]])
    >>> g.shape, bool(np.allclose(g, exact, rtol=1e-9, atol=0))
    ((3, 1), True)
    """
    x = _checks.column("x", x)
    _scalar_output(f, x, "x")
    return differences(f, x)
    # --8<-- [end:central-gradient]


# --8<-- [start:jacobian]
def jacobian(f: Callable[[Array], Array], x: Array) -> Array:
    """Eq. (21): ∂y/∂x for y = f(x), entry (i, j) = ∂y_i/∂x_j.

    Numerical. `f` maps a column of shape (q, 1) to a column of shape
    (p, 1); the Jacobian has shape (p, q), and row i is the gradient of y_i,
    transposed. For y = Ax the Jacobian is A:

    >>> A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    >>> J = jacobian(lambda v: A @ v, np.array([[1.0], [2.0], [3.0]]))
    >>> J.shape, bool(np.allclose(J, A, rtol=1e-9, atol=1e-12))
    ((2, 3), True)
    """
    x = _checks.column("x", x)
    p = _column_output(f, x, "x")
    return differences(f, x).reshape(x.shape[0], p).T
    # --8<-- [end:jacobian]


# --8<-- [start:matrix-derivative]
def matrix_derivative(f: Callable[[Array], float], W: Array) -> Array:
    """Eq. (22): ∇_W f, entry (j, k) = ∂f/∂w_jk, with the shape of W.

    Numerical. For f(W) = uᵀWv the derivative is the outer product u vᵀ:

    >>> u, v = np.array([[1.0], [-2.0]]), np.array([[3.0], [0.5], [1.0]])
    >>> W = np.arange(6.0).reshape(2, 3)
    >>> D = matrix_derivative(lambda M: float((u.T @ M @ v)[0, 0]), W)
    >>> D.shape, bool(np.allclose(D, u @ v.T, rtol=1e-9, atol=1e-12))
    ((2, 3), True)
    """
    W = _checks.matrix("W", W)
    _scalar_output(f, W, "W")
    return differences(f, W)
    # --8<-- [end:matrix-derivative]


# --8<-- [start:tensor-derivative]
def tensor_derivative(f: Callable[[Array], Array], W: Array) -> Array:
    """Eq. (23): ∂y/∂W for y = f(W), entry [i, j, k] = ∂y_i/∂w_jk.

    Numerical. `f` maps a matrix of shape (p, q) to a column of shape
    (r, 1); the result has shape (r, p, q), and slice [i] is ∇_W y_i.
    For y = Wᵀu, ∂y_i/∂w_jk is u_j when k = i and 0 otherwise:

    >>> u, W = np.array([[2.0], [-1.0]]), np.arange(6.0).reshape(2, 3)
    >>> T = tensor_derivative(lambda M: M.T @ u, W)
    >>> exact = np.einsum("ik,j->ijk", np.eye(3), u[:, 0])
    >>> T.shape, bool(np.allclose(T, exact, rtol=1e-9, atol=1e-12))
    ((3, 2, 3), True)
    """
    W = _checks.matrix("W", W)
    r = _column_output(f, W, "W")
    slopes = differences(f, W).reshape(*W.shape, r)  # [j, k, i]
    return np.moveaxis(slopes, -1, 0)  # [i, j, k]
    # --8<-- [end:tensor-derivative]


# -- the two chain rules -------------------------------------------------------


# --8<-- [start:vector-chain-rule]
def vector_chain_rule(dy_dx: Array, grad_y: Array) -> Array:
    """Eq. (24): ∇_x C = (∂y/∂x)ᵀ ∇_y C, for C depending on x through y.

    `dy_dx` has shape (p, q) and `grad_y` shape (p, 1); the result is
    (q, 1). With y = (x₁x₂, sin x₁) and C = y₁ + y₂², against a numerical
    gradient of C(y(x)):

    >>> y = lambda x: np.array([[x[0, 0] * x[1, 0]], [np.sin(x[0, 0])]])
    >>> C = lambda y: float(y[0, 0] + y[1, 0] ** 2)
    >>> x = np.array([[0.7], [-1.3]])
    >>> by_rule = vector_chain_rule(jacobian(y, x), central_gradient(C, y(x)))
    >>> direct = central_gradient(lambda v: C(y(v)), x)
    >>> bool(np.allclose(by_rule, direct, rtol=1e-7, atol=1e-12))
    True
    """
    dy_dx, grad_y = (
        _checks.matrix("dy_dx", dy_dx),
        _checks.column("grad_y", grad_y),
    )
    _checks.column_rows("grad_y", grad_y, dy_dx.shape[0], "dy_dx", dy_dx.shape)
    return dy_dx.T @ grad_y
    # --8<-- [end:vector-chain-rule]


# --8<-- [start:contract]
def contract(grad_y: Array, tensor: Array) -> Array:
    """Eq. (25): ∇_W C = Σ_i (∂C/∂y_i)·(∂y_i/∂W), a contraction over i.

    `grad_y` is ∇_y C, shape (r, 1); `tensor` is ∂y/∂W, shape (r, p, q);
    the result has shape (p, q). With y = Wᵀu and C = ½‖y‖², against a
    numerical derivative of C(y(W)):

    >>> u = np.array([[2.0], [-1.0]])
    >>> W = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    >>> y = lambda M: M.T @ u
    >>> C = lambda y: 0.5 * float(np.sum(y**2))
    >>> by_rule = contract(central_gradient(C, y(W)), tensor_derivative(y, W))
    >>> direct = matrix_derivative(lambda M: C(y(M)), W)
    >>> bool(np.allclose(by_rule, direct, rtol=1e-7, atol=1e-12))
    True
    """
    grad_y, tensor = (
        _checks.column("grad_y", grad_y),
        _checks.rank("tensor", tensor, 3, "(r, p, q)"),
    )
    _checks.column_rows("grad_y", grad_y, tensor.shape[0], "tensor", tensor.shape)
    return np.tensordot(grad_y[:, 0], tensor, axes=1)  # Σ_i g_i · tensor[i]
    # --8<-- [end:contract]


# -- one layer, y = σ(Wx + b) --------------------------------------------------


# --8<-- [start:layer]
def layer(W: Array, b: Array, x: Array) -> Array:
    """y = σ(Wx + b): W is (p, q), b is (p, 1), x is (q, 1), y is (p, 1).

    >>> W, b = np.array([[1.0, -1.0]]), np.array([[0.5]])
    >>> print(layer(W, b, np.array([[2.0], [2.5]])))  # σ(0) = 1/2
    [[0.5]]
    """
    W, b, x = _layer_args(W, b, x)
    return sigmoid(W @ x + b).astype(np.float64)
    # --8<-- [end:layer]


# --8<-- [start:layer-jacobian]
def layer_jacobian(W: Array, b: Array, x: Array) -> Array:
    """Eq. (26): ∂y/∂x = diag(σ'(z)) W, shape (p, q), for y = σ(Wx + b).

    Against the numerical Jacobian of eq. (21), and against the product
    with the diagonal matrix written out:

    >>> rng = np.random.default_rng(0)
    >>> W, b, x = (rng.normal(size=n) for n in [(3, 4), (3, 1), (4, 1)])
    >>> J = layer_jacobian(W, b, x)
    >>> numeric = jacobian(lambda v: layer(W, b, v), x)
    >>> bool(np.allclose(J, numeric, rtol=1e-7, atol=1e-12))
    True
    >>> D = np.diag(sigmoid_prime(W @ x + b)[:, 0])
    >>> bool(np.array_equal(J, D @ W))
    True
    """
    W, b, x = _layer_args(W, b, x)
    s = sigmoid_prime(W @ x + b)  # σ'(z), shape (p, 1)
    return s * W  # row i of W times σ'(z_i), without a (p, p) matrix
    # --8<-- [end:layer-jacobian]


# --8<-- [start:layer-input-gradient]
def layer_input_gradient(grad_y: Array, W: Array, b: Array, x: Array) -> Array:
    """Eq. (27): ∇_x C = Wᵀ (σ'(z) ⊙ ∇_y C), eq. (24) with eq. (26); in a network, eq. (31).

    For layer l + 1 of a network it passes ∇_{a^{l+1}} C down to ∇_{a^l} C.

    `grad_y` is ∇_y C, shape (p, 1); the result has the shape of x, (q, 1).
    With C = ½‖y‖², against a numerical gradient of C(σ(Wx + b)):

    >>> rng = np.random.default_rng(1)
    >>> W, b, x = (rng.normal(size=n) for n in [(3, 4), (3, 1), (4, 1)])
    >>> C = lambda y: 0.5 * float(np.sum(y**2))
    >>> grad_y = layer(W, b, x)  # ∇_y C = y
    >>> grad_x = layer_input_gradient(grad_y, W, b, x)
    >>> numeric = central_gradient(lambda v: C(layer(W, b, v)), x)
    >>> bool(np.allclose(grad_x, numeric, rtol=1e-7, atol=1e-12))
    True
    """
    W, b, x = _layer_args(W, b, x)
    grad_y = _checks.column("grad_y", grad_y)
    _checks.column_rows("grad_y", grad_y, W.shape[0], "W", W.shape)
    grad_z = sigmoid_prime(W @ x + b) * grad_y  # diag(σ'(z)) ∇_y C
    return W.T @ grad_z
    # --8<-- [end:layer-input-gradient]


# --8<-- [start:layer-weight-tensor]
def layer_weight_tensor(W: Array, b: Array, x: Array) -> Array:
    """Eq. (28): ∂y/∂W, shape (p, p, q), for y = σ(Wx + b).

    Slice [i] is zero except row i, which is σ'(z_i) xᵀ. Against the
    numerical tensor of eq. (23):

    >>> rng = np.random.default_rng(2)
    >>> W, b, x = (rng.normal(size=n) for n in [(3, 4), (3, 1), (4, 1)])
    >>> T = layer_weight_tensor(W, b, x)
    >>> numeric = tensor_derivative(lambda M: layer(M, b, x), W)
    >>> T.shape, bool(np.allclose(T, numeric, rtol=1e-7, atol=1e-12))
    ((3, 3, 4), True)
    >>> int(np.count_nonzero(T)), T.size  # p·q of p·p·q entries
    (12, 36)
    """
    W, b, x = _layer_args(W, b, x)
    p, q = W.shape
    s = sigmoid_prime(W @ x + b)  # σ'(z), shape (p, 1)
    tensor = np.zeros((p, p, q))
    i = np.arange(p)
    tensor[i, i, :] = s * x.T  # row i of slice i: σ'(z_i) xᵀ
    return tensor
    # --8<-- [end:layer-weight-tensor]


# --8<-- [start:layer-weight-gradient]
def layer_weight_gradient(grad_y: Array, W: Array, b: Array, x: Array) -> Array:
    """Eq. (29): ∇_W C = (∇_y C ⊙ σ'(z)) xᵀ, an outer product; in a network, eq. (30).

    The result has shape (p, q). For layer l of a network, x = a^{l-1} and y = a^l.

    It equals the contraction of eq. (25) with the tensor of eq. (28), and
    the numerical derivative of C = ½‖y‖² with respect to W:

    >>> rng = np.random.default_rng(3)
    >>> W, b, x = (rng.normal(size=n) for n in [(3, 4), (3, 1), (4, 1)])
    >>> grad_y = layer(W, b, x)  # ∇_y C for C = ½‖y‖²
    >>> G = layer_weight_gradient(grad_y, W, b, x)
    >>> by_tensor = contract(grad_y, layer_weight_tensor(W, b, x))
    >>> bool(np.max(np.abs(G - by_tensor)) < 1e-12)
    True
    >>> C = lambda y: 0.5 * float(np.sum(y**2))
    >>> numeric = matrix_derivative(lambda M: C(layer(M, b, x)), W)
    >>> bool(np.allclose(G, numeric, rtol=1e-7, atol=1e-12))
    True
    """
    W, b, x = _layer_args(W, b, x)
    grad_y = _checks.column("grad_y", grad_y)
    _checks.column_rows("grad_y", grad_y, W.shape[0], "W", W.shape)
    grad_z = grad_y * sigmoid_prime(W @ x + b)  # ∇_y C ⊙ σ'(z), (p, 1)
    return grad_z @ x.T
    # --8<-- [end:layer-weight-gradient]


# --8<-- [start:layer-error]
def layer_error(grad_y: Array, W: Array, b: Array, x: Array) -> Array:
    """Eq. (32): δ = ∂C/∂z = ∇_y C ⊙ σ'(z), the error of the layer y = σ(z), z = Wx + b.

    `grad_y` is ∇_y C, shape (p, 1); δ has the same shape. Against the
    numerical gradient of C = ½‖σ(z)‖² with respect to z itself:

    >>> rng = np.random.default_rng(4)
    >>> W, b, x = (rng.normal(size=n) for n in [(3, 4), (3, 1), (4, 1)])
    >>> delta = layer_error(layer(W, b, x), W, b, x)  # ∇_y C = y for C = ½‖y‖²
    >>> numeric = central_gradient(lambda z: 0.5 * float(np.sum(sigmoid(z) ** 2)), W @ x + b)
    >>> bool(np.allclose(delta, numeric, rtol=1e-7, atol=1e-12))
    True
    """
    W, b, x = _layer_args(W, b, x)
    grad_y = _checks.column("grad_y", grad_y)
    _checks.column_rows("grad_y", grad_y, W.shape[0], "W", W.shape)
    return grad_y * sigmoid_prime(W @ x + b)
    # --8<-- [end:layer-error]
