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

from collections.abc import Sequence
from itertools import pairwise
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from backprop import _checks
from backprop.activations import sigmoid

__all__ = ["Network", "neuron_activation", "weighted_input"]

Array = NDArray[np.floating]


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
def weighted_input(W: Array, a_prev: Array, b: Array) -> Array:
    """Eq. (7): the weighted inputs z^l = W^l a^{l-1} + b^l of a whole layer.

    `W` is (n_l, n_{l-1}); `a_prev` is (n_{l-1}, m), one column per example; `b`
    is the (n_l, 1) column, added to every column of W a.

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
    return W @ a_prev + b
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


class Network:
    """A network of sigmoid layers, ``Network([n_0, n_1, …, n_L])``.

    Parameters
    ----------
    sizes
        The number of neurons in each layer, input layer first.
    seed
        Seed or ``numpy.random.Generator`` for the initial weights and biases;
        the same seed gives the same network.
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
        rng = np.random.default_rng(seed)
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
        a = _checks.columns("a", a, rows=self.sizes[0]).astype(self.dtype, copy=False)
        for W, b in zip(self.weights, self.biases, strict=True):
            a = sigmoid(weighted_input(W, a, b))
        return a
        # --8<-- [end:feedforward]
