"""The trainer (backprop.training) takes the same steps as the plain Network.

``Network`` is written as the pages derive it; ``Trainer`` is the same SGD step
engineered for speed (workspace, in-place forward pass, η/m folded into δ^L,
rows gathered). These properties hold for 1 to 5 layers of weights, widths 1 to
20, mini-batches of 1 to 16 examples, in float64 and float32:

* one trainer step equals one plain ``update_mini_batch``, entry by entry, to
  rtol 1e-12 in float64 and 1e-5 in float32;
* a whole SGD run from one seed ends with the same parameters whether the
  trainer or the plain loop takes the steps.

``Network.SGD`` uses the trainer only for a network whose ``update_mini_batch``
and ``backprop`` are Network's own: an override is called for every mini-batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.network import Network
from backprop.training import Trainer

RTOL = {np.float64: 1e-12, np.float32: 1e-5}

sizes = st.lists(st.integers(1, 20), min_size=2, max_size=6)  # 1 to 5 weight layers
dtypes = st.sampled_from([np.float64, np.float32])


def batch(
    sizes: list[int], m: int, seed: int, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (sizes[0], m)).astype(dtype)
    Y = rng.uniform(0.0, 1.0, (sizes[-1], m)).astype(dtype)
    return X, Y


def parameters(net: Network) -> list[np.ndarray]:
    return net.weights + net.biases


class Plain(Network):
    """A network that overrides update_mini_batch, so SGD calls it: the plain loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls = 0

    def update_mini_batch(self, mini_batch: Any, eta: float) -> None:
        self.calls += 1
        super().update_mini_batch(mini_batch, eta)


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
    for p, q in zip(parameters(fast), parameters(plain), strict=True):
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
def test_whole_sgd_runs_end_with_the_same_parameters_both_ways(
    sizes: list[int], n: int, m: int, epochs: int, seed: int, dtype: type
) -> None:
    X, Y = batch(sizes, n, seed, dtype)
    fast = Network(sizes, seed=seed, dtype=dtype)
    plain = Plain(sizes, seed=seed, dtype=dtype)
    fast_history = fast.SGD((X, Y), epochs, m, 1.5, verbose=False)
    plain_history = plain.SGD((X, Y), epochs, m, 1.5, verbose=False)
    assert plain.calls == epochs * -(-n // m)  # every mini-batch, through the override
    for p, q in zip(parameters(fast), parameters(plain), strict=True):
        assert_allclose(p, q, rtol=RTOL[dtype], atol=RTOL[dtype])
    for a, b in zip(fast_history, plain_history, strict=True):
        assert_allclose(a.cost, b.cost, rtol=100 * RTOL[dtype])


def test_an_overridden_backprop_is_what_sgd_uses() -> None:
    """L2 weight decay written as a change to backprop: SGD must train with it."""

    class Decay(Network):
        def backprop(self, x: Any, y: Any) -> tuple[list, list]:
            nabla_b, nabla_w = super().backprop(x, y)
            m = np.shape(x)[1]
            return nabla_b, [
                nw + m * 0.1 * W for nw, W in zip(nabla_w, self.weights, strict=True)
            ]

    X, Y = batch([3, 4, 2], 20, 0, np.float64)
    decayed, plain = Decay([3, 4, 2], seed=0), Network([3, 4, 2], seed=0)
    decayed.SGD((X, Y), 5, 4, 1.0, verbose=False)
    plain.SGD((X, Y), 5, 4, 1.0, verbose=False)
    norm = [float(np.sum(W**2)) for W in decayed.weights]
    assert all(
        a < b
        for a, b in zip(norm, [float(np.sum(W**2)) for W in plain.weights], strict=True)
    )


def test_the_default_network_is_trained_by_the_trainer_and_the_override_by_itself() -> (
    None
):
    X, Y = batch([3, 4, 2], 10, 1, np.float64)
    net, plain = Network([3, 4, 2], seed=2), Plain([3, 4, 2], seed=2)
    assert net._plain_steps()
    assert not plain._plain_steps()
    net.SGD((X, Y), 2, 3, 1.0, verbose=False)
    plain.SGD((X, Y), 2, 3, 1.0, verbose=False)
    assert net._fast is not None
    assert plain._fast is None
    assert plain.calls == 2 * 4
