"""Backpropagation by hand: one 2-2-2 network, every number of one training step.

The network, its input and its target are fixed, with parameters short enough
to multiply on paper. :func:`work` runs one SGD step on them the way a reader
with pencil and paper would: the forward pass, eqs. (7) and (8); the cost,
eq. (11); the errors, eqs. (33) and (34); the gradients, eqs. (35) and (36);
the step, eq. (19) with a mini-batch of one; and the cost again. It shares no
code with :meth:`backprop.network.Network.backprop`, which the page checks it
against, and neither does the central-difference check of
:mod:`backprop.gradcheck`.

The functions ending in ``_table`` and ``_sum`` write those numbers out, rounded
to four decimals, as the page prints them.

>>> ex = work(*example())
>>> ex.cost_after < ex.cost
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from backprop._types import Array
from backprop.activations import sigmoid, sigmoid_prime
from backprop.network import Network

__all__ = [
    "ETA",
    "Worked",
    "backward_table",
    "cost_sum",
    "example",
    "forward_table",
    "hidden_delta_sum",
    "output_delta_sum",
    "step_table",
    "weight_gradient_sum",
    "work",
]


# --8<-- [start:parameters]
SIZES = [2, 2, 2]
W1 = [[0.4, -0.6], [0.7, 0.2]]  # W^1, shape (n_1, n_0) = (2, 2)
b1 = [[0.1], [-0.3]]  # b^1
W2 = [[0.5, -0.8], [0.9, 0.3]]  # W^2, shape (n_2, n_1) = (2, 2)
b2 = [[0.2], [-0.1]]  # b^2
X = [[1.0], [0.5]]  # the input x = a^0
Y = [[1.0], [0.0]]  # its target y
ETA = 0.5  # the learning rate η
# --8<-- [end:parameters]


def example() -> tuple[Network, Array, Array]:
    """The page's network with its fixed parameters, its input x and its target y.

    >>> net, x, y = example()
    >>> net.sizes, net.weights[1].tolist(), x.ravel().tolist(), y.ravel().tolist()
    ([2, 2, 2], [[0.5, -0.8], [0.9, 0.3]], [1.0, 0.5], [1.0, 0.0])
    """
    net = Network(SIZES, seed=0)
    net.weights = [np.array(W1), np.array(W2)]
    net.biases = [np.array(b1), np.array(b2)]
    return net, np.array(X), np.array(Y)


@dataclass(frozen=True)
class Worked:
    """Every number of one SGD step on one example, layer l at list index l − 1.

    ``activations`` is the exception: it holds a^0 = x first, so that
    ``activations[l]`` is a^l, as everywhere in the package.
    """

    net: Network
    x: Array
    y: Array
    eta: float
    zs: Sequence[Array]
    activations: Sequence[Array]
    cost: float
    deltas: Sequence[Array]
    nabla_b: Sequence[Array]
    nabla_w: Sequence[Array]
    weights_after: Sequence[Array]
    biases_after: Sequence[Array]
    cost_after: float


def _cost(
    weights: Sequence[Array], biases: Sequence[Array], x: Array, y: Array
) -> float:
    a = x
    for W, b in zip(weights, biases, strict=True):
        a = sigmoid(W @ a + b)
    return float(0.5 * np.sum((y - a) ** 2))


# --8<-- [start:work]
def work(net: Network, x: Array, y: Array, eta: float = ETA) -> Worked:
    """One SGD step on the one example (x, y), one equation per line."""
    # The forward pass, eqs. (7) and (8).
    zs, activations = [], [x]
    for W, b in zip(net.weights, net.biases, strict=True):
        zs.append(W @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    cost = 0.5 * float(np.sum((y - activations[-1]) ** 2))  # eq. (11)
    # The backward pass: δ^L by eq. (33), then δ^(L-1), …, δ^1 by eq. (34).
    deltas = [(activations[-1] - y) * sigmoid_prime(zs[-1])]
    for l in range(len(zs) - 1, 0, -1):  # l = L-1, ..., 1
        delta = (net.weights[l].T @ deltas[0]) * sigmoid_prime(zs[l - 1])
        deltas.insert(0, delta)
    nabla_b = deltas  # eq. (35)
    # Eq. (36): the error at a weight's head times the activation at its tail.
    nabla_w = [d @ a.T for d, a in zip(deltas, activations, strict=False)]
    # One step of SGD on a mini-batch of this one example, eq. (19).
    W_after = [W - eta * g for W, g in zip(net.weights, nabla_w, strict=True)]
    b_after = [b - eta * g for b, g in zip(net.biases, nabla_b, strict=True)]
    cost_after = _cost(W_after, b_after, x, y)
    # --8<-- [end:work]
    return Worked(
        net,
        x,
        y,
        eta,
        zs,
        activations,
        cost,
        deltas,
        nabla_b,
        nabla_w,
        W_after,
        b_after,
        cost_after,
    )


def r4(value: ArrayLike) -> str:
    """`value` rounded to four decimals; one with at most two, such as 0.4, as it is.

    >>> r4(0.5), r4(-0.12642), r4(0.25), r4(0.2499), r4(2.0), r4(-0.00004)
    ('0.5', '-0.1264', '0.25', '0.2499', '2.0', '0.0000')
    """
    value = float(np.asarray(value))
    if abs(value - round(value, 2)) > 1e-12:
        return f"{value:.4f}".replace("-0.0000", "0.0000")
    short = f"{value:.2f}".rstrip("0")
    return short + "0" if short.endswith(".") else short


def _factor(value: float) -> str:
    """A number as a factor of a product: negative ones in brackets."""
    return f"({r4(value)})" if r4(value).startswith("-") else r4(value)


def forward_table(ex: Worked) -> str:
    """The forward pass, neuron by neuron: z^l_j written out as its sum, and a^l_j."""
    lines = ["l  j  z^l_j = Σ_k w^l_jk a^(l-1)_k + b^l_j         a^l_j = σ(z^l_j)"]
    for l, (W, b) in enumerate(zip(ex.net.weights, ex.net.biases, strict=True), 1):
        a_prev = ex.activations[l - 1]
        for j in range(W.shape[0]):
            terms = " + ".join(
                f"{_factor(W[j, k])}×{r4(a_prev[k, 0])}" for k in range(W.shape[1])
            )
            z = f"{terms} + {_factor(b[j, 0])} = {r4(ex.zs[l - 1][j, 0])}"
            lines.append(f"{l}  {j + 1}  {z:<44} {r4(ex.activations[l][j, 0])}")
    return "\n".join(lines)


def backward_table(ex: Worked) -> str:
    """The backward pass, top layer first: σ'(z^l_j), δ^l_j and every gradient."""
    n_in = max(W.shape[1] for W in ex.net.weights)
    head = "".join(f"  ∂C/∂w^l_j{k + 1}" for k in range(n_in))
    lines = [f"l  j  σ'(z^l_j)  δ^l_j = ∂C/∂b^l_j{head}"]
    for l in range(len(ex.zs), 0, -1):
        for j in range(ex.zs[l - 1].shape[0]):
            grads = "".join(f"{r4(g):>12}" for g in ex.nabla_w[l - 1][j])
            lines.append(
                f"{l}  {j + 1}  {r4(sigmoid_prime(ex.zs[l - 1][j, 0])):>9}"
                f"{r4(ex.deltas[l - 1][j, 0]):>19}{grads}"
            )
    return "\n".join(lines)


def step_table(ex: Worked) -> str:
    """Every parameter before the step, its gradient, and after: p − η·∂C/∂p."""
    lines = [f"parameter  before  gradient  after = before - {r4(ex.eta)} × gradient"]
    for l in range(1, len(ex.zs) + 1):
        rows = [
            (
                f"w^{l}_{j + 1}{k + 1}",
                (l - 1, j, k),
                ex.net.weights,
                ex.nabla_w,
                ex.weights_after,
            )
            for j, k in np.ndindex(ex.net.weights[l - 1].shape)
        ] + [
            (
                f"b^{l}_{j + 1}",
                (l - 1, j, 0),
                ex.net.biases,
                ex.nabla_b,
                ex.biases_after,
            )
            for j in range(ex.net.biases[l - 1].shape[0])
        ]
        for name, (i, j, k), before, gradient, after in rows:
            lines.append(
                f"{name:<9}{r4(before[i][j, k]):>8}{r4(gradient[i][j, k]):>10}"
                f"{r4(after[i][j, k]):>9}"
            )
    return "\n".join(lines)


def cost_sum(ex: Worked) -> str:
    """The cost C = ½ Σ_j (y_j − a^L_j)² of eq. (11), written out."""
    L = len(ex.zs)
    a, y = ex.activations[L][:, 0], ex.y[:, 0]
    n = len(a)
    symbols = " + ".join(f"(y_{j + 1} - a^{L}_{j + 1})^2" for j in range(n))
    numbers = " + ".join(f"({r4(y[j])} - {r4(a[j])})^2" for j in range(n))
    squares = " + ".join(r4((y[j] - a[j]) ** 2) for j in range(n))
    return f"C = ½ ({symbols})\n  = ½ ({numbers})\n  = ½ ({squares})\n  = {r4(ex.cost)}"


def output_delta_sum(ex: Worked, j: int) -> str:
    """δ^L_j by eq. (33), written out: (a^L_j − y_j) · a^L_j · (1 − a^L_j), 1-based j."""
    L = len(ex.zs)
    a, y = float(ex.activations[L][j - 1, 0]), float(ex.y[j - 1, 0])
    return (
        f"δ^{L}_{j} = (a^{L}_{j} - y_{j}) σ'(z^{L}_{j})"
        f" = (a^{L}_{j} - y_{j}) a^{L}_{j} (1 - a^{L}_{j})\n"
        f"     = ({r4(a)} - {r4(y)}) × {r4(a)} × (1 - {r4(a)})\n"
        f"     = {_factor(a - y)} × {r4(a)} × {r4(1 - a)}\n"
        f"     = {r4(ex.deltas[L - 1][j - 1, 0])}"
    )


def hidden_delta_sum(ex: Worked, l: int, j: int) -> str:
    """δ^l_j by eq. (34), written out: (Σ_i w^{l+1}_ij δ^{l+1}_i) · a^l_j (1 − a^l_j)."""
    W, d_next = ex.net.weights[l], ex.deltas[l]
    a = float(ex.activations[l][j - 1, 0])
    n = W.shape[0]
    symbols = " + ".join(f"w^{l + 1}_{i + 1}{j} δ^{l + 1}_{i + 1}" for i in range(n))
    numbers = " + ".join(
        f"{_factor(W[i, j - 1])}×{_factor(d_next[i, 0])}" for i in range(n)
    )
    products = " + ".join(_factor(W[i, j - 1] * d_next[i, 0]) for i in range(n))
    back = float(W[:, j - 1] @ d_next[:, 0])
    return (
        f"δ^{l}_{j} = ((W^{l + 1})^T δ^{l + 1})_{j} σ'(z^{l}_{j})\n"
        f"     = ({symbols}) a^{l}_{j} (1 - a^{l}_{j})\n"
        f"     = ({numbers}) × {r4(a)} × (1 - {r4(a)})\n"
        f"     = ({products}) × {r4(a)} × {r4(1 - a)}\n"
        f"     = {_factor(back)} × {r4(a * (1 - a))}\n"
        f"     = {r4(ex.deltas[l - 1][j - 1, 0])}"
    )


def weight_gradient_sum(ex: Worked, l: int, j: int, k: int) -> str:
    """∂C/∂w^l_jk by eq. (36), written out: δ^l_j · a^{l−1}_k, 1-based j and k."""
    d, a = float(ex.deltas[l - 1][j - 1, 0]), float(ex.activations[l - 1][k - 1, 0])
    return (
        f"∂C/∂w^{l}_{j}{k} = δ^{l}_{j} a^{l - 1}_{k}"
        f" = {_factor(d)} × {r4(a)} = {r4(ex.nabla_w[l - 1][j - 1, k - 1])}"
    )
