"""What the backpropagation equations say about learning, measured.

Three factors of eqs. (33) to (36) decide how fast a parameter learns: σ'(z) of
the neuron whose error it is, the activation a^{l-1}_k at the tail of a weight,
and the product of weights and slopes the error passes through on its way down.
The functions here measure them on a network: the size of each layer's weight
gradient (:func:`weight_gradient_norms`), the same network with the essay's
N(0, 1) weights instead of the package's N(0, 1/n) (:func:`unit_variance`),
and both along a training run (:func:`training_record`).

The rest are the measurements of the page "What the equations tell us", which
its examples print and its figures (:mod:`backprop.figures.lessons`) draw: the
worked example's second output pushed into saturation (:func:`output_sweep`,
:func:`output_steps`), the digits' silent pixels (:func:`pixel_change`) and the
two initialisations trained side by side (:func:`initialisation_runs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop.network import Data, Network
from backprop.worked import ETA, example

__all__ = [
    "BATCH",
    "BIASES",
    "DEEP",
    "EPOCHS",
    "MARKED",
    "RATE",
    "SHALLOW",
    "EpochGradients",
    "initialisation_runs",
    "output_steps",
    "output_sweep",
    "pixel_change",
    "steps_to_learn",
    "training_record",
    "unit_variance",
    "weight_gradient_norms",
]


# --8<-- [start:norms]
def weight_gradient_norms(net: Network, x: ArrayLike, y: ArrayLike) -> list[float]:
    """‖∂C/∂W^l‖ for l = 1, …, L, where C is the mean cost over the columns of x.

    The norm is the square root of the sum of squares of all the entries of
    ∂C/∂W^l (eq. 36); ``Network.backprop`` returns the sum over the examples,
    divided here by their number to give the gradient of the mean cost, eq. (12).

    >>> net = Network([2, 3, 1], seed=0)
    >>> x, y = np.array([[0.5], [1.0]]), np.array([[1.0]])
    >>> norms = weight_gradient_norms(net, x, y)
    >>> twice = weight_gradient_norms(net, np.hstack([x, x]), np.hstack([y, y]))
    >>> bool(np.allclose(norms, twice))  # a mean: repeating an example changes nothing
    True
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    _, nabla_w = net.backprop(x, y)
    m = x.shape[1]
    return [float(np.linalg.norm(g)) / m for g in nabla_w]
    # --8<-- [end:norms]


def steps_to_learn(
    net: Network, x: ArrayLike, y: ArrayLike, j: int, eta: float, limit: int = 100_000
) -> int:
    """SGD steps on the one example (x, y) until output neuron j, 1-based, is right.

    "Right" means on the same side of ½ as its target y_j, which must be 0 or 1.
    `net` is trained in place; after `limit` steps without success, RuntimeError.

    The further a wrong output starts in the flat part of σ, the longer it takes:

    >>> def steps_from(b):  # one neuron, z = 0·x + b, target 0
    ...     net = Network([1, 1], seed=0)
    ...     net.weights[0][:], net.biases[0][:] = 0.0, b
    ...     return steps_to_learn(net, [[1.0]], [[0.0]], j=1, eta=1.0)
    >>> [steps_from(b) for b in (1.0, 3.0, 6.0)]
    [4, 17, 214]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    target = float(y[j - 1, 0])
    if target not in (0.0, 1.0):  # kept here: what this measurement needs of y
        raise ValueError(f"y_{j} must be 0 or 1, got {target}")
    for step in range(limit + 1):
        if (float(net.feedforward(x)[j - 1, 0]) > 0.5) == (target == 1.0):
            return step
        if step < limit:
            net.update_mini_batch([(x, y)], eta)
    # kept here: an outcome of training, not a wrong argument
    raise RuntimeError(f"output {j} is still wrong after {limit} steps")


def unit_variance(net: Network) -> Network:
    """`net` with every W^l multiplied by √n_{l−1}, in place; returns `net`.

    The package draws W^l from N(0, 1/n_{l−1}); scaled like this, the very same
    draws come from N(0, 1), the essay's choice. Biases, the generator and with
    it the shuffling of :meth:`Network.SGD` stay as they were, so two networks
    made with the same seed differ in the scale of their weights alone.

    >>> net = Network([100, 50, 10], seed=0)
    >>> before = net.weights[0].copy()
    >>> bool(np.array_equal(unit_variance(net).weights[0], before * 10.0))
    True
    """
    net.weights = [W * np.sqrt(W.shape[1]) for W in net.weights]
    return net


@dataclass(frozen=True)
class EpochGradients:
    """After an epoch: test answers right, and ‖∂C/∂W^l‖ on the training set."""

    epoch: int
    correct: int
    norms: list[float]


def training_record(
    net: Network,
    training_data: tuple[NDArray[Any], NDArray[Any]],
    test_data: Data,
    epochs: int,
    mini_batch_size: int,
    eta: float,
) -> list[EpochGradients]:
    """Train `net` by SGD, recording the weight gradients' sizes before and after every epoch.

    Entry 0 is the untrained network; entry e is after epoch e. The gradient is
    that of the mean cost over the whole training set, `training_data` given as
    a pair of arrays (X, Y).
    """
    X, Y = training_data
    record = [
        EpochGradients(0, net.evaluate(test_data), weight_gradient_norms(net, X, Y))
    ]
    for epoch in range(1, epochs + 1):
        net.SGD((X, Y), 1, mini_batch_size, eta, verbose=False)
        record.append(
            EpochGradients(
                epoch, net.evaluate(test_data), weight_gradient_norms(net, X, Y)
            )
        )
    return record


# The page's measurements. The saturation sweep: biases b^2_2 of the worked
# example's second output, and the starts the page compares.
BIASES = np.linspace(-3.5, 8.5, 241)
MARKED = (-0.1, 2.0, 4.0, 6.0)  # -0.1 is the example's own b^2_2
# The training runs on the digits: the lab's network, the deep one, and SGD's settings.
SHALLOW, DEEP = [64, 30, 10], [64, 30, 30, 30, 10]
EPOCHS, BATCH, RATE = 10, 10, 3.0


# --8<-- [start:saturation]
def output_sweep(
    biases: Sequence[float] | NDArray[np.float64] = BIASES,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """z^2_2, a^2_2 − y_2 and δ^2_2 = ∂C/∂b^2_2 (by backprop), b^2_2 set to each bias.

    By eq. (33), δ^2_2 = (a^2_2 − y_2) σ'(z^2_2):

    >>> from backprop.activations import sigmoid_prime
    >>> z, wrong, delta = output_sweep([0.0, 5.0])
    >>> bool(np.allclose(delta, wrong * sigmoid_prime(z)))
    True
    """
    z, wrong, delta = [], [], []
    for b in biases:
        net, x, y = example()
        net.biases[1][1, 0] = b
        nabla_b, _ = net.backprop(x, y)
        a = net.feedforward(x)
        z.append(float(np.log(a[1, 0] / (1 - a[1, 0]))))  # σ⁻¹(a) = z
        wrong.append(float(a[1, 0] - y[1, 0]))
        delta.append(float(nabla_b[1][1, 0]))
    return np.array(z), np.array(wrong), np.array(delta)


def output_steps(b: float) -> int:
    """SGD steps (η = ETA) on the worked example, with b^2_2 = b, until a^2_2 < ½.

    >>> output_steps(-0.1) < output_steps(2.0)  # further out, slower
    True
    """
    net, x, y = example()
    net.biases[1][1, 0] = b
    return steps_to_learn(net, x, y, j=2, eta=ETA)
    # --8<-- [end:saturation]


# --8<-- [start:pixels]
def pixel_change(
    X: NDArray[Any], Y: NDArray[Any]
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Each pixel's mean over the images X, how far W^1's column k moves in
    training on (X, Y), and which pixels are 0 in every image.

    The network :data:`SHALLOW` (seed 0) trains for :data:`EPOCHS` epochs; the
    change of column k, ‖ΔW^1_{:,k}‖, is how far the weights leaving pixel k move.
    """
    net = Network(SHALLOW, seed=0)
    before = net.weights[0].copy()
    net.SGD((X, Y), EPOCHS, BATCH, RATE, verbose=False)
    moved = np.linalg.norm(net.weights[0] - before, axis=0)  # column k: pixel k
    return X.mean(axis=1), moved, X.max(axis=1) == 0
    # --8<-- [end:pixels]


# --8<-- [start:runs]
def initialisation_runs(
    training_data: tuple[NDArray[Any], NDArray[Any]], test_data: Data
) -> dict[str, list[EpochGradients]]:
    """The training record of :data:`DEEP` with N(0, 1/n) and with N(0, 1) weights."""
    found = {}
    for name in ("N(0, 1/n)", "N(0, 1)"):
        net = Network(DEEP, seed=0)
        if name == "N(0, 1)":
            unit_variance(net)
        found[name] = training_record(
            net, training_data, test_data, EPOCHS, BATCH, RATE
        )
    return found
    # --8<-- [end:runs]
