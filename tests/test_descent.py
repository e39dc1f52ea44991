"""Gradient descent and SGD, eqs. (14) to (19), on the two-parameter line fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.calculus import partials
from backprop.descent import (
    LineFit,
    directional_derivative,
    gradient_descent,
    gradient_step,
    mini_batches,
    minibatch_gradient,
    sgd_path,
)

PROBLEM = LineFit.sample()
START = np.array([-0.5, 2.5])


def test_gradient_against_central_differences() -> None:
    for v in (START, np.array([1.0, -2.0]), PROBLEM.minimum()):
        numeric = partials(lambda w, b: PROBLEM.cost(np.array([w, b])), w=v[0], b=v[1])
        assert_allclose(
            PROBLEM.cost_gradient(v), [numeric["w"], numeric["b"]], rtol=1e-7, atol=1e-9
        )
    assert_allclose(PROBLEM.cost_gradient(PROBLEM.minimum()), [0.0, 0.0], atol=1e-12)


def test_directional_derivative_is_gradient_dot_u_eq_15() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        u = rng.standard_normal(2)
        u /= np.linalg.norm(u)
        assert directional_derivative(PROBLEM.cost, START, u) == pytest.approx(
            PROBLEM.cost_gradient(START) @ u, rel=1e-7, abs=1e-9
        )
    with pytest.raises(ValueError, match="unit vector"):
        directional_derivative(PROBLEM.cost, START, np.array([1.0, 1.0]))


def test_descent_below_the_limit_converges_and_above_it_diverges() -> None:
    limit = PROBLEM.largest_stable_eta()
    below = gradient_descent(PROBLEM.cost_gradient, START, 0.98 * limit, 2000)
    above = gradient_descent(PROBLEM.cost_gradient, START, 1.02 * limit, 2000)
    assert_allclose(below[-1], PROBLEM.minimum(), atol=1e-8)
    assert np.linalg.norm(above[-1] - PROBLEM.minimum()) > 1e6


def test_gradient_step_is_eq_16_and_checks_its_arguments() -> None:
    out = gradient_step(
        [np.ones((2, 2)), np.zeros(3)], [np.full((2, 2), 2.0), np.ones(3)], 0.5
    )
    assert_allclose(out[0], np.zeros((2, 2)))
    assert_allclose(out[1], -0.5 * np.ones(3))
    for eta in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="eta must be a positive finite number"):
            gradient_step([np.ones(2)], [np.ones(2)], eta)
    with pytest.raises(TypeError, match="eta must be a real number"):
        gradient_step([np.ones(2)], [np.ones(2)], "0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1 parameter arrays but 2 gradients"):
        gradient_step([np.ones(2)], [np.ones(2), np.ones(2)], 0.1)
    with pytest.raises(ValueError, match="same shape"):
        gradient_step([np.ones((2, 1))], [np.ones(2)], 0.1)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 200), st.integers(1, 50), st.integers(0, 1000))
def test_mini_batches_cover_every_example_once(n: int, m: int, seed: int) -> None:
    batches = mini_batches(n, m, np.random.default_rng(seed))
    assert len(batches) == -(-n // m)
    assert all(len(batch) == m for batch in batches[:-1])
    assert 1 <= len(batches[-1]) <= m
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))


def test_mini_batches_reject_bad_sizes() -> None:
    with pytest.raises(ValueError, match="m must be at least 1, got 0"):
        mini_batches(10, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least one example"):
        minibatch_gradient(
            lambda b: PROBLEM.example_gradients(START, b), np.array([], dtype=int)
        )


def test_minibatch_gradient_is_unbiased_eq_18() -> None:
    rng = np.random.default_rng(5)
    draws = np.array(
        [
            minibatch_gradient(
                lambda b: PROBLEM.example_gradients(START, b),
                rng.choice(100, 5, replace=False),
            )
            for _ in range(20_000)
        ]
    )
    noise = draws.std(axis=0) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - PROBLEM.cost_gradient(START)) < 4 * noise)


def test_sgd_reaches_the_minimum_within_its_noise_eq_19() -> None:
    path = sgd_path(PROBLEM, START, eta=0.05, m=10, epochs=60, seed=1)
    assert len(path) == 60 * 10 + 1
    assert PROBLEM.cost(path[-1]) < 1.01 * PROBLEM.cost(PROBLEM.minimum())
    again = sgd_path(PROBLEM, START, eta=0.05, m=10, epochs=60, seed=1)
    assert np.array_equal(path, again)
