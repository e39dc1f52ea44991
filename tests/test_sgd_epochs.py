"""SGD's epochs: every example once, the last mini-batch partial, a new order each epoch.

``Network.SGD`` has two paths. A network whose ``update_mini_batch`` is its own
is trained by the fast trainer; a subclass that overrides it is trained by the
plain loop, which calls the override. The plain path is watched directly, by a
subclass that records every mini-batch it is given. The fast path is checked
against it: from the same seed it must end with the same parameters, which it
cannot if it drops, repeats or reorders a single example.

The data sets have n = 23 examples in mini-batches of m = 5, so that the last
mini-batch of every epoch holds 3 examples: 23 = 4·5 + 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from backprop.network import Network

N, M, EPOCHS = 23, 5, 3


def examples(n: int = N) -> tuple[np.ndarray, np.ndarray]:
    """n examples whose first input is their own index divided by n."""
    rng = np.random.default_rng(7)
    X = rng.uniform(0.0, 1.0, (3, n))
    X[0] = np.arange(n) / n
    return X, rng.uniform(0.0, 1.0, (2, n))


def inputs_of(mini_batch: Any) -> np.ndarray:
    """The (n_0, m) inputs of a mini-batch given as (X, Y) or as a list of (x, y) pairs."""
    if (
        isinstance(mini_batch, tuple)
        and len(mini_batch) == 2
        and isinstance(mini_batch[0], np.ndarray)
        and mini_batch[0].ndim == 2
    ):
        return np.asarray(mini_batch[0])
    return np.hstack([np.asarray(x) for x, _ in mini_batch])


class Recording(Network):
    """A network that records which examples each call of update_mini_batch gets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[list[int]] = []

    def update_mini_batch(self, mini_batch: Any, eta: float) -> None:
        X = inputs_of(mini_batch)
        self.batches.append(np.rint(X[0] * N).astype(int).tolist())
        super().update_mini_batch(mini_batch, eta)


def epochs_of(batches: list[list[int]]) -> list[list[list[int]]]:
    per_epoch = -(-N // M)  # ⌈n/m⌉ mini-batches
    assert len(batches) == EPOCHS * per_epoch
    return [batches[e * per_epoch : (e + 1) * per_epoch] for e in range(EPOCHS)]


def test_plain_sgd_uses_every_example_once_per_epoch_with_a_partial_last_batch() -> (
    None
):
    net = Recording([3, 4, 2], seed=0)
    net.SGD(examples(), EPOCHS, M, 1.0, verbose=False)
    for epoch in epochs_of(net.batches):
        assert [len(batch) for batch in epoch] == [5, 5, 5, 5, 3]
        assert sorted(i for batch in epoch for i in batch) == list(range(N))


def test_plain_sgd_changes_the_order_between_epochs() -> None:
    net = Recording([3, 4, 2], seed=0)
    net.SGD(examples(), EPOCHS, M, 1.0, verbose=False)
    orders = [[i for batch in epoch for i in batch] for epoch in epochs_of(net.batches)]
    assert orders[0] != list(range(N))  # shuffled, not taken in the stored order
    assert orders[0] != orders[1] != orders[2] != orders[0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_sgd_takes_the_plain_loops_steps_partial_batch_included(
    dtype: type,
) -> None:
    X, Y = examples()
    fast = Network([3, 4, 2], seed=0, dtype=dtype)
    plain = Recording([3, 4, 2], seed=0, dtype=dtype)
    fast.SGD((X, Y), EPOCHS, M, 3.0, verbose=False)
    plain.SGD((X, Y), EPOCHS, M, 3.0, verbose=False)
    assert len(plain.batches) == EPOCHS * 5  # the plain path was taken
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    for p, q in zip(
        fast.weights + fast.biases, plain.weights + plain.biases, strict=True
    ):
        assert_allclose(p, q, rtol=rtol, atol=rtol)
