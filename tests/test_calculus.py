"""Matrix calculus, eqs. (20) to (29): numerical against analytic derivatives,
the structure of the rank-3 tensor, the two chain rules, and every refused input."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from numpy.typing import NDArray

from backprop.activations import sigmoid_prime
from backprop.calculus import (
    central_gradient,
    contract,
    jacobian,
    layer,
    layer_error,
    layer_input_gradient,
    layer_jacobian,
    layer_weight_gradient,
    layer_weight_tensor,
    matrix_derivative,
    tensor_derivative,
    vector_chain_rule,
)

Array = NDArray[np.float64]

# A central difference errs by about ε^(2/3)·(|f| + |f'''|/6) ≈ 4e-11 for functions
# and points of order one (see backprop.calculus). Entries are compared to a relative
# 1e-7, and entries much smaller than 1 to an absolute 1e-10, a few times that error.
RTOL, ATOL = 1e-7, 1e-10

widths = st.integers(min_value=1, max_value=5)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
shapes = settings(max_examples=25, deadline=None)


def random_layer(p: int, q: int, seed: int) -> tuple[Array, Array, Array]:
    """W, b and x with weights scaled by 1/√q, as a network is initialised.

    The weighted inputs then stay of order one. In a saturated layer (|z| ≫ 1)
    the derivatives are far smaller than σ itself, and the absolute error of a
    central difference, set by |σ| ≈ 1, would exceed a relative 1e-7 of them.
    """
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(p, q)) / math.sqrt(q)
    return W, rng.normal(size=(p, 1)), rng.normal(size=(q, 1))


def assert_close(computed: Array, reference: Array) -> None:
    """Entry by entry as above, and within 1e-7 of the largest reference entry."""
    assert_allclose(computed, reference, rtol=RTOL, atol=ATOL)
    gap = float(np.max(np.abs(computed - reference)))
    assert gap <= 1e-7 * float(np.max(np.abs(reference)))


def half_square(y: Array) -> float:
    """C = ½‖y‖², whose gradient with respect to y is y."""
    return 0.5 * float(np.sum(y**2))


# -- the four numerical derivatives against derivatives known in closed form ------------


@shapes
@given(q=widths, seed=seeds)
def test_gradient_eq20_matches_closed_form(q: int, seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=(q, 1))

    def f(v: Array) -> float:  # Σ x_j sin x_j
        return float(np.sum(v * np.sin(v)))

    g = central_gradient(f, x)
    assert g.shape == (q, 1)
    assert_close(g, np.sin(x) + x * np.cos(x))


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_jacobian_eq21_matches_layer_jacobian_eq26(p: int, q: int, seed: int) -> None:
    W, b, x = random_layer(p, q, seed)
    numeric = jacobian(lambda v: layer(W, b, v), x)
    assert numeric.shape == (p, q)
    assert_close(layer_jacobian(W, b, x), numeric)


def test_jacobian_rows_are_transposed_gradients() -> None:
    W, b, x = random_layer(3, 4, seed=11)
    J = jacobian(lambda v: layer(W, b, v), x)
    for i in range(3):
        row = central_gradient(lambda v, i=i: float(layer(W, b, v)[i, 0]), x)
        assert_close(J[i : i + 1, :], row.T)


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_matrix_derivative_eq22_matches_outer_product_eq29(
    p: int, q: int, seed: int
) -> None:
    W, b, x = random_layer(p, q, seed)
    numeric = matrix_derivative(lambda M: half_square(layer(M, b, x)), W)
    assert numeric.shape == W.shape
    analytic = layer_weight_gradient(layer(W, b, x), W, b, x)
    assert_close(analytic, numeric)


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_tensor_derivative_eq23_matches_layer_tensor_eq28(
    p: int, q: int, seed: int
) -> None:
    W, b, x = random_layer(p, q, seed)
    numeric = tensor_derivative(lambda M: layer(M, b, x), W)
    assert numeric.shape == (p, p, q)
    assert_close(layer_weight_tensor(W, b, x), numeric)


def test_tensor_derivative_indexes_output_then_row_then_column() -> None:
    """For y = Wᵀu (r = q outputs), ∂y_i/∂w_jk = u_j if k = i: a non-square case."""
    rng = np.random.default_rng(5)
    u, W = rng.normal(size=(2, 1)), rng.normal(size=(2, 3))
    T = tensor_derivative(lambda M: M.T @ u, W)
    expected = np.zeros((3, 2, 3))
    for i in range(3):
        expected[i, :, i] = u[:, 0]
    assert_close(T, expected)


def test_step_gives_the_documented_accuracy() -> None:
    """Entries of order one: the error of each difference is near ε^(2/3) ≈ 4e-11."""
    x = np.array([[0.3], [-1.2], [2.0]])
    error = np.abs(central_gradient(lambda v: float(np.sum(np.exp(v))), x) - np.exp(x))
    assert float(np.max(error / np.exp(x))) < 1e-9


# -- the tensor of eq. (28) ------------------------------------------------------------


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_weight_tensor_is_zero_off_the_matching_row(p: int, q: int, seed: int) -> None:
    """The pattern of zeros, against the numerical tensor, which knows no formula."""
    W, b, x = random_layer(p, q, seed)
    T = layer_weight_tensor(W, b, x)
    numeric = tensor_derivative(lambda M: layer(M, b, x), W)
    for i in range(p):
        for j in range(p):
            if j != i:  # y_i does not depend on row j of W at all
                assert_array_equal(T[i, j], np.zeros(q))
                assert_array_equal(numeric[i, j], np.zeros(q))
        assert_close(T[i, i], numeric[i, i])
    assert np.count_nonzero(T) == p * q  # x has no zero entry almost surely


# -- the two chain rules, eqs. (24) and (25), and the layer, eqs. (27) and (29) ------------


def test_vector_chain_rule_eq24_matches_the_composition() -> None:
    """A non-linear y(x) of 3 inputs and 2 outputs, and a non-quadratic C(y)."""

    def y(x: Array) -> Array:
        return np.array([[x[0, 0] * x[2, 0] + np.sin(x[1, 0])], [np.exp(x[0, 0])]])

    def C(v: Array) -> float:
        return float(np.log1p(v[0, 0] ** 2) + v[0, 0] * v[1, 0])

    x = np.array([[0.4], [-0.9], [1.7]])
    by_rule = vector_chain_rule(jacobian(y, x), central_gradient(C, y(x)))
    assert by_rule.shape == (3, 1)
    assert_close(by_rule, central_gradient(lambda v: C(y(v)), x))


@shapes
@given(n0=widths, n1=widths, n2=widths, seed=seeds)
def test_chain_rule_through_two_layers(n0: int, n1: int, n2: int, seed: int) -> None:
    """∇_x C for C(σ(W² σ(W¹x + b¹) + b²)): eq. (27) then eq. (24) with eq. (26)."""
    W1, b1, x = random_layer(n1, n0, seed)
    W2, b2, _ = random_layer(n2, n1, seed + 1)

    def cost(v: Array) -> float:
        return half_square(layer(W2, b2, layer(W1, b1, v)))

    a1 = layer(W1, b1, x)
    grad_a1 = layer_input_gradient(layer(W2, b2, a1), W2, b2, a1)
    grad_x = vector_chain_rule(layer_jacobian(W1, b1, x), grad_a1)
    # Two layers can shrink the gradient to 1e-5 of the cost, below which a central
    # difference has no relative 1e-7 to give: entrywise tolerances only.
    assert_allclose(grad_x, central_gradient(cost, x), rtol=RTOL, atol=ATOL)


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_layer_input_gradient_eq27_is_eq24_with_eq26(p: int, q: int, seed: int) -> None:
    W, b, x = random_layer(p, q, seed)
    grad_y = np.random.default_rng(seed + 1).normal(size=(p, 1))
    by_jacobian = vector_chain_rule(layer_jacobian(W, b, x), grad_y)
    assert_allclose(layer_input_gradient(grad_y, W, b, x), by_jacobian, rtol=1e-12)


def test_the_essays_transpose_order_is_wrong() -> None:
    """diag(σ'(z)) Wᵀ is not (diag(σ'(z)) W)ᵀ: wrong for a square W, undefined else."""
    W, b, x = random_layer(3, 3, seed=7)
    grad_y = np.ones((3, 1))
    s = sigmoid_prime(W @ x + b)
    wrong = np.diag(s[:, 0]) @ W.T @ grad_y
    right = layer_input_gradient(grad_y, W, b, x)
    assert float(np.max(np.abs(wrong - right))) > 1e-3
    W, b, x = random_layer(2, 3, seed=7)
    with pytest.raises(ValueError, match="mismatch"):
        np.diag(sigmoid_prime(W @ x + b)[:, 0]) @ W.T


@shapes
@given(p=widths, q=widths, seed=seeds)
def test_contraction_eq25_equals_outer_product_eq29(p: int, q: int, seed: int) -> None:
    W, b, x = random_layer(p, q, seed)
    grad_y = np.random.default_rng(seed + 1).normal(size=(p, 1))
    by_tensor = contract(grad_y, layer_weight_tensor(W, b, x))
    assert_allclose(by_tensor, layer_weight_gradient(grad_y, W, b, x), atol=1e-12)


def test_contraction_eq25_against_an_explicit_sum() -> None:
    rng = np.random.default_rng(9)
    grad_y, tensor = rng.normal(size=(4, 1)), rng.normal(size=(4, 2, 3))
    expected = sum(grad_y[i, 0] * tensor[i] for i in range(4))
    assert_allclose(contract(grad_y, tensor), expected, rtol=1e-14)


def test_contraction_eq25_matches_the_composition() -> None:
    """C(y(W)) with y = Wᵀu: eq. (25) against a numerical eq. (22)."""
    rng = np.random.default_rng(3)
    u, W = rng.normal(size=(3, 1)), rng.normal(size=(3, 2))

    def y(M: Array) -> Array:
        return np.tanh(M.T @ u)

    by_rule = contract(central_gradient(half_square, y(W)), tensor_derivative(y, W))
    numeric = matrix_derivative(lambda M: half_square(y(M)), W)
    assert_close(by_rule, numeric)


# -- refused inputs --------------------------------------------------------------------

W0, B0, X0 = random_layer(2, 3, seed=0)
G0 = np.ones((2, 1))


def scalar_of_vector(v: Array) -> float:
    return float(np.sum(v))


def scalar_of_matrix(M: Array) -> float:
    return float(np.sum(M))


CALLS: dict[str, Callable[..., object]] = {
    "central_gradient": lambda W, b, x, g: central_gradient(scalar_of_vector, x),
    "jacobian": lambda W, b, x, g: jacobian(lambda v: W @ v, x),
    "matrix_derivative": lambda W, b, x, g: matrix_derivative(scalar_of_matrix, W),
    "tensor_derivative": lambda W, b, x, g: tensor_derivative(lambda M: M @ x, W),
    "vector_chain_rule": lambda W, b, x, g: vector_chain_rule(W, g),
    "contract": lambda W, b, x, g: contract(g, np.stack([W, W])),
    "layer": lambda W, b, x, g: layer(W, b, x),
    "layer_jacobian": lambda W, b, x, g: layer_jacobian(W, b, x),
    "layer_input_gradient": lambda W, b, x, g: layer_input_gradient(g, W, b, x),
    "layer_error": lambda W, b, x, g: layer_error(g, W, b, x),
    "layer_weight_tensor": lambda W, b, x, g: layer_weight_tensor(W, b, x),
    "layer_weight_gradient": lambda W, b, x, g: layer_weight_gradient(g, W, b, x),
}
LAYER = {"W", "b", "x"}
#: The arguments of each call that the function itself receives and checks.
TAKES: dict[str, set[str]] = {
    "central_gradient": {"x"},
    "jacobian": {"x"},
    "matrix_derivative": {"W"},
    "tensor_derivative": {"W"},
    "vector_chain_rule": {"W", "g"},
    "contract": {"g"},
    "layer": LAYER,
    "layer_jacobian": LAYER,
    "layer_input_gradient": LAYER | {"g"},
    "layer_error": LAYER | {"g"},
    "layer_weight_tensor": LAYER,
    "layer_weight_gradient": LAYER | {"g"},
}


def taking(argument: str) -> list[str]:
    return [name for name, takes in TAKES.items() if argument in takes]


def test_valid_arguments_are_accepted_and_left_unchanged() -> None:
    """The control for the refusals below: these arguments pass, and stay as they were."""
    before = [a.copy() for a in (W0, B0, X0, G0)]
    for name, call in CALLS.items():
        result = np.asarray(call(W0, B0, X0, G0))
        assert np.isfinite(result).all(), name
        for a, b in zip(before, (W0, B0, X0, G0), strict=True):
            assert_array_equal(a, b)


@pytest.mark.parametrize("name", taking("x"))
def test_a_flat_x_is_refused_with_both_shapes(name: str) -> None:
    with pytest.raises(
        ValueError, match=r"x must be a column of shape \(n, 1\), got shape \(3,\)"
    ):
        CALLS[name](W0, B0, X0[:, 0], G0)


@pytest.mark.parametrize("name", taking("b"))
def test_a_flat_b_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"b must be a column .* got shape \(2,\)"):
        CALLS[name](W0, B0[:, 0], X0, G0)


@pytest.mark.parametrize("name", taking("g"))
def test_a_flat_grad_y_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"grad_y must be a column .* \(2,\)"):
        CALLS[name](W0, B0, X0, G0[:, 0])


@pytest.mark.parametrize("name", taking("b"))
def test_x_of_the_wrong_length_names_both_shapes(name: str) -> None:
    with pytest.raises(
        ValueError,
        match=r"x has shape \(4, 1\) but W has shape \(2, 3\): "
        r"x must have shape \(3, 1\)",
    ):
        CALLS[name](W0, B0, np.ones((4, 1)), G0)


@pytest.mark.parametrize("name", taking("b"))
def test_b_of_the_wrong_length_names_both_shapes(name: str) -> None:
    with pytest.raises(
        ValueError, match=r"b has shape \(3, 1\) but W has shape \(2, 3\)"
    ):
        CALLS[name](W0, np.ones((3, 1)), X0, G0)


@pytest.mark.parametrize("name", ["layer_input_gradient", "layer_weight_gradient"])
def test_grad_y_of_the_wrong_length_names_both_shapes(name: str) -> None:
    with pytest.raises(
        ValueError, match=r"grad_y has shape \(3, 1\) but W has shape \(2, 3\)"
    ):
        CALLS[name](W0, B0, X0, np.ones((3, 1)))


def test_chain_rules_refuse_shapes_that_do_not_fit() -> None:
    with pytest.raises(
        ValueError, match=r"grad_y has shape \(3, 1\) but dy_dx has shape \(2, 3\)"
    ):
        vector_chain_rule(W0, np.ones((3, 1)))
    with pytest.raises(
        ValueError, match=r"grad_y has shape \(2, 1\) but tensor has shape \(3, 2, 3\)"
    ):
        contract(G0, np.zeros((3, 2, 3)))
    with pytest.raises(ValueError, match=r"tensor must be 3-D.*got shape \(2, 3\)"):
        contract(G0, W0)


@pytest.mark.parametrize("name", taking("W"))
def test_a_flat_W_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"must be .*got shape \(3,\)"):
        CALLS[name](W0[0], B0, X0, G0)


NON_FINITE = [
    (name, argument, bad)
    for name in CALLS
    for argument in sorted(TAKES[name])
    for bad in (math.nan, math.inf, -math.inf)
]


@pytest.mark.parametrize(("name", "argument", "bad"), NON_FINITE)
def test_non_finite_entries_are_refused(name: str, argument: str, bad: float) -> None:
    args = {"W": W0.copy(), "b": B0.copy(), "x": X0.copy(), "g": G0.copy()}
    args[argument][0, 0] = bad
    with pytest.raises(ValueError, match=r"must be finite, but entry \(0, 0\) is"):
        CALLS[name](args["W"], args["b"], args["x"], args["g"])


def test_a_non_finite_tensor_is_refused() -> None:
    tensor = np.zeros((2, 2, 3))
    tensor[1, 0, 2] = math.nan
    with pytest.raises(
        ValueError, match=r"tensor must be finite, but entry \(1, 0, 2\)"
    ):
        contract(G0, tensor)


def test_functions_of_the_wrong_kind_are_refused() -> None:
    x = np.ones((3, 1))
    with pytest.raises(
        ValueError, match=r"f\(x\) must be a number, got shape \(3, 1\)"
    ):
        central_gradient(lambda v: v, x)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match=r"f\(x\) must be a column .*got shape \(3,\)"):
        jacobian(lambda v: v[:, 0], x)
    with pytest.raises(ValueError, match=r"f\(W\) must be a number"):
        matrix_derivative(lambda M: M, W0)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match=r"f\(W\) must be a column"):
        tensor_derivative(lambda M: M, W0)
    with pytest.raises(ValueError, match=r"f\(x\) must be finite"):
        central_gradient(lambda v: math.inf, x)
    with pytest.raises(ValueError, match="not finite within one step"):
        central_gradient(lambda v: 0.0 if v[0, 0] == 1.0 else math.inf, x)


def test_non_numbers_are_refused_with_the_type_error_the_network_gives() -> None:
    with pytest.raises(TypeError, match="x must hold numbers, got dtype <U1"):
        central_gradient(scalar_of_vector, np.array([["a"], ["b"]]))
    with pytest.raises(TypeError, match="W must be real, got dtype complex128"):
        layer(np.ones((1, 1)) * 1j, np.ones((1, 1)), np.ones((1, 1)))


# -- the figures show the package's numbers -----------------------------------------------


def test_figures_show_the_layers_own_numbers() -> None:
    from backprop.figures.calculus import (
        draw_jacobian,
        draw_weight_tensor,
        example_layer,
    )

    for seed in (51, 8):
        W, b, x = example_layer(seed=seed)
        shown = [t.get_text() for ax in draw_jacobian(W, b, x).axes for t in ax.texts]
        for value in layer_jacobian(W, b, x).ravel():
            assert f"{value:.2f}" in shown
        tensor_figure = draw_weight_tensor(W, b, x)
        shown = [t.get_text() for ax in tensor_figure.axes for t in ax.texts]
        for value in layer_weight_tensor(W, b, x)[np.arange(3), np.arange(3)].ravel():
            assert f"{value:.2f}" in shown
        assert any("12 of the 36 entries" in t.get_text() for t in tensor_figure.texts)
