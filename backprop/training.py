"""The fast path: the network's SGD steps engineered for speed, asked for by name.

:class:`backprop.network.Network` is written as the chapters derive it, one
plain expression per equation, and :meth:`~backprop.network.Network.SGD`
always calls its ``update_mini_batch``. Whoever wants speed says so:
``Trainer(net).SGD(...)`` runs the same epochs and returns the same reports,
taking the same steps as ``Network.update_mini_batch``, equal to rounding, with
four tricks, each measured on the performance page:

* it writes into a :class:`Workspace` kept from step to step, since fresh
  memory costs a page fault per 4 KiB the first time it is written;
* its forward pass keeps the activations only, each computed in the memory of
  its weighted input, since σ'(z) = a(1 − a) makes z unnecessary;
* it folds η/m into δ^L, so that backpropagation returns the steps themselves;
* it gathers each mini-batch as whole rows of a row-major copy of the data.

A step is committed only when every new parameter is finite, by the same
:func:`backprop.network.commit` as the plain step, and a network's arrays are
updated in place.

>>> from backprop.network import Network
>>> net = Network([4, 3, 2], seed=0)
>>> X, Y = np.full((4, 5), 0.5), np.eye(2)[:, [0, 1, 0, 1, 1]]
>>> before = net.weights[0].copy()
>>> Trainer(net).step(X, Y, eta=1.0)
>>> bool(np.any(net.weights[0] != before))
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop import _checks, threads
from backprop._types import Array, Data, Parameters
from backprop.activations import sigmoid_into
from backprop.descent import mini_batches
from backprop.network import EpochReport, Network, commit

__all__ = ["Trainer", "Workspace"]

#: The indices of the examples of one mini-batch.
Indices = NDArray[np.intp]


class Workspace:
    """The arrays that one training step fills, for mini-batches of m examples.

    The gradients are views into one flat array: one block of memory for the
    whole step.

    >>> from backprop.network import Network
    >>> net = Network([4, 3, 2], seed=0)
    >>> work = Workspace(net, m=5)
    >>> [a.shape for a in work.activations], [g.shape for g in work.nabla_w]
    ([(3, 5), (2, 5)], [(3, 4), (2, 3)])
    >>> work.flat.size == sum(p.size for p in net.weights + net.biases)
    True
    """

    def __init__(self, net: Parameters, m: int) -> None:
        self.m, self.dtype = m, net.dtype
        self.activations = [np.empty((n, m), net.dtype) for n in net.sizes[1:]]
        self.deltas = [np.empty((n, m), net.dtype) for n in net.sizes[1:]]
        shapes = [b.shape for b in net.biases] + [W.shape for W in net.weights]
        ends = np.cumsum([0] + [math.prod(shape) for shape in shapes])
        self.flat = np.empty(ends[-1], net.dtype)
        views = [
            self.flat[start:end].reshape(shape)
            for start, end, shape in zip(ends[:-1], ends[1:], shapes, strict=True)
        ]
        L = len(net.biases)
        self.nabla_b, self.nabla_w = views[:L], views[L:]

    def fits(self, net: Parameters, m: int) -> bool:
        """Whether this workspace serves mini-batches of m examples of `net`."""
        return self.m == m and self.dtype == net.dtype


class Trainer:
    """Trains `net` by SGD, fast, updating its weight and bias arrays in place.

    The trainer keeps one :class:`Workspace`, made again only when the
    mini-batch width or the dtype changes.

    With numba installed (the extra ``backprop-checked[compiled]``), each step is
    one call of the compiled step of :mod:`backprop.compiled`; ``compiled=False``
    takes the NumPy step always, ``compiled=True`` requires numba. Each step uses
    `threads` BLAS threads, or by default the count that
    :func:`backprop.threads.threads_for` chooses for it.
    """

    def __init__(
        self,
        net: Network,
        *,
        compiled: bool | None = None,
        threads: int | None = None,
    ) -> None:
        self.net, self.threads = net, threads
        self._work: Workspace | None = None
        have = find_spec("numba") is not None
        if compiled and not have:
            raise ImportError(
                "the compiled step needs numba: pip install 'backprop-checked[compiled]'"
            )
        #: Whether steps are compiled (numba is imported at the first step).
        self.compiled = have if compiled is None else compiled
        self._kernels: ModuleType | None = None
        self._kernel_work: Any = None

    def workspace(self, m: int) -> Workspace:
        """The workspace for mini-batches of m examples, made once and then reused."""
        if self._work is None or not self._work.fits(self.net, m):
            self._work = Workspace(self.net, m)
        return self._work

    # --8<-- [start:forward]
    def _activations(self, X: Array, into: list[Array]) -> list[Array]:
        """a^0, …, a^L, with a^l in into[l - 1]: z^l first, overwritten by a^l."""
        activations = [X]
        for W, b, a in zip(self.net.weights, self.net.biases, into, strict=True):
            np.matmul(W, activations[-1], out=a)  # z^l = W^l a^(l-1) + b^l, eq. (7)
            a += b
            activations.append(sigmoid_into(a, a))  # a^l = σ(z^l), eq. (8), over z^l
        return activations
        # --8<-- [end:forward]

    # --8<-- [start:backprop]
    def _backprop(
        self, X: Array, Y: Array, scale: float, work: Workspace
    ) -> tuple[list[Array], list[Array]]:
        """`scale` times the summed gradient, written into `work`."""
        weights = self.net.weights
        activations = self._activations(X, work.activations)
        L = len(weights)
        delta = np.subtract(activations[L], Y, out=work.deltas[L - 1])  # eq. (33),
        delta *= activations[L]  # with σ'(z^L) = a^L (1 − a^L)
        delta *= 1.0 - activations[L]
        delta *= scale  # eqs. (34) to (36) are linear in δ^L: so is every gradient
        for l in range(L, 0, -1):  # δ^L is known; each pass finds δ^(l) for l < L
            if l < L:  # eq. (34)
                delta = np.matmul(weights[l].T, delta, out=work.deltas[l - 1])
                delta *= activations[l]
                delta *= 1.0 - activations[l]
            delta.sum(axis=1, keepdims=True, out=work.nabla_b[l - 1])  # eq. (35)
            np.matmul(delta, activations[l - 1].T, out=work.nabla_w[l - 1])  # eq. (36)
        return work.nabla_b, work.nabla_w
        # --8<-- [end:backprop]

    def _step(self, X: Array, Y: Array, eta: float) -> None:
        """One step on checked X and Y, compiled where it can be, on the chosen
        number of BLAS threads."""
        sizes, m = self.net.sizes, X.shape[1]
        if threads.one_thread_anyway(sizes, m):
            self._any_step(X, Y, eta)
        else:
            with threads.using(self.threads or threads.threads_for(sizes, m)):
                self._any_step(X, Y, eta)

    def _any_step(self, X: Array, Y: Array, eta: float) -> None:
        """The compiled step if it takes X and Y as they are, else the NumPy step."""
        if not (self.compiled and self._compiled_step(X, Y, eta)):
            self._numpy_step(X, Y, eta)

    def _compiled_step(self, X: Array, Y: Array, eta: float) -> bool:
        """The step of backprop.compiled, if it takes these arrays as they are."""
        if self._kernels is None:
            self._kernels = import_module("backprop.compiled")  # numba loads here
        kernels, m = self._kernels, X.shape[1]
        if not kernels.usable(self.net, X, Y):
            return False
        if self._kernel_work is None or not self._kernel_work.fits(self.net, m):
            self._kernel_work = kernels.Work(self.net, m)
        kernels.step(self.net, X, Y, eta, self._kernel_work)  # may raise, as commit
        return True

    # --8<-- [start:step]
    def _numpy_step(self, X: Array, Y: Array, eta: float) -> None:
        # With δ^L scaled by η/m, backprop returns the steps (η/m)·Σ_x ∇C_x
        # themselves. Each becomes p − step where it lies, in the workspace, and
        # only when all of them are finite are they copied into the parameters.
        work = self.workspace(X.shape[1])
        with np.errstate(over="ignore", invalid="ignore"):  # commit checks the step
            steps_b, steps_w = self._backprop(X, Y, eta / X.shape[1], work)
            params, news = self.net.weights + self.net.biases, steps_w + steps_b
            for p, new in zip(params, news, strict=True):
                np.subtract(p, new, out=new)
        commit(params, news, eta)
        # --8<-- [end:step]

    def step(self, X: Array, Y: Array, eta: float) -> None:
        """One SGD step, eq. (19), on the mini-batch of columns X (n_0, m) and Y (n_L, m).

        The same step as ``Network.update_mini_batch((X, Y), eta)``, to rounding.
        If the step is not finite, FloatingPointError is raised and nothing changes.
        """
        net = self.net
        eta = _checks.positive_float("eta", eta)
        _checks.parameters(
            net.sizes, net.weights, net.biases, finite=False, writeable=True
        )
        names = ("X", "Y")
        inputs, targets = _checks.batch(names, X, Y, net.sizes, net.dtype, finite=False)
        try:
            self._step(inputs, targets, eta)
        except FloatingPointError:
            # A NaN or ∞ in the parameters, in X or in Y always makes the step
            # non-finite (X enters dC/dW^1 = δ^1 X^T, Y enters δ^L, as they are).
            # Looking for them only when a step fails keeps passes over the
            # weights and the mini-batch off every step, and still names the
            # culprit entry.
            _checks.batch(names, X, Y, net.sizes, net.dtype)
            _checks.parameters(net.sizes, net.weights, net.biases)
            raise

    # --8<-- [start:stepper]
    def stepper(self, X: Array, Y: Array, eta: float) -> Callable[[Indices], None]:
        """The step that SGD takes on the examples `batch`, indices of columns of X and Y.

        X and Y must be checked already, as ``Network.SGD`` does once per run.
        """
        # One example per row, so that a mini-batch is a gather of whole rows
        # (free of copies when X is Fortran-ordered); its transpose is the
        # (n, m) batch of columns that the equations use.
        rows_x, rows_y = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)

        def step(batch: Indices) -> None:
            self._step(rows_x[batch].T, rows_y[batch].T, eta)

        return step
        # --8<-- [end:stepper]

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
        """:meth:`Network.SGD <backprop.network.Network.SGD>`, with the trainer's steps.

        The same arguments, the same shuffling from the network's generator,
        the same steps to rounding, and the same :class:`EpochReport` per epoch:

        >>> X, Y = np.full((4, 6), 0.5), np.eye(2)[:, [0, 1, 0, 1, 1, 0]]
        >>> fast, plain = Network([4, 3, 2], seed=0), Network([4, 3, 2], seed=0)
        >>> by_trainer = Trainer(fast).SGD((X, Y), 3, 4, 2.0, verbose=False)
        >>> by_network = plain.SGD((X, Y), 3, 4, 2.0, verbose=False)
        >>> costs = [[r.cost for r in run] for run in (by_trainer, by_network)]
        >>> bool(np.allclose(*costs, rtol=1e-12, atol=0)), costs[0][0] != costs[0][2]
        (True, True)
        """
        net = self.net
        X, Y, tests = _checks.training(net, training_data, test_data)
        epochs = _checks.non_negative_int("epochs", epochs)
        m = _checks.positive_int("mini_batch_size", mini_batch_size)
        step = self.stepper(X, Y, _checks.positive_float("eta", eta))
        history = []
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            for number, batch in enumerate(mini_batches(X.shape[1], m, net.rng), 1):
                try:
                    step(batch)
                except FloatingPointError as error:
                    raise FloatingPointError(
                        f"epoch {epoch}, step {number}: {error}"
                    ) from None
            seconds = time.perf_counter() - start
            history.append(EpochReport.measure(net, epoch, seconds, (X, Y), tests))
            if verbose:
                print(history[-1])
        return history
        # --8<-- [end:sgd]
