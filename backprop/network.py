"""A fully connected network of sigmoid neurons, as the chapters derive it.

Layer 0 is the input and layer L the output. Layer l ≥ 1 has a weight matrix
W^l of shape (n_l, n_{l-1}) and a bias column b^l of shape (n_l, 1); the Python
lists ``weights`` and ``biases`` hold them at index ``l - 1``. A layer computes
its weighted input z^l = W^l a^{l-1} + b^l (eq. 7) and its activation
a^l = σ(z^l) (eq. 8).

Every method here is the plain expression of its equations. What makes
training fast (a workspace kept from step to step, η/m folded into δ^L, rows
gathered for each mini-batch) lives apart, in :mod:`backprop.training`, and is
asked for by name: ``Trainer(net).SGD(...)`` takes the same steps as
:meth:`Network.SGD`, to rounding, and returns the same reports.

>>> net = Network([3, 4, 2], seed=1)
>>> net.num_layers, [w.shape for w in net.weights], [b.shape for b in net.biases]
(3, [(4, 3), (2, 4)], [(4, 1), (2, 1)])
>>> net.feedforward(np.ones((3, 1))).shape
(2, 1)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from backprop import _checks
from backprop._types import Array, Data
from backprop.activations import sigmoid, sigmoid_prime
from backprop.costs import quadratic_cost
from backprop.descent import mini_batches

__all__ = [
    "Data",
    "EpochReport",
    "Network",
    "bias_gradient",
    "commit",
    "hidden_error",
    "multiply_adds",
    "neuron_activation",
    "output_error",
    "saturation",
    "weight_gradient",
    "weighted_input",
]


# --8<-- [start:neuron]
def neuron_activation(w: Sequence[float], a_prev: Sequence[float], b: float) -> float:
    """Eq. (6): one neuron's activation σ(Σ_k w_k a_k + b), summed term by term.

    `w` holds the neuron's incoming weights w^l_{jk} for k = 1, …, n_{l-1},
    `a_prev` the activations a^{l-1}_k of the layer before, `b` its bias b^l_j.

    >>> print(f"{neuron_activation([0.5, -1.0], [1.0, 2.0], 0.25):.6f}")  # σ(-1.25)
    0.222700
    """
    _checks.same_length("weights", w, "input activations", a_prev)
    z = b
    for w_k, a_k in zip(w, a_prev, strict=True):
        z += w_k * a_k
    return float(sigmoid(z))
    # --8<-- [end:neuron]


# --8<-- [start:weighted-input]
def weighted_input(W: Array, a_prev: Array, b: Array) -> Array:
    """Eq. (7): the weighted inputs z^l = W^l a^{l-1} + b^l of a whole layer.

    `W` is (n_l, n_{l-1}); `a_prev` is (n_{l-1}, m), one column per example; `b`
    is the (n_l, 1) column, added to every column of W a.

    >>> W = np.array([[1.0, 2.0], [0.0, -1.0]])
    >>> print(weighted_input(W, np.array([[3.0], [4.0]]), np.array([[0.5], [1.0]])))
    [[11.5]
     [-3. ]]
    """
    _checks.layer(W, a_prev, b)
    return W @ a_prev + b
    # --8<-- [end:weighted-input]


#: σ'(5) ≈ 0.0066: where |z| > 5 the sigmoid is flat, and eq. (33) passes on
#: almost no error (the implementation page counts such weighted inputs).
FLAT = float(sigmoid_prime(5.0))


def saturation(a_L: Array) -> float:
    """The share of output neurons saturated on every example: σ'(z) < σ'(5) throughout.

    `a_L` is the output (n_L, m) for m examples; with σ'(z) = a(1 − a), eq. (9),
    a neuron is flat on an example when a(1 − a) < :data:`FLAT`. One that is flat
    on all of them answers the same whatever the input, and learns almost
    nothing, since eq. (33) multiplies its error by σ'(z).

    >>> a_L = np.array([[0.999, 0.9999], [0.2, 0.9999], [1e-5, 1e-4]])
    >>> saturation(a_L)        # rows 1 and 3 are flat on both examples, row 2 is not
    0.6666666666666666
    """
    flat = a_L * (1.0 - a_L) < FLAT
    return float(np.mean(np.all(flat, axis=1)))


@dataclass(frozen=True)
class EpochReport:
    """What one epoch of SGD did, printed as one line.

    `saturated` is the :func:`saturation` of the outputs on the training set;
    when it is above one half, the line says that most output neurons are
    saturated, as a learning rate far too large leaves them.
    """

    epoch: int
    cost: float
    correct: int | None
    total: int | None
    seconds: float
    saturated: float = 0.0

    @property
    def accuracy(self) -> float | None:
        """The fraction of test examples classified correctly, if there was a test set."""
        if self.correct is None or not self.total:
            return None
        return self.correct / self.total

    def __str__(self) -> str:
        line = f"epoch {self.epoch:>3}: cost {self.cost:.5f}"
        if self.correct is not None and self.accuracy is not None:
            line += f", test {self.correct} / {self.total} ({100 * self.accuracy:.1f}%)"
        line += f", {self.seconds:.3f} s"
        if self.saturated > 0.5:
            line += (
                f"; most output neurons are saturated ({self.saturated:.0%} flat on "
                "every training example), try a smaller eta"
            )
        return line

    @classmethod
    def measure(
        cls,
        net: Network,
        epoch: int,
        seconds: float,
        training: tuple[Array, Array],
        tests: tuple[Array, NDArray[np.intp]] | None,
    ) -> EpochReport:
        """The report on `net` after an epoch: its training cost C (eq. 12) on the
        columns (X, Y) of `training`, the saturation of its outputs there and,
        with `tests` (inputs and their labels), how many it classifies correctly."""
        a_L = net.feedforward(training[0])
        cost = quadratic_cost(a_L, training[1])
        if not np.isfinite(cost):  # kept here: a result of training, not an argument
            raise FloatingPointError(f"epoch {epoch}: the training cost is {cost}")
        saturated = saturation(a_L)
        if tests is None:
            return cls(epoch, cost, None, None, seconds, saturated)
        return cls(epoch, cost, net.evaluate(tests), tests[1].size, seconds, saturated)


# --8<-- [start:commit]
def commit(parameters: list[Array], new: list[Array], eta: float) -> None:
    """Copy each array of `new` into its parameter, in place, only if all are finite.

    A step that overflows, or a gradient with NaN, leaves every parameter as it
    was and raises FloatingPointError.
    """
    if not all(_checks.all_finite(p) for p in new):  # a result, not an argument
        raise FloatingPointError(
            f"this mini-batch's step is not finite (eta = {eta}); "
            "the parameters are left as they were"
        )
    for p, p_new in zip(parameters, new, strict=True):
        np.copyto(p, p_new)
    # --8<-- [end:commit]


class Network:
    """A network of sigmoid layers, ``Network([n_0, n_1, …, n_L])``.

    Parameters
    ----------
    sizes
        The number of neurons in each layer, input layer first.
    seed
        Seed or ``numpy.random.Generator`` for the initial weights and biases and
        for the shuffling in :meth:`SGD`; the same seed gives the same network and
        the same training run.
    dtype
        Floating-point type of the parameters and of every computation.

    Attributes
    ----------
    sizes, num_layers
        The layer widths n_0, …, n_L, and their number L + 1.
    weights
        ``weights[l - 1]`` is W^l, shape (n_l, n_{l-1}), for l = 1, …, L.
    biases
        ``biases[l - 1]`` is b^l, shape (n_l, 1).

    The weights start as independent draws from N(0, 1/n_{l-1}) and the biases
    from N(0, 1). Dividing by the number of inputs keeps each z^l_j of order one,
    where the sigmoid is not flat, whatever the width of the layer before.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        seed: int | np.random.Generator | None = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        self.sizes = _checks.sizes(sizes)
        self.num_layers = len(self.sizes)
        self.dtype = _checks.floating_type(dtype)
        self.rng = rng = np.random.default_rng(seed)
        # --8<-- [start:init]
        # pairwise(sizes) gives (n_0, n_1), (n_1, n_2), ...: for each layer l of
        # weights, the width of the layer it reads from and of its own.
        self.weights = [
            (rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(self.dtype)
            for n_in, n_out in pairwise(self.sizes)
        ]
        self.biases = [
            rng.standard_normal((n_out, 1)).astype(self.dtype)
            for n_out in self.sizes[1:]
        ]
        # --8<-- [end:init]

    def __repr__(self) -> str:
        return f"Network({self.sizes}, dtype={self.dtype.name})"

    # --8<-- [start:feedforward]
    def feedforward(self, a: ArrayLike) -> Array:
        """The output a^L for the input `a`, layer by layer (eqs. 7 and 8).

        `a` is one input column (n_0, 1) or a batch (n_0, m), one example per
        column; the result is (n_L, 1) or (n_L, m) correspondingly.
        """
        activation = self._inputs("a", a)
        for W, b in zip(self.weights, self.biases, strict=True):
            activation = sigmoid(weighted_input(W, activation, b))
        return activation
        # --8<-- [end:feedforward]

    def forward(self, x: ArrayLike) -> tuple[list[Array], list[Array]]:
        """The forward pass, keeping what the backward pass needs: ``(zs, activations)``.

        ``zs[l - 1]`` is z^l for l = 1, …, L (eq. 7), and ``activations[l]`` is
        a^l for l = 0, …, L (eq. 8), with a^0 = x. Each is (n_l, m) for an input
        of m columns.
        """
        return self._forward(self._inputs("x", x))

    # --8<-- [start:forward]
    def _forward(self, a: Array) -> tuple[list[Array], list[Array]]:
        zs, activations = [], [a]
        for W, b in zip(self.weights, self.biases, strict=True):
            zs.append(weighted_input(W, activations[-1], b))  # z^l, eq. (7)
            activations.append(sigmoid(zs[-1]))  # a^l, eq. (8)
        return zs, activations
        # --8<-- [end:forward]

    # --8<-- [start:backprop]
    def backprop(self, x: ArrayLike, y: ArrayLike) -> tuple[list[Array], list[Array]]:
        """The gradient of the cost by backpropagation: ``(nabla_b, nabla_w)``.

        For one example, x (n_0, 1) and y (n_L, 1), it is the gradient of
        C_x = ½‖y − a^L(x)‖²: ``nabla_b[l - 1]`` is ∂C_x/∂b^l and ``nabla_w[l - 1]``
        is ∂C_x/∂W^l, shaped like ``biases`` and ``weights``. For m examples side
        by side, x (n_0, m) and y (n_L, m), it is the sum of the m per-example
        gradients, so that an SGD step is w − (η/m)·nabla_w (eq. 19).
        """
        X, Y = self._batch(x, y)
        zs, activations = self._forward(X)
        L = self.num_layers - 1
        delta = output_error(activations[L], Y, zs[L - 1])  # δ^L, eq. (33)
        nabla_b = [bias_gradient(delta)]  # eq. (35)
        nabla_w = [weight_gradient(delta, activations[L - 1])]  # eq. (36)
        for l in range(L - 1, 0, -1):  # l = L-1, ..., 1: the hidden layers, downwards
            delta = hidden_error(self.weights[l], delta, zs[l - 1])  # δ^l, eq. (34)
            nabla_b.insert(0, bias_gradient(delta))
            nabla_w.insert(0, weight_gradient(delta, activations[l - 1]))
        return nabla_b, nabla_w
        # --8<-- [end:backprop]

    # --8<-- [start:update]
    def update_mini_batch(self, mini_batch: Data, eta: float) -> None:
        """One SGD step (eq. 19) on a mini-batch: w → w − (η/m)·Σ_x ∂C_x/∂w, same for b.

        `mini_batch` is a list of ``(x, y)`` column pairs or a pair of arrays
        ``(X, Y)`` with one example per column. The whole batch goes through one
        matrix-based backprop, which checks it, and the parameters change once,
        after it; if any example is invalid or the step is not finite, nothing
        changes.
        """
        eta = _checks.positive_float("eta", eta)
        _checks.parameters(
            self.sizes, self.weights, self.biases, finite=False, writeable=True
        )
        X, Y = _checks.split("mini_batch", mini_batch)
        nabla_b, nabla_w = self.backprop(X, Y)
        m = np.shape(X)[1]
        weights = [
            W - (eta / m) * nW for W, nW in zip(self.weights, nabla_w, strict=True)
        ]
        biases = [
            b - (eta / m) * nb for b, nb in zip(self.biases, nabla_b, strict=True)
        ]
        commit(self.weights + self.biases, weights + biases, eta)
        # --8<-- [end:update]

    # --8<-- [start:sgd]
    def SGD(
        self,
        training_data: Data,
        epochs: int,
        mini_batch_size: int,
        eta: float,
        test_data: Data | None = None,
        *,
        verbose: bool = True,
    ) -> list[EpochReport]:
        """Train by stochastic gradient descent; return one report per epoch.

        Each epoch shuffles the training examples with the network's generator
        (so the same seed gives the same run), cuts them into mini-batches of
        `mini_batch_size` (the last may be smaller) and calls
        :meth:`update_mini_batch` on each. After each epoch it measures the
        training cost C (eq. 12) and, if `test_data` is given, the test accuracy,
        and prints a one-line report when `verbose`.

        ``backprop.training.Trainer(net).SGD`` takes the same steps, equal to
        rounding, at the speed the performance page measures.
        """
        X, Y, tests = _checks.training(self, training_data, test_data)
        epochs = _checks.non_negative_int("epochs", epochs)
        m = _checks.positive_int("mini_batch_size", mini_batch_size)
        eta = _checks.positive_float("eta", eta)
        history = []
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            for step, batch in enumerate(mini_batches(X.shape[1], m, self.rng), 1):
                try:
                    self.update_mini_batch((X[:, batch], Y[:, batch]), eta)
                except FloatingPointError as error:
                    raise FloatingPointError(
                        f"epoch {epoch}, step {step}: {error}"
                    ) from None
            seconds = time.perf_counter() - start
            history.append(EpochReport.measure(self, epoch, seconds, (X, Y), tests))
            if verbose:
                print(history[-1])
        return history
        # --8<-- [end:sgd]

    # --8<-- [start:evaluate]
    def evaluate(self, test_data: Data) -> int:
        """How many test examples the network classifies correctly.

        The network's answer is the index of its largest output. A test target
        is either an integer label or a one-hot column; ``(X, labels)`` arrays
        work too.
        """
        X, labels = _checks.labelled("test_data", test_data, self.sizes, self.dtype)
        return int(np.sum(np.argmax(self.feedforward(X), axis=0) == labels))
        # --8<-- [end:evaluate]

    # -- arguments, checked -----------------------------------------------------------

    def _inputs(self, name: str, x: ArrayLike) -> Array:
        _checks.parameters(self.sizes, self.weights, self.biases)
        return _checks.columns(name, x, rows=self.sizes[0]).astype(
            self.dtype, copy=False
        )

    def _batch(self, x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        _checks.parameters(self.sizes, self.weights, self.biases)
        return _checks.batch(("x", "y"), x, y, self.sizes, self.dtype)


# --8<-- [start:output-error]
def output_error(a_L: Array, y: Array, z_L: Array) -> Array:
    """Eq. (33): δ^L = (a^L − y) ⊙ σ'(z^L), one column per example.

    a^L − y is ∇_{a^L} C (eq. 13), and σ' is the sigmoid's derivative (eq. 9).
    """
    return (a_L - y) * sigmoid_prime(z_L)
    # --8<-- [end:output-error]


# --8<-- [start:hidden-error]
def hidden_error(W_next: Array, delta_next: Array, z: Array) -> Array:
    """Eq. (34): δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), for l = L − 1, …, 1."""
    return (W_next.T @ delta_next) * sigmoid_prime(z)
    # --8<-- [end:hidden-error]


# --8<-- [start:bias-gradient]
def bias_gradient(delta: Array) -> Array:
    """Eq. (35): ∂C/∂b^l = δ^l, summed over the examples (columns) of a batch."""
    summed: Array = np.sum(delta, axis=1, keepdims=True)
    return summed
    # --8<-- [end:bias-gradient]


# --8<-- [start:weight-gradient]
def weight_gradient(delta: Array, a_prev: Array) -> Array:
    """Eq. (36): ∂C/∂W^l = δ^l (a^{l−1})ᵀ, summed over the examples of a batch.

    With m columns, the matrix product δ^l (a^{l−1})ᵀ adds up the m outer
    products of matching columns: the sum of the per-example gradients.
    """
    return delta @ a_prev.T
    # --8<-- [end:weight-gradient]


# --8<-- [start:multiply-adds]
def multiply_adds(sizes: Sequence[int], m: int = 1) -> tuple[int, int]:
    """Multiply-adds of the matrix products in one forward and one backward pass.

    Layer l's forward product W^l a^{l-1} costs n_l·n_{l-1}·m. Backward, eq. (36)
    costs the same again for δ^l (a^{l-1})ᵀ, and eq. (34) once more for
    (W^{l+1})ᵀ δ^{l+1}, which layer 1 does not need (no δ^0 is ever used).

    >>> multiply_adds([784, 30, 10])
    (23820, 24120)
    """
    layers = [n_in * n_out * m for n_in, n_out in pairwise(_checks.sizes(sizes))]
    return sum(layers), 2 * sum(layers) - layers[0]
    # --8<-- [end:multiply-adds]
