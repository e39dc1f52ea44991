"""The quadratic cost, eqs. (10) to (13)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.calculus import central_difference
from backprop.costs import cost_derivative, example_costs, quadratic_cost


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(0, 10_000))
def test_costs_against_explicit_sums(n_out: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, Y = rng.uniform(0, 1, (n_out, n)), rng.uniform(0, 1, (n_out, n))
    per_example = [
        0.5 * sum((Y[j, i] - A[j, i]) ** 2 for j in range(n_out)) for i in range(n)
    ]
    assert_allclose(example_costs(A, Y), per_example, rtol=1e-13)
    assert quadratic_cost(A, Y) == pytest.approx(sum(per_example) / n, rel=1e-13)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 6), st.integers(0, 10_000))
def test_gradient_eq_13_against_central_differences(n_out: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, y = rng.uniform(0, 1, (n_out, 1)), rng.uniform(0, 1, (n_out, 1))
    numeric = []
    for j in range(n_out):
        e = np.zeros((n_out, 1))
        e[j] = 1.0
        numeric.append(
            central_difference(lambda t, e=e: quadratic_cost(a + t * e, y), 0.0)
        )
    assert_allclose(cost_derivative(a, y)[:, 0], numeric, rtol=1e-7, atol=1e-10)


def test_flat_targets_are_refused_not_broadcast() -> None:
    a = np.array([[0.2], [0.7]])
    with pytest.raises(ValueError, match=r"y must be a column of shape \(2, 1\)"):
        quadratic_cost(a, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"a must be a column of shape \(2, 1\)"):
        cost_derivative(np.array([0.2, 0.7]), a)


def test_shape_mismatch_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"a and y must have the same shape, got \(2, 3\) and \(2, 2\)"
    ):
        example_costs(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"got \(3, 1\) and \(2, 1\)"):
        cost_derivative(np.zeros((3, 1)), np.zeros((2, 1)))


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="y must be finite"):
        quadratic_cost(np.zeros((2, 1)), np.array([[np.nan], [0.0]]))
