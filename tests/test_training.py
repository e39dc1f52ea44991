"""Training: update_mini_batch, SGD and evaluate, with both data forms, on real digits."""

from __future__ import annotations

from functools import partialmethod
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from backprop.costs import quadratic_cost
from backprop.data import load_digits
from backprop.network import Network
from backprop.reference import update_mini_batch_loop
from backprop.training import Trainer


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


def test_a_rejected_mini_batch_changes_nothing() -> None:
    X, Y, _ = toy(5)
    net = Network([4, 3, 2], seed=1)
    before = params(net)
    bad = [(X[:, [i]], Y[:, [i]]) for i in range(5)]
    bad[3] = (np.full((4, 1), np.nan), Y[:, [3]])
    with pytest.raises(ValueError, match="must be finite"):
        net.update_mini_batch(bad, 0.5)
    flat = [(X[:, [i]], Y[:, [i]]) for i in range(5)]
    flat[2] = (X[:, [2]], Y[:, 2])
    with pytest.raises(ValueError, match=r"mini_batch\[2\] y must be a column"):
        net.update_mini_batch(flat, 0.5)
    with pytest.raises(ValueError, match="eta must be a positive finite number"):
        net.update_mini_batch((X, Y), 0.0)
    with pytest.raises(ValueError, match="mini_batch is empty"):
        net.update_mini_batch([], 0.5)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))


@pytest.mark.parametrize("path", ["plain", "trainer"])
def test_a_diverging_step_is_refused_and_leaves_the_network_as_it_was(
    path: str,
) -> None:
    X, Y, _ = toy(5)
    X[0] = 1e300  # huge but finite; with W^1's first column zero, z^1 stays tame,
    net = Network([4, 3, 2], seed=1)
    net.weights[0][:, 0] = 0.0  # so δ^1 is not zero and δ^1 x_0 η/m overflows
    before = params(net)
    step = {
        "plain": lambda: net.update_mini_batch((X, Y), 1.7e308),
        "trainer": lambda: Trainer(net).step(X, Y, 1.7e308),
    }[path]
    with (
        np.errstate(all="ignore"),
        pytest.raises(FloatingPointError, match="not finite"),
    ):
        step()
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))


def test_a_step_updates_the_parameter_arrays_in_place_and_the_trainer_reuses_its_workspace() -> (
    None
):
    X, Y, _ = toy(10)
    net = Network([4, 3, 2], seed=0)
    arrays = [id(p) for p in net.weights + net.biases]
    net.update_mini_batch((X, Y), 1.0)
    trainer = Trainer(net)
    trainer.step(X, Y, 1.0)
    work = trainer.workspace(10)
    trainer.step(X, Y, 1.0)
    assert [id(p) for p in net.weights + net.biases] == arrays
    assert trainer.workspace(10) is work  # same batch width: nothing allocated again
    trainer.step(X[:, :3], Y[:, :3], 1.0)
    assert trainer.workspace(3) is not work
    assert trainer.workspace(3).m == 3


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


def test_sgd_names_the_epoch_and_step_where_training_blows_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sigmoid network's gradients are bounded, so simulate a blow-up: NaN at step 3
    of epoch 2, on the plain path (an overridden backprop) and on the trainer's."""

    class Faulty(Network):
        calls = 0

        def backprop(self, x: Any, y: Any) -> tuple[list, list]:
            Faulty.calls += 1
            nabla_b, nabla_w = super().backprop(x, y)
            if Faulty.calls == 4 + 3:  # 4 steps per epoch: 40 examples, batches of 10
                nabla_w[0][0, 0] = np.nan
            return nabla_b, nabla_w

    calls = 0
    fast_backprop = Trainer._backprop

    def faulty_backprop(self: Trainer, *args: Any) -> tuple[list, list]:
        nonlocal calls
        calls += 1
        nabla_b, nabla_w = fast_backprop(self, *args)
        if calls == 4 + 3:
            nabla_w[0][0, 0] = np.nan
        return nabla_b, nabla_w

    monkeypatch.setattr(Trainer, "_backprop", faulty_backprop)
    # The NaN goes into the NumPy step's backprop: the trainer must take that step.
    monkeypatch.setattr(
        Trainer, "__init__", partialmethod(Trainer.__init__, compiled=False)
    )
    X, Y, _ = toy(40)
    for net in Faulty([4, 3, 2], seed=1), Network([4, 3, 2], seed=1):
        with pytest.raises(
            FloatingPointError,
            match=r"^epoch 2, step 3: this mini-batch's step is not finite",
        ):
            net.SGD((X, Y), epochs=3, mini_batch_size=10, eta=1.0, verbose=False)
        assert all(
            np.all(np.isfinite(p)) for p in params(net)
        )  # the state after step 2 is kept
    assert Faulty.calls == calls == 7


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


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": -1}, ValueError, "epochs must not be negative"),
        ({"epochs": 1.5}, TypeError, "epochs must be a whole number"),
        ({"mini_batch_size": 0}, ValueError, "mini_batch_size must be at least 1"),
        ({"eta": -0.1}, ValueError, "eta must be a positive finite number"),
        ({"eta": float("inf")}, ValueError, "eta must be a positive finite number"),
    ],
)
def test_sgd_rejects_bad_settings(kwargs: dict, error: type, message: str) -> None:
    X, Y, _ = toy(10)
    net = Network([4, 3, 2], seed=0)
    before = params(net)
    settings = {"epochs": 1, "mini_batch_size": 5, "eta": 1.0} | kwargs
    with pytest.raises(error, match=message):
        net.SGD((X, Y), verbose=False, **settings)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))


def test_training_data_must_pair_inputs_and_targets() -> None:
    X, Y, _ = toy(10)
    net = Network([4, 3, 2], seed=0)
    with pytest.raises(ValueError, match="training_data has 10 inputs but 9 targets"):
        net.SGD((X, Y[:, :9]), 1, 5, 1.0, verbose=False)
    with pytest.raises(ValueError, match="training_data targets must have 2 rows"):
        net.SGD((X, X), 1, 5, 1.0, verbose=False)
    with pytest.raises(TypeError, match="list of \\(x, y\\) column pairs"):
        net.SGD(X, 1, 5, 1.0, verbose=False)  # type: ignore[arg-type]


def test_evaluate_takes_labels_or_one_hot_columns() -> None:
    X, Y, labels = toy(30)
    net = Network([4, 5, 2], seed=0)
    net.SGD((X, Y), 20, 5, 3.0, verbose=False)
    count = net.evaluate((X, labels))
    assert count == net.evaluate((X, Y))
    assert count == net.evaluate([(X[:, [i]], int(labels[i])) for i in range(30)])
    assert count == int(np.sum(np.argmax(net.feedforward(X), axis=0) == labels))
    with pytest.raises(ValueError, match=r"labels must lie in 0..1, got 0..2"):
        net.evaluate((X, np.array([0, 1, 2] * 10)))


def test_digits_reach_97_percent() -> None:
    """The training lab's claim, measured: [64, 30, 10], 30 epochs, batches of 10, eta 3."""
    train, test = load_digits()
    net = Network([64, 30, 10], seed=0)
    history = net.SGD(train.arrays, 30, 10, 3.0, test_data=test.labelled, verbose=False)
    assert history[-1].accuracy >= 0.97
    assert net.evaluate(test.labelled) / len(test) >= 0.97
    assert history[-1].cost < history[0].cost
