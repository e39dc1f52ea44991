"""A fully connected network of sigmoid neurons: its parameters and its forward pass.

Layer 0 is the input and layer L the output. Layer l ≥ 1 has a weight matrix
W^l of shape (n_l, n_{l-1}) and a bias column b^l of shape (n_l, 1); the Python
lists ``weights`` and ``biases`` hold them at index ``l - 1``. A layer computes
its weighted input z^l = W^l a^{l-1} + b^l (eq. 7) and its activation
a^l = σ(z^l) (eq. 8).

>>> net = Network([3, 4, 2], seed=1)
>>> net.num_layers, [w.shape for w in net.weights], [b.shape for b in net.biases]
(3, [(4, 3), (2, 4)], [(4, 1), (2, 1)])
>>> net.feedforward(np.ones((3, 1))).shape
(2, 1)
"""

from __future__ import annotations

import copy
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from backprop import _checks
from backprop.activations import sigmoid
from backprop.costs import quadratic_cost

__all__ = [
    "Data",
    "EpochReport",
    "Network",
    "Workspace",
    "bias_gradient",
    "hidden_error",
    "multiply_adds",
    "neuron_activation",
    "output_error",
    "weight_gradient",
    "weighted_input",
]

Array = NDArray[np.floating]
#: Examples: a list of ``(x, y)`` column pairs, or ``(X, Y)`` with one example per column.
Data = Sequence[tuple[ArrayLike, ArrayLike]] | tuple[NDArray[Any], ArrayLike]


@dataclass(frozen=True)
class EpochReport:
    """What one epoch of :meth:`Network.SGD` did, printed as one line."""

    epoch: int
    cost: float
    correct: int | None
    total: int | None
    seconds: float

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
        return line + f", {self.seconds:.3f} s"


def _split(data: Any, name: str, labels: bool = False) -> tuple[ArrayLike, ArrayLike]:
    """Inputs and targets from a list of (x, y) pairs or from a pair of arrays (X, Y).

    With `labels`, each y of a pair may also be an integer label instead of a column.
    """
    arrays = (
        isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], np.ndarray)
    )
    if arrays and data[0].ndim == 2:
        return data[0], data[1]
    if isinstance(data, np.ndarray) or not isinstance(data, Sequence):
        raise TypeError(
            f"{name} must be a list of (x, y) column pairs or a pair of arrays (X, Y), "
            f"got {type(data).__name__}"
        )
    if len(data) == 0:
        raise ValueError(f"{name} is empty")
    xs, ys = [], []
    for i, pair in enumerate(data):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError(
                f"{name}[{i}] must be an (x, y) pair, got {type(pair).__name__}"
            )
        x, y = (np.asarray(part) for part in pair)
        if x.ndim != 2 or x.shape[1] != 1:
            raise ValueError(
                f"{name}[{i}] x must be a column of shape (n, 1), got {x.shape}"
            )
        label = labels and y.ndim == 0 and np.issubdtype(y.dtype, np.integer)
        if not label and (y.ndim != 2 or y.shape[1] != 1):
            expected = (
                "a column (n, 1) or an integer label" if labels else "a column (n, 1)"
            )
            raise ValueError(f"{name}[{i}] y must be {expected}, got shape {y.shape}")
        xs.append(x)
        ys.append(y)
    if len({y.ndim for y in ys}) > 1:
        raise ValueError(f"{name} mixes integer labels and target columns")
    try:
        return np.hstack(xs), (np.array(ys) if ys[0].ndim == 0 else np.hstack(ys))
    except ValueError:
        shapes = sorted({x.shape for x in xs} | {y.shape for y in ys})
        raise ValueError(
            f"{name} mixes examples of different shapes: {shapes}"
        ) from None


# --8<-- [start:neuron]
def neuron_activation(w: Sequence[float], a_prev: Sequence[float], b: float) -> float:
    """Eq. (6): one neuron's activation σ(Σ_k w_k a_k + b), summed term by term.

    `w` holds the neuron's incoming weights w^l_{jk} for k = 1, …, n_{l-1},
    `a_prev` the activations a^{l-1}_k of the layer before, `b` its bias b^l_j.

    >>> print(f"{neuron_activation([0.5, -1.0], [1.0, 2.0], 0.25):.6f}")  # σ(-1.25)
    0.222700
    """
    if len(w) != len(a_prev):
        raise ValueError(f"{len(w)} weights but {len(a_prev)} input activations")
    z = b
    for w_k, a_k in zip(w, a_prev, strict=True):
        z += w_k * a_k
    return float(sigmoid(z))
    # --8<-- [end:neuron]


# --8<-- [start:weighted-input]
def weighted_input(
    W: Array, a_prev: Array, b: Array, out: Array | None = None
) -> Array:
    """Eq. (7): the weighted inputs z^l = W^l a^{l-1} + b^l of a whole layer.

    `W` is (n_l, n_{l-1}); `a_prev` is (n_{l-1}, m), one column per example; `b`
    is the (n_l, 1) column, added to every column of W a. With `out`, an
    (n_l, m) array, the result is written there.

    >>> W = np.array([[1.0, 2.0], [0.0, -1.0]])
    >>> print(weighted_input(W, np.array([[3.0], [4.0]]), np.array([[0.5], [1.0]])))
    [[11.5]
     [-3. ]]
    """
    if W.ndim != 2 or a_prev.shape[0] != W.shape[1] or b.shape != (W.shape[0], 1):
        raise ValueError(
            f"W {W.shape}, a_prev {a_prev.shape} and b {b.shape} do not fit: need "
            f"(n_l, n_prev), (n_prev, m) and (n_l, 1)"
        )
    z = np.matmul(W, a_prev, out=out)
    z += b  # in place: the (n_l, 1) column is added to every column
    return z
    # --8<-- [end:weighted-input]


def _sizes(sizes: Sequence[int]) -> list[int]:
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(f"sizes must be a list of layer widths, got {sizes!r}")
    layers = list(sizes)
    if len(layers) < 2:
        raise ValueError(
            f"sizes needs an input and an output layer, at least 2 widths, got {layers}"
        )
    for l, n in enumerate(layers):
        if isinstance(n, bool) or not isinstance(n, Integral):
            raise TypeError(f"sizes[{l}] must be a whole number, got {n!r}")
        if n < 1:
            raise ValueError(f"sizes[{l}] must be at least 1 neuron, got {n}")
    return [int(n) for n in layers]


class Workspace:
    """The arrays that one training step fills, for mini-batches of m examples.

    A step could ask NumPy for fresh arrays each time, but fresh memory is cheap
    to ask for and dear to use: once freed, large blocks go back to the operating
    system, and the next step pays a page fault for every 4 KiB it writes. On
    [784, 100, 10] with batches of 100 that more than doubles the time of the
    weight gradient's matrix product (``benchmarks/allocation.py`` measures it).
    So SGD keeps one workspace and writes into it, step after step.

    >>> net = Network([4, 3, 2], seed=0)
    >>> work = Workspace(net, m=5)
    >>> [a.shape for a in work.activations], [g.shape for g in work.nabla_w]
    ([(3, 5), (2, 5)], [(3, 4), (2, 3)])
    >>> work.flat.size == sum(p.size for p in net.weights + net.biases)
    True
    """

    def __init__(self, net: Network, m: int) -> None:
        self.m, self.dtype = m, net.dtype
        self.activations = [np.empty((n, m), net.dtype) for n in net.sizes[1:]]
        self.deltas = [np.empty((n, m), net.dtype) for n in net.sizes[1:]]
        # The gradients are views into one flat array, so that a single sum can
        # tell whether any entry of any of them is NaN or infinite.
        shapes = [b.shape for b in net.biases] + [W.shape for W in net.weights]
        ends = np.cumsum([0] + [math.prod(shape) for shape in shapes])
        self.flat = np.empty(ends[-1], net.dtype)
        views = [
            self.flat[start:end].reshape(shape)
            for start, end, shape in zip(ends[:-1], ends[1:], shapes, strict=True)
        ]
        L = len(net.biases)
        self.nabla_b, self.nabla_w = views[:L], views[L:]

    def fits(self, net: Network, m: int) -> bool:
        # The parameters' shapes follow from net.sizes, which never change.
        return self.m == m and self.dtype == net.dtype


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
        self.sizes = _sizes(sizes)
        self.num_layers = len(self.sizes)
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.floating):
            raise TypeError(f"dtype must be a floating-point type, got {self.dtype}")
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
        self._workspace: Workspace | None = None

    def __repr__(self) -> str:
        return f"Network({self.sizes}, dtype={self.dtype.name})"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the network to a ``.npz`` file: its sizes, dtype, weights and biases.

        >>> import tempfile, pathlib
        >>> net = Network([3, 4, 2], seed=0)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = pathlib.Path(folder) / "net.npz"
        ...     net.save(file)
        ...     again = Network.load(file)
        >>> all(np.array_equal(p, q) for p, q in zip(net.weights + net.biases,
        ...                                          again.weights + again.biases))
        True
        """
        arrays = {f"W{l}": W for l, W in enumerate(self.weights, start=1)}
        arrays |= {f"b{l}": b for l, b in enumerate(self.biases, start=1)}
        np.savez(
            path, sizes=np.array(self.sizes), dtype=np.array(self.dtype.name), **arrays
        )

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], seed: int | np.random.Generator | None = None
    ) -> Network:
        """A network read from a file written by :meth:`save`.

        Every array must have the shape that the stored sizes call for, and be
        finite; anything else is refused with the name of the array at fault.
        `seed` seeds the generator used by :meth:`SGD` from here on.
        """
        with np.load(path, allow_pickle=False) as stored:
            missing = {"sizes", "dtype"} - set(stored.files)
            if missing:
                raise ValueError(f"{path}: not a saved network, no {sorted(missing)}")
            net = cls(
                [int(n) for n in stored["sizes"]], seed=seed, dtype=str(stored["dtype"])
            )
            for name, params in (("W", net.weights), ("b", net.biases)):
                for l, expected in enumerate(params, start=1):
                    key = f"{name}{l}"
                    if key not in stored.files:
                        raise ValueError(
                            f"{path}: {key} is missing for sizes {net.sizes}"
                        )
                    array = _checks.float_array(f"{path}: {key}", stored[key])
                    if array.shape != expected.shape:
                        raise ValueError(
                            f"{path}: {key} has shape {array.shape}, but sizes {net.sizes} "
                            f"need {expected.shape}"
                        )
                    params[l - 1] = array.astype(net.dtype)
            extra = (
                set(stored.files)
                - {"sizes", "dtype"}
                - {f"{n}{l}" for n in "Wb" for l in range(1, net.num_layers)}
            )
            if extra:
                raise ValueError(
                    f"{path}: unexpected arrays {sorted(extra)} for sizes {net.sizes}"
                )
        return net

    def astype(self, dtype: DTypeLike) -> Network:
        """A copy of this network with its parameters, and its arithmetic, in `dtype`.

        >>> Network([2, 3, 1], seed=0).astype(np.float32).weights[0].dtype
        dtype('float32')
        """
        twin = copy.copy(self)
        twin.dtype = np.dtype(dtype)
        if not np.issubdtype(twin.dtype, np.floating):
            raise TypeError(f"dtype must be a floating-point type, got {twin.dtype}")
        twin.weights = [W.astype(twin.dtype) for W in self.weights]
        twin.biases = [b.astype(twin.dtype) for b in self.biases]
        twin.rng = copy.deepcopy(self.rng)
        twin._workspace = None
        return twin

    # --8<-- [start:feedforward]
    def feedforward(self, a: ArrayLike) -> Array:
        """The output a^L for the input `a`, layer by layer (eqs. 7 and 8).

        `a` is one input column (n_0, 1) or a batch (n_0, m), one example per
        column; the result is (n_L, 1) or (n_L, m) correspondingly.
        """
        self._check_parameters()
        a = _checks.columns("a", a, rows=self.sizes[0]).astype(self.dtype, copy=False)
        return self._output(a)

    def _output(self, a: Array) -> Array:
        for W, b in zip(self.weights, self.biases, strict=True):
            a = sigmoid(weighted_input(W, a, b))
        return a
        # --8<-- [end:feedforward]

    def forward(self, x: ArrayLike) -> tuple[list[Array], list[Array]]:
        """The forward pass, keeping what the backward pass needs.

        Returns ``(zs, activations)``: ``zs[l - 1]`` is z^l for l = 1, …, L, and
        ``activations[l]`` is a^l for l = 0, …, L, with a^0 = x. Each is
        (n_l, m) for an input of m columns.
        """
        return self._forward(self._inputs(x))

    def backprop(self, x: ArrayLike, y: ArrayLike) -> tuple[list[Array], list[Array]]:
        """The gradient of the cost by backpropagation: ``(nabla_b, nabla_w)``.

        For one example, x (n_0, 1) and y (n_L, 1), it is the gradient of
        C_x = ½‖y − a^L(x)‖²: ``nabla_b[l - 1]`` is ∂C_x/∂b^l and ``nabla_w[l - 1]``
        is ∂C_x/∂W^l, shaped like ``biases`` and ``weights``. For m examples side
        by side, x (n_0, m) and y (n_L, m), it is the sum of the m per-example
        gradients, so that an SGD step is w − (η/m)·nabla_w (eq. 19).
        """
        X = self._inputs(x)
        Y = _checks.columns("y", y, rows=self.sizes[-1]).astype(self.dtype, copy=False)
        if Y.shape[1] != X.shape[1]:
            raise ValueError(
                f"x has {X.shape[1]} columns (examples) but y has {Y.shape[1]}"
            )
        return self._backprop(X, Y, 1.0, Workspace(self, X.shape[1]))  # the caller's

    def update_mini_batch(self, mini_batch: Data, eta: float) -> None:
        """One SGD step (eq. 19) on a mini-batch: w → w − (η/m)·Σ_x ∂C_x/∂w, same for b.

        `mini_batch` is a list of ``(x, y)`` column pairs or a pair of arrays
        ``(X, Y)`` with one example per column. The whole batch goes through one
        matrix-based backprop, and the parameters change once, after it; if any
        example is invalid or the gradient is not finite, nothing changes.
        """
        eta = _checks.positive_float("eta", eta)
        X, Y = self._examples(mini_batch, "mini_batch", finite_parameters=False)
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # the step is checked
                self._step(X, Y, eta)
        except FloatingPointError:
            # Non-finite parameters always give a non-finite step. Checking them
            # here, only when a step fails, keeps a pass over every weight off
            # each call and still names the culprit entry.
            self._check_parameters()
            raise

    # -- the algorithm, on arrays already checked ----------------------------------------

    def _forward(self, a: Array) -> tuple[list[Array], list[Array]]:
        zs: list[Array] = []
        activations = [a]
        for W, b in zip(self.weights, self.biases, strict=True):
            zs.append(weighted_input(W, activations[-1], b))
            activations.append(sigmoid(zs[-1]))
        return zs, activations

    # --8<-- [start:forward]
    def _activations(self, a: Array, into: list[Array]) -> list[Array]:
        """a^0, …, a^L, with a^l in into[l - 1]: z^l first, overwritten by a^l."""
        activations = [a]
        for W, b, z in zip(self.weights, self.biases, into, strict=True):
            weighted_input(W, activations[-1], b, out=z)
            activations.append(sigmoid(z, out=z))  # backprop never needs z^l again
        return activations
        # --8<-- [end:forward]

    # --8<-- [start:backprop]
    def _backprop(
        self, X: Array, Y: Array, scale: float, work: Workspace
    ) -> tuple[list[Array], list[Array]]:
        activations = self._activations(X, work.activations)  # σ'(z) = a(1 − a)
        L = self.num_layers - 1
        delta = output_error(activations[L], Y, out=work.deltas[L - 1])
        delta *= scale  # eqs. (34)-(36) are linear in δ^L: so are all gradients
        for l in range(L, 0, -1):  # l = L, L-1, ..., 1
            if l < L:
                delta = hidden_error(
                    self.weights[l], delta, activations[l], out=work.deltas[l - 1]
                )
            bias_gradient(delta, out=work.nabla_b[l - 1])
            weight_gradient(delta, activations[l - 1], out=work.nabla_w[l - 1])
        return work.nabla_b, work.nabla_w
        # --8<-- [end:backprop]

    # --8<-- [start:update]
    def _step(self, X: Array, Y: Array, eta: float) -> None:
        # Scaling δ^L by η/m makes backprop return the steps (η/m)·Σ_x ∇C_x
        # themselves: one multiply on the small output layer instead of one over
        # every parameter. They land in the workspace, where each becomes p − step.
        # Only when all of those are finite are they copied into the parameters,
        # so a step that overflows changes nothing.
        work = self._work(X)
        steps_b, steps_w = self._backprop(X, Y, eta / X.shape[1], work)
        params, news = self.weights + self.biases, steps_w + steps_b
        for p, new in zip(params, news, strict=True):
            np.subtract(p, new, out=new)
        # NaN and ∞ survive a sum; only if it is not finite are the entries
        # looked at one by one (huge finite entries can overflow the sum).
        if not np.isfinite(work.flat.sum()) and not np.isfinite(work.flat).all():
            raise FloatingPointError(
                f"this mini-batch's step is not finite (eta = {eta}); "
                "the parameters are left as they were"
            )
        for p, new in zip(params, news, strict=True):
            np.copyto(p, new)
        # --8<-- [end:update]

    def _work(self, X: Array) -> Workspace:
        """The workspace for mini-batches as wide as X, made once and then reused."""
        if self._workspace is None or not self._workspace.fits(self, X.shape[1]):
            self._workspace = Workspace(self, X.shape[1])
        return self._workspace

    def _check_parameters(self, finite: bool = True, training: bool = False) -> None:
        """Refuse parameters replaced, from outside, by arrays of the wrong shape or with NaN or ∞.

        With ``finite=False`` only the shapes are checked; the caller must then
        make sure that non-finite parameters cannot pass unnoticed (see
        :meth:`update_mini_batch`). With ``training=True`` the arrays must also
        be writeable, since a step updates them in place.
        """
        L = self.num_layers - 1
        if len(self.weights) != L or len(self.biases) != L:
            raise ValueError(
                f"a network of sizes {self.sizes} needs {L} weight matrices and {L} bias "
                f"columns, got {len(self.weights)} and {len(self.biases)}"
            )
        for l in range(1, L + 1):
            n, n_prev = self.sizes[l], self.sizes[l - 1]
            for name, array, shape in (
                (f"weights[{l - 1}] (W^{l})", self.weights[l - 1], (n, n_prev)),
                (f"biases[{l - 1}] (b^{l})", self.biases[l - 1], (n, 1)),
            ):
                if not isinstance(array, np.ndarray) or array.shape != shape:
                    got = (
                        array.shape
                        if isinstance(array, np.ndarray)
                        else type(array).__name__
                    )
                    raise ValueError(f"{name} must have shape {shape}, got {got}")
                if training and not array.flags.writeable:
                    raise ValueError(
                        f"{name} is read-only; training updates it in place"
                    )
                if finite:
                    _checks.float_array(name, array)

    def _inputs(self, x: ArrayLike) -> Array:
        self._check_parameters()
        return _checks.columns("x", x, rows=self.sizes[0]).astype(
            self.dtype, copy=False
        )

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
        """
        X, Y = self._examples(training_data, "training_data")
        tests = None if test_data is None else self._labelled(test_data, "test_data")
        epochs = _checks.non_negative_int("epochs", epochs)
        m = _checks.positive_int("mini_batch_size", mini_batch_size)
        eta = _checks.positive_float("eta", eta)
        # One example per row, so that a mini-batch is a gather of whole rows
        # (free of copies when X is Fortran-ordered); its transpose is the
        # (n, m) batch of columns that the equations use.
        rows_x, rows_y = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
        history = []
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            order = self.rng.permutation(X.shape[1])
            for step, first in enumerate(range(0, len(order), m), start=1):
                batch = order[first : first + m]
                try:
                    self._step(rows_x[batch].T, rows_y[batch].T, eta)
                except FloatingPointError as error:
                    raise FloatingPointError(
                        f"epoch {epoch}, step {step}: {error}"
                    ) from None
            seconds = time.perf_counter() - start
            cost = quadratic_cost(self._output(X), Y)
            if not np.isfinite(cost):
                raise FloatingPointError(f"epoch {epoch}: the training cost is {cost}")
            correct = None if tests is None else self._count_correct(*tests)
            report = EpochReport(
                epoch, cost, correct, None if tests is None else tests[1].size, seconds
            )
            history.append(report)
            if verbose:
                print(report)
        return history
        # --8<-- [end:sgd]

    # --8<-- [start:evaluate]
    def evaluate(self, test_data: Data) -> int:
        """How many test examples the network classifies correctly.

        The network's answer is the index of its largest output. A test target
        is either an integer label or a one-hot column; ``(X, labels)`` arrays
        work too.
        """
        return self._count_correct(*self._labelled(test_data, "test_data"))

    def _count_correct(self, X: Array, labels: NDArray[np.intp]) -> int:
        return int(np.sum(np.argmax(self._output(X), axis=0) == labels))
        # --8<-- [end:evaluate]

    # -- data in either of the two accepted forms -------------------------------------

    def _examples(
        self, data: Data, name: str, finite_parameters: bool = True
    ) -> tuple[Array, Array]:
        """Inputs and targets as two arrays of columns, (n_0, m) and (n_L, m)."""
        self._check_parameters(finite=finite_parameters, training=True)
        X, Y = _split(data, name)
        X = _checks.columns(f"{name} inputs", X, rows=self.sizes[0])
        Y = _checks.columns(f"{name} targets", Y, rows=self.sizes[-1])
        if X.shape[1] != Y.shape[1]:
            raise ValueError(f"{name} has {X.shape[1]} inputs but {Y.shape[1]} targets")
        return X.astype(self.dtype, copy=False), Y.astype(self.dtype, copy=False)

    def _labelled(self, data: Data, name: str) -> tuple[Array, NDArray[np.intp]]:
        """Inputs as columns, and one integer label per input."""
        self._check_parameters()
        X, Y = _split(data, name, labels=True)
        X = _checks.columns(f"{name} inputs", X, rows=self.sizes[0])
        Y = np.asarray(Y)
        if Y.ndim == 2 and Y.shape[0] == self.sizes[-1]:
            labels = np.argmax(_checks.float_array(f"{name} targets", Y), axis=0)
        elif Y.ndim == 1 and np.issubdtype(Y.dtype, np.integer):
            labels = Y.astype(np.intp)
            if labels.size and (labels.min() < 0 or labels.max() >= self.sizes[-1]):
                raise ValueError(
                    f"{name} labels must lie in 0..{self.sizes[-1] - 1}, "
                    f"got {labels.min()}..{labels.max()}"
                )
        else:
            raise ValueError(
                f"{name} targets must be integer labels of shape (n,) or one-hot columns "
                f"({self.sizes[-1]}, n), got shape {Y.shape} and dtype {Y.dtype}"
            )
        if X.shape[1] != labels.size:
            raise ValueError(
                f"{name} has {X.shape[1]} inputs but {labels.size} targets"
            )
        return X.astype(self.dtype, copy=False), labels


# --8<-- [start:output-error]
def output_error(a_L: Array, y: Array, out: Array | None = None) -> Array:
    """Eq. (33): δ^L = (a^L − y) ⊙ σ'(z^L), one column per example.

    a^L − y is ∇_{a^L} C (eq. 13), and σ'(z^L) = a^L (1 − a^L) (eq. 9), so the
    output activations are all it needs. With `out`, δ^L is written there.
    """
    delta = np.subtract(a_L, y, out=out)
    delta *= a_L
    delta *= 1.0 - a_L
    return delta
    # --8<-- [end:output-error]


# --8<-- [start:hidden-error]
def hidden_error(
    W_next: Array, delta_next: Array, a: Array, out: Array | None = None
) -> Array:
    """Eq. (34): δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), for l = L − 1, …, 1.

    `a` is a^l, and σ'(z^l) = a^l (1 − a^l) (eq. 9). With `out`, δ^l is
    written there.
    """
    delta: Array = np.matmul(W_next.T, delta_next, out=out)
    delta *= a
    delta *= 1.0 - a
    return delta
    # --8<-- [end:hidden-error]


# --8<-- [start:bias-gradient]
def bias_gradient(delta: Array, out: Array | None = None) -> Array:
    """Eq. (35): ∂C/∂b^l = δ^l, summed over the examples (columns) of a batch.

    With `out`, an (n_l, 1) array, the sum is written there.
    """
    summed: Array = delta.sum(axis=1, keepdims=True, out=out)
    return summed
    # --8<-- [end:bias-gradient]


# --8<-- [start:weight-gradient]
def weight_gradient(delta: Array, a_prev: Array, out: Array | None = None) -> Array:
    """Eq. (36): ∂C/∂W^l = δ^l (a^{l−1})ᵀ, summed over the examples of a batch.

    With m columns, the matrix product δ^l (a^{l−1})ᵀ adds up the m outer
    products of matching columns: the sum of the per-example gradients. With
    `out`, an (n_l, n_{l−1}) array, the product is written there.
    """
    return np.matmul(delta, a_prev.T, out=out)
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
    layers = [n_in * n_out * m for n_in, n_out in pairwise(_sizes(sizes))]
    return sum(layers), 2 * sum(layers) - layers[0]
    # --8<-- [end:multiply-adds]
