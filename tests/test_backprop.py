"""Backpropagation against finite differences, and the matrix path against the loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.calculus import layer_error, layer_input_gradient, layer_weight_gradient
from backprop.gradcheck import (
    numerical_deltas,
    numerical_gradient,
    relative_error,
)
from backprop.network import (
    Network,
    bias_gradient,
    hidden_error,
    output_error,
    weight_gradient,
)
from backprop.reference import backprop_example, backprop_loop

architectures = st.lists(
    st.integers(1, 20), min_size=2, max_size=6
)  # 1 to 5 layers of weights


def data(sizes: list[int], m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (sizes[0], m)), rng.uniform(0, 1, (sizes[-1], m))


@settings(max_examples=40, deadline=None)
@given(architectures, st.integers(1, 16), st.integers(0, 10_000))
def test_backprop_equals_finite_differences(
    sizes: list[int], m: int, seed: int
) -> None:
    net = Network(sizes, seed=seed)
    x, y = data(sizes, m, seed)
    exact, numeric = net.backprop(x, y), numerical_gradient(net, x, y)  # once
    pairs = list(zip(exact[0] + exact[1], numeric[0] + numeric[1], strict=True))
    # Layer by layer, as max_relative_error measures it:
    assert max(relative_error(a, b) for a, b in pairs) < 1e-7
    # A second comparison that shares nothing with relative_error: entry by entry,
    # each within 1e-6 of its own size or of the array's largest entry.
    for a, b in pairs:
        assert_allclose(a, b, rtol=1e-6, atol=1e-9 * float(np.max(np.abs(b))))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 50),
    st.integers(0, 10_000),
    st.floats(0.1, 10.0),
)
def test_relative_error_is_large_when_arrays_differ(
    n: int, seed: int, factor: float
) -> None:
    """Every gradient check trusts relative_error; it must not call different arrays close."""
    a = np.random.default_rng(seed).standard_normal((n, 1))
    assert relative_error(a, a) == 0.0
    # a against c·a: ‖a − c a‖ / max(‖a‖, ‖c a‖) = |1 − c| / max(1, c). Rounding
    # c·a costs up to an ulp of each entry, so for c near 1 the difference, and
    # the result, carry an absolute error of a few ulps of 1, not a relative one.
    assert_allclose(
        relative_error(a, factor * a),
        abs(1 - factor) / max(1.0, factor),
        rtol=1e-12,
        atol=4 * np.finfo(np.float64).eps,
    )
    assert_allclose(relative_error(a, -a), 2.0, rtol=1e-12)
    if n >= 2:  # two orthogonal vectors of equal length are √2 apart
        u = np.zeros((n, 1))
        v = np.zeros((n, 1))
        u[0], v[1] = a[0] if a[0] != 0 else 1.0, a[0] if a[0] != 0 else 1.0
        assert_allclose(relative_error(u, v), np.sqrt(2.0), rtol=1e-12)
    with pytest.raises(ValueError, match=r"a and b must have the same shape"):
        relative_error(a, a.ravel())


@settings(max_examples=60, deadline=None)
@given(architectures, st.integers(1, 16), st.integers(0, 10_000))
def test_matrix_path_equals_the_per_example_loop(
    sizes: list[int], m: int, seed: int
) -> None:
    net = Network(sizes, seed=seed)
    x, y = data(sizes, m, seed)
    fast, slow = net.backprop(x, y), backprop_loop(net, x, y)
    for a, b in zip(fast[0] + fast[1], slow[0] + slow[1], strict=True):
        assert a.shape == b.shape
        assert relative_error(a, b) < 1e-12


@settings(max_examples=40, deadline=None)
@given(architectures, st.integers(1, 16), st.integers(0, 10_000))
def test_output_shapes_follow_the_contract(sizes: list[int], m: int, seed: int) -> None:
    net = Network(sizes, seed=seed)
    x, y = data(sizes, m, seed)
    nabla_b, nabla_w = net.backprop(x, y)
    assert [g.shape for g in nabla_b] == [b.shape for b in net.biases]
    assert [g.shape for g in nabla_w] == [w.shape for w in net.weights]
    zs, activations = net.forward(x)
    assert [z.shape for z in zs] == [(n, m) for n in sizes[1:]]
    assert [a.shape for a in activations] == [(n, m) for n in sizes]


def test_each_of_the_four_equations_against_finite_differences() -> None:
    net = Network([4, 6, 5, 3], seed=11)
    x, y = data(net.sizes, 3, 12)
    zs, activations = net.forward(x)
    numeric_deltas = numerical_deltas(net, x, y)
    numeric_b, numeric_w = numerical_gradient(net, x, y)
    L = net.num_layers - 1
    delta = output_error(activations[L], y, zs[L - 1])  # eq. (33)
    assert relative_error(delta, numeric_deltas[L - 1]) < 1e-7
    for l in range(L, 0, -1):
        if l < L:
            delta = hidden_error(net.weights[l], delta, zs[l - 1])  # eq. (34)
            assert relative_error(delta, numeric_deltas[l - 1]) < 1e-7
        assert relative_error(bias_gradient(delta), numeric_b[l - 1]) < 1e-7  # eq. (35)
        nabla_w = weight_gradient(delta, activations[l - 1])  # eq. (36)
        assert relative_error(nabla_w, numeric_w[l - 1]) < 1e-7


def test_one_layers_gradients_eqs_30_to_32_against_finite_differences() -> None:
    """Eqs. (30) to (32), layer by layer, from ∇_{a^l} C measured numerically."""
    net = Network([4, 6, 5, 3], seed=11)
    x, y = data(net.sizes, 1, 12)
    _, activations = net.forward(x)
    numeric_deltas = numerical_deltas(net, x, y)
    _, numeric_w = numerical_gradient(net, x, y)
    L = net.num_layers - 1
    grad_a = activations[L] - y  # ∇_{a^L} C, eq. (13)
    for l in range(L, 0, -1):
        W, b, a_prev = net.weights[l - 1], net.biases[l - 1], activations[l - 1]
        delta = layer_error(grad_a, W, b, a_prev)  # eq. (32)
        assert relative_error(delta, numeric_deltas[l - 1]) < 1e-7
        nabla_w = layer_weight_gradient(grad_a, W, b, a_prev)  # eq. (30)
        assert relative_error(nabla_w, numeric_w[l - 1]) < 1e-7
        if l > 1:
            grad_a = layer_input_gradient(grad_a, W, b, a_prev)  # eq. (31)


def test_a_batch_gradient_is_the_sum_of_the_example_gradients() -> None:
    net = Network([3, 4, 2], seed=0)
    x, y = data(net.sizes, 5, 1)
    nabla_b, nabla_w = net.backprop(x, y)
    singles = [backprop_example(net, x[:, [i]], y[:, [i]]) for i in range(5)]
    for l in range(2):
        assert_allclose(nabla_b[l], sum(s[0][l] for s in singles), rtol=1e-13)
        assert_allclose(nabla_w[l], sum(s[1][l] for s in singles), rtol=1e-13)


def test_gradient_checks_leave_the_network_unchanged() -> None:
    net = Network([3, 4, 2], seed=0)
    before = [p.copy() for p in net.weights + net.biases]
    x, y = data(net.sizes, 2, 1)
    numerical_gradient(net, x, y)
    numerical_deltas(net, x, y)
    assert all(
        np.array_equal(p, q)
        for p, q in zip(before, net.weights + net.biases, strict=True)
    )
