"""The per-example algorithm: the reference the matrix-based path is checked against.

This is backpropagation as the essay and Nielsen's ``network.py`` run it: a Python
loop over the examples of a mini-batch, one column at a time, each through its
own forward and backward pass, the gradients added up as they come. It shares no
code with :meth:`backprop.network.Network.backprop` beyond the sigmoid, so the
two can check each other, and it is the baseline the benchmarks compare with.
"""

from __future__ import annotations

import numpy as np

from backprop._types import Array
from backprop.activations import sigmoid, sigmoid_prime
from backprop.network import Network

__all__ = ["backprop_example", "backprop_loop", "update_mini_batch_loop"]


# --8<-- [start:example]
def backprop_example(
    net: Network, x: Array, y: Array
) -> tuple[list[Array], list[Array]]:
    """∂C_x/∂b^l and ∂C_x/∂W^l for one example, x (n_0, 1) and y (n_L, 1)."""
    # Forward: keep every weighted input z^l and activation a^l.
    a, activations, zs = x, [x], []
    for W, b in zip(net.weights, net.biases, strict=True):
        z = np.dot(W, a) + b
        a = sigmoid(z)
        zs.append(z)
        activations.append(a)
    # Backward: the output error, then one layer down at a time.
    L = len(net.weights)
    grad_b: list[Array] = [np.zeros_like(b) for b in net.biases]
    grad_w: list[Array] = [np.zeros_like(W) for W in net.weights]
    delta = (activations[L] - y) * sigmoid_prime(zs[L - 1])
    for l in range(L, 0, -1):
        if l < L:
            delta = np.dot(net.weights[l].T, delta) * sigmoid_prime(zs[l - 1])
        grad_b[l - 1] = delta
        grad_w[l - 1] = np.outer(delta, activations[l - 1])
    return grad_b, grad_w
    # --8<-- [end:example]


# --8<-- [start:loop]
def backprop_loop(net: Network, X: Array, Y: Array) -> tuple[list[Array], list[Array]]:
    """The sum over the columns of X and Y of :func:`backprop_example`, one by one."""
    total_b: list[Array] = [np.zeros_like(b) for b in net.biases]
    total_w: list[Array] = [np.zeros_like(W) for W in net.weights]
    for i in range(X.shape[1]):
        grad_b, grad_w = backprop_example(net, X[:, [i]], Y[:, [i]])
        for l in range(len(total_b)):
            total_b[l] += grad_b[l]
            total_w[l] += grad_w[l]
    return total_b, total_w
    # --8<-- [end:loop]


def update_mini_batch_loop(net: Network, X: Array, Y: Array, eta: float) -> None:
    """One SGD step (eq. 19) with the per-example loop; the update comes after it."""
    total_b, total_w = backprop_loop(net, X, Y)
    step = eta / X.shape[1]
    net.weights = [W - step * g for W, g in zip(net.weights, total_w, strict=True)]
    net.biases = [b - step * g for b, g in zip(net.biases, total_b, strict=True)]
