"""backprop.training: the trainer takes the plain Network's steps, fast.

``Network`` is written as the pages derive it; ``Trainer`` is the same SGD step
engineered for speed (workspace, in-place forward pass, η/m folded into δ^L,
rows gathered), asked for by name. These properties hold for 1 to 5 layers of
weights, widths 1 to 20, mini-batches of 1 to 16 examples, in float64 and
float32:

* one trainer step equals one plain ``update_mini_batch``, entry by entry, to
  rtol 1e-12 in float64 and 1e-5 in float32;
* ``Trainer(net).SGD`` and ``Network.SGD`` from one seed end with the same
  parameters and give the same reports, the last mini-batch of an epoch
  partial or not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.data import load_digits
from backprop.network import Network
from backprop.training import Trainer

RTOL = {np.float64: 1e-12, np.float32: 1e-5}

sizes = st.lists(st.integers(1, 20), min_size=2, max_size=6)  # 1 to 5 weight layers
dtypes = st.sampled_from([np.float64, np.float32])


def batch(
    sizes: list[int], m: int, seed: int, dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (sizes[0], m)).astype(dtype)
    Y = rng.uniform(0.0, 1.0, (sizes[-1], m)).astype(dtype)
    return X, Y


def params(net: Network) -> list[np.ndarray]:
    return [p.copy() for p in net.weights + net.biases]


@settings(max_examples=120, deadline=None)
@given(
    sizes,
    st.integers(1, 16),
    st.floats(0.01, 10.0),
    st.integers(0, 2**32 - 1),
    dtypes,
)
def test_one_trainer_step_equals_the_plain_update_mini_batch(
    sizes: list[int], m: int, eta: float, seed: int, dtype: type
) -> None:
    X, Y = batch(sizes, m, seed, dtype)
    plain, fast = (
        Network(sizes, seed=seed, dtype=dtype),
        Network(sizes, seed=seed, dtype=dtype),
    )
    plain.update_mini_batch((X, Y), eta)
    Trainer(fast).step(X, Y, eta)
    for p, q in zip(params(fast), params(plain), strict=True):
        assert p.dtype == q.dtype == dtype
        # An entry of a step is a sum of products: compare it relative to its terms'
        # size, which the parameters bound from below for entries near zero.
        assert_allclose(p, q, rtol=RTOL[dtype], atol=RTOL[dtype])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 12), min_size=2, max_size=6),
    st.integers(1, 40),
    st.integers(1, 16),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
    dtypes,
)
def test_trainer_sgd_ends_where_network_sgd_does_with_the_same_reports(
    sizes: list[int], n: int, m: int, epochs: int, seed: int, dtype: type
) -> None:
    X, Y = batch(sizes, n, seed, dtype)
    labels = np.arange(n) % sizes[-1]
    fast = Network(sizes, seed=seed, dtype=dtype)
    plain = Network(sizes, seed=seed, dtype=dtype)
    fast_history = Trainer(fast).SGD((X, Y), epochs, m, 1.5, (X, labels), verbose=False)
    plain_history = plain.SGD((X, Y), epochs, m, 1.5, (X, labels), verbose=False)
    for p, q in zip(params(fast), params(plain), strict=True):
        assert_allclose(p, q, rtol=RTOL[dtype], atol=RTOL[dtype])
    assert [h.epoch for h in fast_history] == list(range(1, epochs + 1))
    for a, b in zip(fast_history, plain_history, strict=True):
        assert (a.epoch, a.total) == (b.epoch, b.total) == (a.epoch, n)
        assert_allclose(a.cost, b.cost, rtol=100 * RTOL[dtype])
        assert_allclose(a.saturated, b.saturated)
        if dtype == np.float64:  # float32's rounding may flip a near tie
            assert a.correct == b.correct
    # Both shuffled with the same draws from the same generator:
    assert fast.rng.bit_generator.state == plain.rng.bit_generator.state


def test_a_diverging_step_is_refused_and_leaves_the_network_as_it_was() -> None:
    X, Y = batch([4, 3, 2], 5, 0)
    X[0] = 1e300  # huge but finite; with W^1's first column zero, z^1 stays tame,
    net = Network([4, 3, 2], seed=1)
    net.weights[0][:, 0] = 0.0  # so δ^1 is not zero and δ^1 x_0 η/m overflows
    before = params(net)
    with (
        np.errstate(all="ignore"),
        pytest.raises(FloatingPointError, match="not finite"),
    ):
        Trainer(net).step(X, Y, 1.7e308)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))


def test_a_step_updates_the_parameter_arrays_in_place_and_reuses_its_workspace() -> (
    None
):
    X, Y = batch([4, 3, 2], 10, 0)
    net = Network([4, 3, 2], seed=0)
    arrays = [id(p) for p in net.weights + net.biases]
    trainer = Trainer(net)
    trainer.step(X, Y, 1.0)
    work = trainer.workspace(10)
    trainer.step(X, Y, 1.0)
    assert [id(p) for p in net.weights + net.biases] == arrays
    assert trainer.workspace(10) is work  # same batch width: nothing allocated again
    trainer.step(X[:, :3], Y[:, :3], 1.0)
    assert trainer.workspace(3) is not work
    assert trainer.workspace(3).m == 3


def test_trainer_sgd_names_the_epoch_and_step_where_training_blows_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sigmoid network's gradients are bounded, so simulate a blow-up: NaN at
    step 3 of epoch 2 (4 steps per epoch: 40 examples, batches of 10)."""
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
    X, Y = batch([4, 3, 2], 40, 0)
    net = Network([4, 3, 2], seed=1)
    with pytest.raises(
        FloatingPointError,
        match=r"^epoch 2, step 3: this mini-batch's step is not finite",
    ):
        Trainer(net, compiled=False).SGD(
            (X, Y), epochs=3, mini_batch_size=10, eta=1.0, verbose=False
        )
    assert calls == 7
    assert all(np.all(np.isfinite(p)) for p in params(net))  # step 2's state is kept


def test_trainer_sgd_checks_its_arguments_as_network_sgd_does() -> None:
    X, Y = batch([4, 3, 2], 10, 0)
    net = Network([4, 3, 2], seed=0)
    before = params(net)
    with pytest.raises(ValueError, match=r"use backprop\.data\.one_hot"):
        Trainer(net).SGD((X, np.arange(10) % 2), 1, 5, 1.0, verbose=False)
    with pytest.raises(ValueError, match="eta must be a positive finite number"):
        Trainer(net).SGD((X, Y), 1, 5, 0.0, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(before, params(net), strict=True))


def test_digits_reach_97_percent() -> None:
    """The training lab's run, measured: [64, 30, 10], 30 epochs, batches of 10, eta 3."""
    train, test = load_digits()
    net = Network([64, 30, 10], seed=0)
    history = Trainer(net).SGD(
        train.arrays, 30, 10, 3.0, test_data=test.labelled, verbose=False
    )
    assert history[-1].correct == net.evaluate(test.labelled)
    assert history[-1].accuracy >= 0.97
    assert history[-1].cost < history[0].cost
    assert history[-1].saturated <= 0.5
