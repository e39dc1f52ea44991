"""The network's parameters and forward pass: shapes, reproducibility, eqs. (6) to (9)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.activations import sigmoid, sigmoid_prime
from backprop.calculus import central_difference
from backprop.costs import quadratic_cost
from backprop.data import load_digits
from backprop.network import (
    FLAT,
    EpochReport,
    Network,
    neuron_activation,
    saturation,
    weighted_input,
)
from backprop.reference import update_mini_batch_loop
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


def test_numpy_integer_sizes_are_accepted() -> None:
    assert Network(np.array([2, 3, 1]), seed=0).sizes == [2, 3, 1]  # type: ignore[arg-type]


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


# -- training: update_mini_batch, SGD and evaluate ------------------------------------


def toy(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, (4, n))
    labels = (X[0] + X[1] > X[2] + X[3]).astype(int)
    return X, np.eye(2)[labels].T, labels


def params(net: Network) -> list[np.ndarray]:
    return [p.copy() for p in net.weights + net.biases]


def test_update_mini_batch_is_eq_19_and_matches_the_loop() -> None:
    X, Y, _ = toy(7)
    fast, slow = Network([4, 5, 2], seed=3), Network([4, 5, 2], seed=3)
    fast.update_mini_batch((X, Y), eta=0.7)
    update_mini_batch_loop(slow, X, Y, eta=0.7)
    for a, b in zip(params(fast), params(slow), strict=True):
        assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_update_mini_batch_takes_pairs_or_arrays_alike() -> None:
    X, Y, _ = toy(6)
    a, b = Network([4, 3, 2], seed=1), Network([4, 3, 2], seed=1)
    a.update_mini_batch((X, Y), 0.5)
    b.update_mini_batch([(X[:, [i]], Y[:, [i]]) for i in range(6)], 0.5)
    assert all(np.array_equal(p, q) for p, q in zip(params(a), params(b), strict=True))


def test_backprop_returns_arrays_that_later_steps_leave_alone() -> None:
    X, Y, _ = toy(10)
    net = Network([4, 3, 2], seed=0)
    nabla_b, nabla_w = net.backprop(X, Y)
    kept = [g.copy() for g in nabla_b + nabla_w]
    net.SGD((X, Y), epochs=2, mini_batch_size=10, eta=1.0, verbose=False)
    assert all(
        np.array_equal(g, k) for g, k in zip(nabla_b + nabla_w, kept, strict=True)
    )


def test_a_read_only_parameter_is_refused_before_anything_changes() -> None:
    X, Y, _ = toy(10)
    net = Network([4, 3, 2], seed=0)
    net.biases[1].flags.writeable = False  # the last array a step would write
    before = params(net)
    with pytest.raises(ValueError, match=r"^biases\[1\] \(b\^2\) is read-only"):
        net.update_mini_batch((X, Y), 1.0)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))
    assert net.feedforward(X).shape == (2, 10)  # reading needs no write access


def test_huge_but_finite_parameters_are_not_mistaken_for_overflow() -> None:
    X, Y, _ = toy(5)
    net = Network([4, 3, 2], seed=1)
    net.biases[1][:] = -1.7e308  # two of them sum to -inf, yet each is finite
    net.update_mini_batch((X, Y), 1.0)  # saturated output: a zero step, accepted
    assert np.all(net.biases[1] == -1.7e308)


def test_same_seed_same_training_run_bit_for_bit() -> None:
    X, Y, labels = toy(60)
    runs = []
    for _ in range(2):
        net = Network([4, 6, 2], seed=5)
        history = net.SGD((X, Y), 5, 7, 2.0, test_data=(X, labels), verbose=False)
        runs.append((params(net), [(h.cost, h.correct) for h in history]))
    assert runs[0][1] == runs[1][1]
    assert all(
        np.array_equal(p, q) for p, q in zip(runs[0][0], runs[1][0], strict=True)
    )


def test_sgd_reports_every_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    X, Y, labels = toy(50)
    net = Network([4, 6, 2], seed=5)
    history = net.SGD((X, Y), 3, 10, 2.0, test_data=(X, labels))
    lines = capsys.readouterr().out.strip().splitlines()
    assert [h.epoch for h in history] == [1, 2, 3]
    assert lines == [str(h) for h in history]
    assert lines[0].startswith("epoch   1: cost ")
    # The last report describes the network as training left it.
    last = history[-1]
    assert last.correct == net.evaluate((X, labels))
    assert last.total == 50
    assert last.accuracy == last.correct / 50
    assert f"test {last.correct} / 50 (" in lines[-1]
    assert_allclose(last.cost, quadratic_cost(net.feedforward(X), Y), rtol=1e-12)


def test_evaluate_takes_labels_or_one_hot_columns() -> None:
    X, Y, labels = toy(30)
    net = Network([4, 5, 2], seed=0)
    net.SGD((X, Y), 20, 5, 3.0, verbose=False)
    count = net.evaluate((X, labels))
    assert count == net.evaluate((X, Y))
    assert count == net.evaluate([(X[:, [i]], int(labels[i])) for i in range(30)])
    assert count == int(np.sum(np.argmax(net.feedforward(X), axis=0) == labels))


def test_a_diverging_step_is_refused_and_the_arrays_are_updated_in_place() -> None:
    X, Y, _ = toy(5)
    X[0] = 1e300  # huge but finite; with W^1's first column zero, z^1 stays tame,
    net = Network([4, 3, 2], seed=1)
    net.weights[0][:, 0] = 0.0  # so δ^1 is not zero and δ^1 x_0 η/m overflows
    arrays, before = [id(p) for p in net.weights + net.biases], params(net)
    with (
        np.errstate(all="ignore"),
        pytest.raises(FloatingPointError, match="not finite"),
    ):
        net.update_mini_batch((X, Y), 1.7e308)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))
    net.update_mini_batch(toy(5)[:2], 1.0)
    assert [id(p) for p in net.weights + net.biases] == arrays
    assert not all(
        np.array_equal(p, q) for p, q in zip(before, params(net), strict=True)
    )


def test_sgd_names_the_epoch_and_step_where_training_blows_up() -> None:
    """A sigmoid network's gradients are bounded, so simulate a blow-up: NaN at
    step 3 of epoch 2 (4 steps per epoch: 40 examples, batches of 10)."""

    class Faulty(Network):
        calls = 0

        def backprop(self, x: Any, y: Any) -> tuple[list, list]:
            Faulty.calls += 1
            nabla_b, nabla_w = super().backprop(x, y)
            if Faulty.calls == 4 + 3:
                nabla_w[0][0, 0] = np.nan
            return nabla_b, nabla_w

    X, Y, _ = toy(40)
    net = Faulty([4, 3, 2], seed=1)
    with pytest.raises(
        FloatingPointError,
        match=r"^epoch 2, step 3: this mini-batch's step is not finite",
    ):
        net.SGD((X, Y), epochs=3, mini_batch_size=10, eta=1.0, verbose=False)
    assert Faulty.calls == 7
    assert all(np.all(np.isfinite(p)) for p in params(net))  # step 2's state is kept


class Recording(Network):
    """A network that records which examples each call of update_mini_batch gets:
    the first input of example i is i / n, with n = 23."""

    n = 23

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[list[int]] = []

    def update_mini_batch(self, mini_batch: Any, eta: float) -> None:
        X = mini_batch[0]
        self.batches.append(np.rint(X[0] * self.n).astype(int).tolist())
        super().update_mini_batch(mini_batch, eta)


def test_sgd_uses_every_example_once_per_epoch_in_a_new_order() -> None:
    """n = 23 examples in mini-batches of m = 5: the last of each epoch holds 3."""
    n, epochs = Recording.n, 3
    X, Y, _ = toy(n)
    X[0] = np.arange(n) / n
    net = Recording([4, 3, 2], seed=0)
    net.SGD((X, Y), epochs, 5, 1.0, verbose=False)
    assert len(net.batches) == epochs * 5
    orders = []
    for e in range(epochs):
        epoch = net.batches[5 * e : 5 * (e + 1)]
        assert [len(batch) for batch in epoch] == [5, 5, 5, 5, 3]
        orders.append([i for batch in epoch for i in batch])
        assert sorted(orders[-1]) == list(range(n))
    assert orders[0] != list(range(n))  # shuffled, not taken in the stored order
    assert orders[0] != orders[1] != orders[2] != orders[0]


def test_sgd_trains_with_an_overridden_backprop() -> None:
    """L2 weight decay written as a change to backprop: SGD must train with it."""

    class Decay(Network):
        def backprop(self, x: Any, y: Any) -> tuple[list, list]:
            nabla_b, nabla_w = super().backprop(x, y)
            m = np.shape(x)[1]
            return nabla_b, [
                nw + m * 0.1 * W for nw, W in zip(nabla_w, self.weights, strict=True)
            ]

    X, Y, _ = toy(20)
    decayed, plain = Decay([4, 3, 2], seed=0), Network([4, 3, 2], seed=0)
    decayed.SGD((X, Y), 5, 4, 1.0, verbose=False)
    plain.SGD((X, Y), 5, 4, 1.0, verbose=False)
    for W, V in zip(decayed.weights, plain.weights, strict=True):
        assert np.sum(W**2) < np.sum(V**2)


def test_saturation_is_the_share_of_outputs_flat_on_every_example() -> None:
    z = np.array([[6.0, -7.0, 8.0], [6.0, 0.5, -9.0], [-5.5, -6.0, -30.0]])
    a_L = sigmoid(z)
    assert saturation(a_L) == pytest.approx(2 / 3)  # row 2 is not flat at z = 0.5
    assert saturation(a_L[:, [0]]) == 1.0
    assert saturation(sigmoid(np.zeros((10, 4)))) == 0.0
    assert float(sigmoid_prime(5.0)) == FLAT
    assert saturation(sigmoid(np.full((1, 1), 4.9))) == 0.0  # σ'(4.9) > σ'(5)


def test_a_huge_learning_rate_is_reported_as_saturation() -> None:
    """eta = 1e6 on the digits: the cost stays at 0.5, and the report says why."""
    train, test = load_digits()
    net = Network([64, 30, 10], seed=0)
    history = net.SGD(train.arrays, 2, 10, 1e6, test_data=test.labelled, verbose=False)
    for report in history:
        assert report.cost == pytest.approx(0.5, abs=1e-3)
        assert report.saturated > 0.5
        assert report.saturated == saturation(net.feedforward(train.X))
        assert "most output neurons are saturated" in str(report)
        assert "try a smaller eta" in str(report)
    calm = EpochReport(1, 0.1, None, None, 0.01, saturated=0.5)
    assert "saturated" not in str(calm)
