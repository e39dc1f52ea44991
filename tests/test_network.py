"""The network's parameters and forward pass: shapes, reproducibility, eqs. (6) to (9)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.activations import sigmoid, sigmoid_prime
from backprop.calculus import central_difference
from backprop.network import Network, neuron_activation, weighted_input
from backprop.storage import load, save

layer_sizes = st.lists(st.integers(1, 12), min_size=2, max_size=5)


@settings(max_examples=60, deadline=None)
@given(layer_sizes, st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_shapes_follow_the_contract(sizes: list[int], m: int, seed: int) -> None:
    net = Network(sizes, seed=seed)
    assert net.num_layers == len(sizes)
    assert [w.shape for w in net.weights] == list(
        zip(sizes[1:], sizes[:-1], strict=True)
    )
    assert [b.shape for b in net.biases] == [(n, 1) for n in sizes[1:]]
    X = np.random.default_rng(seed).uniform(-1, 1, (sizes[0], m))
    A = net.feedforward(X)
    assert A.shape == (sizes[-1], m)
    assert np.all((A > 0) & (A < 1))


@settings(max_examples=40, deadline=None)
@given(layer_sizes, st.integers(0, 1000))
def test_layer_form_equals_neuron_by_neuron_sums(sizes: list[int], seed: int) -> None:
    """Eqs. (7) and (8) against eq. (6), every neuron of every layer."""
    net = Network(sizes, seed=seed)
    x = np.random.default_rng(seed).uniform(-2, 2, (sizes[0], 1))
    a = list(x[:, 0])
    for W, b in zip(net.weights, net.biases, strict=True):
        a = [neuron_activation(W[j], a, b[j, 0]) for j in range(W.shape[0])]
    assert_allclose(net.feedforward(x)[:, 0], a, rtol=1e-13, atol=1e-15)


def test_a_batch_gives_its_columns_outputs() -> None:
    net = Network([4, 6, 3], seed=0)
    X = np.random.default_rng(1).standard_normal((4, 7))
    by_column = np.hstack([net.feedforward(X[:, [i]]) for i in range(7)])
    assert_allclose(net.feedforward(X), by_column, rtol=0, atol=1e-15)


def test_same_seed_same_network_different_seed_different_network() -> None:
    a, b, c = (
        Network([5, 4, 2], seed=42),
        Network([5, 4, 2], seed=42),
        Network([5, 4, 2], seed=43),
    )
    for p, q in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert np.array_equal(p, q)
    assert not np.array_equal(a.weights[0], c.weights[0])
    gen = np.random.default_rng(42)
    assert np.array_equal(Network([5, 4, 2], seed=gen).weights[0], a.weights[0])


def test_initial_weights_have_variance_one_over_fan_in() -> None:
    net = Network([400, 300, 10], seed=0)
    assert net.weights[0].std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert net.weights[1].std() == pytest.approx(1 / np.sqrt(300), rel=0.1)
    assert np.concatenate([b.ravel() for b in net.biases]).std() == pytest.approx(
        1, rel=0.15
    )


def test_float32_networks_compute_in_float32() -> None:
    net64 = Network([3, 5, 2], seed=9)
    net32 = Network([3, 5, 2], seed=9, dtype=np.float32)
    assert all(w.dtype == np.float32 for w in net32.weights + net32.biases)
    x = np.array([[0.1], [0.2], [0.3]])
    out = net32.feedforward(x)
    assert out.dtype == np.float32
    assert_allclose(out, net64.feedforward(x), rtol=1e-6)


def test_weighted_input_is_eq_7() -> None:
    rng = np.random.default_rng(3)
    W, a, b = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((4, 2)),
        rng.standard_normal((3, 1)),
    )
    explicit = np.array(
        [
            [sum(W[j, k] * a[k, i] for k in range(4)) + b[j, 0] for i in range(2)]
            for j in range(3)
        ]
    )
    assert_allclose(weighted_input(W, a, b), explicit, rtol=1e-14)
    with pytest.raises(ValueError, match="do not fit"):
        weighted_input(W, a[:3], b)
    with pytest.raises(ValueError, match="do not fit"):
        weighted_input(W, a, b.ravel())


def test_sigmoid_and_its_derivative_eq_9() -> None:
    z = np.linspace(-30, 30, 121)
    assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    numeric = [central_difference(lambda t: float(sigmoid(t)), float(v)) for v in z]
    assert_allclose(sigmoid_prime(z), numeric, atol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_up_to_1e4(dtype: type) -> None:
    z = np.array([-1e4, -1e3, -100.0, -1.0, 0.0, 1.0, 100.0, 1e3, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, ds = sigmoid(z), sigmoid_prime(z)
    assert s.dtype == dtype
    assert ds.dtype == dtype
    assert np.all(np.isfinite(s))
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((ds >= 0) & (ds <= 0.25))
    assert s[0] == 0
    assert s[-1] == 1


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ([], ValueError, "at least 2 widths"),
        ([3], ValueError, "at least 2 widths"),
        ([3, 0, 2], ValueError, r"sizes\[1\] must be at least 1 neuron, got 0"),
        ([3, -4, 2], ValueError, r"sizes\[1\] must be at least 1 neuron, got -4"),
        ([3, 2.5, 2], TypeError, r"sizes\[1\] must be a whole number, got 2.5"),
        ([3, True, 2], TypeError, r"sizes\[1\] must be a whole number, got True"),
        ("32", TypeError, "sizes must be a list of layer widths"),
        (3, TypeError, "sizes must be a list of layer widths"),
    ],
)
def test_bad_sizes_are_refused(sizes: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        Network(sizes, seed=0)  # type: ignore[arg-type]


def test_numpy_integer_sizes_are_accepted() -> None:
    assert Network(np.array([2, 3, 1]), seed=0).sizes == [2, 3, 1]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.ones(3), r"got the flat shape \(3,\); use a.reshape\(-1, 1\)"),
        (np.ones((4, 1)), r"a must have 3 rows, one per neuron, got shape \(4, 1\)"),
        (np.ones((3, 1, 1)), r"a must be 2-D \(rows, columns\), got shape \(3, 1, 1\)"),
        (np.ones((3, 0)), r"a has no columns"),
        (
            np.array([[1.0], [np.nan], [0.0]]),
            r"a must be finite, but entry \(1, 0\) is nan",
        ),
        (
            np.array([[1.0], [np.inf], [0.0]]),
            r"a must be finite, but entry \(1, 0\) is inf",
        ),
    ],
)
def test_bad_inputs_are_refused(x: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Network([3, 2], seed=0).feedforward(x)


def test_non_numeric_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match="a must hold numbers"):
        Network([1, 1], seed=0).feedforward(np.array([["x"]]))
    with pytest.raises(TypeError, match="must be a floating-point type"):
        Network([1, 1], seed=0, dtype=np.int32)


def test_a_saved_network_loads_bit_for_bit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    net = Network([5, 4, 3], seed=2, dtype=np.float32)
    X = np.random.default_rng(0).uniform(0, 1, (5, 20))
    net.SGD((X, np.eye(3)[:, np.arange(20) % 3]), 2, 5, 1.0, verbose=False)
    path = tmp_path / "net.npz"
    save(net, path)
    again = load(path)
    assert again.sizes == net.sizes
    assert again.dtype == np.float32
    for p, q in zip(
        net.weights + net.biases, again.weights + again.biases, strict=True
    ):
        assert p.dtype == q.dtype
        assert np.array_equal(p, q)
    assert np.array_equal(net.feedforward(X), again.feedforward(X))


def test_a_file_whose_shapes_do_not_match_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.npz"
    save(Network([3, 4, 2], seed=0), good)
    stored = dict(np.load(good))
    cases = {
        "shape.npz": (
            {**stored, "W2": np.zeros((2, 5))},
            r"W2 has shape \(2, 5\), but sizes \[3, 4, 2\] need \(2, 4\)",
        ),
        "missing.npz": (
            {k: v for k, v in stored.items() if k != "b1"},
            r"b1 is missing for sizes \[3, 4, 2\]",
        ),
        "extra.npz": (
            {**stored, "W3": np.zeros((1, 2))},
            r"unexpected arrays \['W3'\]",
        ),
        "nan.npz": ({**stored, "b2": np.full((2, 1), np.nan)}, r"b2 must be finite"),
        "other.npz": ({"x": np.zeros(3)}, r"not a saved network"),
    }
    for name, (arrays, message) in cases.items():
        np.savez(tmp_path / name, **arrays)
        with pytest.raises(ValueError, match=message):
            load(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nowhere.npz")


def test_importing_the_package_loads_neither_matplotlib_nor_scikit_learn() -> None:
    import subprocess
    import sys

    code = "import sys, backprop; print(sorted(m for m in ('matplotlib', 'sklearn', 'scipy') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
