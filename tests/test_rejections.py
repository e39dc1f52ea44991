"""Every input the public API refuses, with the message it gives, in one table.

Each row: what is wrong, the call, the error type, and a pattern of the message,
which names the argument, what was expected and what was given. After every
refused call the network must be exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from backprop.calculus import central_difference, contract
from backprop.costs import empirical_cost
from backprop.data import Dataset, load_digits, load_mnist_idx, one_hot
from backprop.graph import Var, log
from backprop.network import Network, neuron_activation
from backprop.training import Trainer

X = np.random.default_rng(0).uniform(0, 1, (3, 4))
Y = np.eye(2)[:, [0, 1, 0, 1]]
LABELS = np.array([0, 1, 0, 1])
DIGITS = Dataset(X, LABELS, 2)


def net() -> Network:
    return Network([3, 5, 2], seed=0)


def with_params(change: Callable[[Network], None]) -> Network:
    n = net()
    change(n)
    return n


def nan_at(a: np.ndarray, index: tuple[int, int]) -> np.ndarray:
    a = a.copy()
    a[index] = np.nan
    return a


CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # layer sizes
    (
        "empty sizes",
        lambda: Network([]),
        ValueError,
        r"sizes needs an input and an output layer, at least 2 widths, got \[\]",
    ),
    ("one layer", lambda: Network([3]), ValueError, r"at least 2 widths, got \[3\]"),
    (
        "a zero width",
        lambda: Network([3, 0, 2]),
        ValueError,
        r"sizes\[1\] must be at least 1 neuron, got 0",
    ),
    (
        "a negative width",
        lambda: Network([3, -1, 2]),
        ValueError,
        r"sizes\[1\] must be at least 1 neuron, got -1",
    ),
    (
        "a width that is a bool",
        lambda: Network([3, True, 2]),
        TypeError,
        r"sizes\[1\] must be a whole number, got True",
    ),
    (
        "sizes as one number",
        lambda: Network(3),
        TypeError,
        r"sizes must be a list of layer widths, got 3",
    ),
    (
        "a fractional width",
        lambda: Network([3, 2.5, 2]),
        TypeError,
        r"sizes\[1\] must be a whole number, got 2\.5",
    ),
    (
        "sizes as a string",
        lambda: Network("32"),
        TypeError,
        r"sizes must be a list of layer widths",
    ),
    (
        "an integer dtype",
        lambda: Network([3, 2], dtype=int),
        TypeError,
        r"dtype must be a floating-point type, got int64",
    ),
    # inputs
    (
        "a flat input",
        lambda: net().feedforward(np.ones(3)),
        ValueError,
        r"a must be a column of shape \(3, 1\) or a batch of columns \(3, m\), got the flat shape \(3,\); use a\.reshape\(-1, 1\)",
    ),
    (
        "an input of the wrong length",
        lambda: net().feedforward(np.ones((4, 1))),
        ValueError,
        r"a must have 3 rows, one per neuron, got shape \(4, 1\)",
    ),
    (
        "an input with NaN",
        lambda: net().feedforward(nan_at(X, (1, 2))),
        ValueError,
        r"a must be finite, but entry \(1, 2\) is nan",
    ),
    (
        "an input with infinity",
        lambda: net().feedforward(np.array([[1.0], [np.inf], [0.0]])),
        ValueError,
        r"a must be finite, but entry \(1, 0\) is inf",
    ),
    (
        "a 3-D input",
        lambda: net().feedforward(np.ones((3, 1, 1))),
        ValueError,
        r"a must be 2-D \(rows, columns\), got shape \(3, 1, 1\)",
    ),
    (
        "an input of strings",
        lambda: net().feedforward(np.array([["a"], ["b"], ["c"]])),
        TypeError,
        r"a must hold numbers, got dtype <U1",
    ),
    (
        "an input with no columns",
        lambda: net().feedforward(np.ones((3, 0))),
        ValueError,
        r"a has no columns",
    ),
    # targets
    (
        "a flat target",
        lambda: net().backprop(X[:, :1], np.ones(2)),
        ValueError,
        r"y must be a column of shape \(2, 1\) or a batch of columns \(2, m\), got the flat shape \(2,\)",
    ),
    (
        "a target of the wrong length",
        lambda: net().backprop(X, np.ones((3, 4))),
        ValueError,
        r"y must have 2 rows, one per neuron, got shape \(3, 4\)",
    ),
    (
        "a target with infinity",
        lambda: net().backprop(X, np.full((2, 4), np.inf)),
        ValueError,
        r"y must be finite, but entry \(0, 0\) is inf",
    ),
    (
        "inputs and targets of different counts",
        lambda: net().backprop(X, Y[:, :3]),
        ValueError,
        r"x and y must have as many columns \(one per example\), got 4 and 3",
    ),
    # parameters
    (
        "a weight matrix replaced by the wrong shape",
        lambda: with_params(
            lambda n: n.weights.__setitem__(0, np.ones((5, 4)))
        ).feedforward(X),
        ValueError,
        r"weights\[0\] \(W\^1\) must have shape \(5, 3\), got \(5, 4\)",
    ),
    (
        "a bias with NaN",
        lambda: with_params(
            lambda n: n.biases[1].__setitem__((0, 0), np.nan)
        ).feedforward(X),
        ValueError,
        r"biases\[1\] \(b\^2\) must be finite, but entry \(0, 0\) is nan",
    ),
    (
        "a layer of weights removed",
        lambda: with_params(lambda n: n.weights.pop()).feedforward(X),
        ValueError,
        r"needs 2 weight matrices and 2 bias columns, got 1 and 2",
    ),
    # mini-batches and training settings
    (
        "an empty mini-batch",
        lambda: net().update_mini_batch([], 1.0),
        ValueError,
        r"mini_batch is empty",
    ),
    (
        "one bad example in a mini-batch",
        lambda: net().update_mini_batch(
            [(X[:, [0]], Y[:, [0]]), (X[:, [1]], Y[:, 1])], 1.0
        ),
        ValueError,
        r"mini_batch\[1\] y must be a column \(n, 1\), got shape \(2,\)",
    ),
    (
        "a mini-batch that is not pairs",
        lambda: net().update_mini_batch(X, 1.0),
        TypeError,
        r"mini_batch must be a list of \(x, y\) column pairs or a pair of arrays \(X, Y\), got ndarray",
    ),
    (
        "a zero learning rate",
        lambda: net().update_mini_batch((X, Y), 0.0),
        ValueError,
        r"eta must be a positive finite number, got 0\.0",
    ),
    (
        "a NaN learning rate",
        lambda: net().SGD((X, Y), 1, 2, float("nan"), verbose=False),
        ValueError,
        r"eta must be a positive finite number, got nan",
    ),
    (
        "a mini-batch size of 0",
        lambda: net().SGD((X, Y), 1, 0, 1.0, verbose=False),
        ValueError,
        r"mini_batch_size must be at least 1, got 0",
    ),
    (
        "a negative number of epochs",
        lambda: net().SGD((X, Y), -2, 2, 1.0, verbose=False),
        ValueError,
        r"epochs must not be negative, got -2",
    ),
    (
        "training data with uneven counts",
        lambda: net().SGD((X, Y[:, :2]), 1, 2, 1.0, verbose=False),
        ValueError,
        r"training_data inputs and training_data targets must have as many columns "
        r"\(one per example\), got 4 and 2",
    ),
    (
        "training targets with a row per input",
        lambda: net().SGD((X, X), 1, 2, 1.0, verbose=False),
        ValueError,
        r"training_data targets must have 2 rows, one per neuron, got shape \(3, 4\)",
    ),
    (
        "training data as one array",
        lambda: net().SGD(X, 1, 2, 1.0, verbose=False),
        TypeError,
        r"training_data must be a list of \(x, y\) column pairs or a pair of arrays",
    ),
    (
        "a fractional number of epochs",
        lambda: net().SGD((X, Y), 1.5, 2, 1.0, verbose=False),
        TypeError,
        r"epochs must be a whole number, got float: 1\.5",
    ),
    (
        "an infinite learning rate",
        lambda: net().SGD((X, Y), 1, 2, float("inf"), verbose=False),
        ValueError,
        r"eta must be a positive finite number, got inf",
    ),
    # the mistakes a new user made
    (
        "integer labels as training targets",
        lambda: net().SGD((X, LABELS), 1, 2, 1.0, verbose=False),
        ValueError,
        r"training_data targets are integer labels of shape \(4,\), but training "
        r"needs one-hot columns \(2, n\): use backprop\.data\.one_hot\(labels, 2\)",
    ),
    (
        "integer labels as training targets, to the trainer",
        lambda: Trainer(net()).SGD((X, LABELS), 1, 2, 1.0, verbose=False),
        ValueError,
        r"use backprop\.data\.one_hot\(labels, 2\)",
    ),
    (
        "an integer label in a training pair",
        lambda: net().SGD([(X[:, [0]], 1)], 1, 2, 1.0, verbose=False),
        ValueError,
        r"training_data\[0\] y must be a column \(n, 1\), got shape \(\); make "
        r"labels one-hot columns with backprop\.data\.one_hot",
    ),
    (
        "a Dataset as training data",
        lambda: net().SGD(DIGITS, 1, 2, 1.0, verbose=False),
        TypeError,
        r"training_data is a Dataset, not the arrays themselves: pass "
        r"training_data\.arrays, its \(X, Y\)",
    ),
    (
        "a Dataset as test data",
        lambda: net().SGD((X, Y), 1, 2, 1.0, test_data=DIGITS, verbose=False),
        TypeError,
        r"test_data is a Dataset, not the arrays themselves: pass "
        r"test_data\.labelled, its \(X, labels\)",
    ),
    (
        "a Dataset to evaluate",
        lambda: net().evaluate(DIGITS),
        TypeError,
        r"pass test_data\.labelled",
    ),
    (
        "test labels out of range",
        lambda: net().evaluate((X, np.array([0, 1, 2, 0]))),
        ValueError,
        r"test_data labels must lie in 0\.\.1, got 0\.\.2",
    ),
    (
        "test targets of the wrong kind",
        lambda: net().evaluate((X, np.ones(4))),
        ValueError,
        r"test_data targets must be integer labels of shape \(n,\) or one-hot columns \(2, n\), got shape \(4,\) and dtype float64",
    ),
    # one neuron, costs and numerical derivatives
    (
        "a neuron with more weights than inputs",
        lambda: neuron_activation([0.5, -1.0, 2.0], [1.0, 2.0], 0.0),
        ValueError,
        r"3 weights but 2 input activations",
    ),
    (
        "losses that are not numbers",
        lambda: empirical_cost(["a", "b"]),
        TypeError,
        r"losses must hold numbers, got dtype <U1",
    ),
    (
        "losses as a matrix",
        lambda: empirical_cost(np.ones((2, 2))),
        ValueError,
        r"losses must be a non-empty vector, one number per item, got shape \(2, 2\)",
    ),
    (
        "a derivative at infinity",
        lambda: central_difference(np.sin, float("inf")),
        ValueError,
        r"x must be finite, got inf",
    ),
    (
        "a negative step",
        lambda: central_difference(np.sin, 1.0, h=-1e-3),
        ValueError,
        r"the step h must be a positive finite number, got -0\.001",
    ),
    (
        "a tensor of two dimensions",
        lambda: contract(np.ones((2, 1)), np.ones((2, 3))),
        ValueError,
        r"tensor must be 3-D, \(r, p, q\), not empty, got shape \(2, 3\)",
    ),
    # the graph engine
    (
        "a graph input that is NaN",
        lambda: Var(float("nan")),
        ValueError,
        r"value must be finite, got nan",
    ),
    (
        "a graph input that is not a number",
        lambda: Var("2"),
        TypeError,
        r"value must be a real number, got str: '2'",
    ),
    (
        "the log of a negative node",
        lambda: log(Var(-1.0, name="u")),
        ValueError,
        r"log\(u\) needs a positive value, got -1",
    ),
    (
        "unnamed graph inputs to gradient()",
        lambda: (Var(1.0) * Var(2.0)).gradient(),
        ValueError,
        r"gradient\(\) keys its result by input names, and an input has no name",
    ),
    # data
    (
        "labels out of range for one_hot",
        lambda: one_hot(np.array([0, 10]), 10),
        ValueError,
        r"labels must lie in 0\.\.9, got 0\.\.10",
    ),
    (
        "an oversized digits test set",
        lambda: load_digits(test_size=5000),
        ValueError,
        r"test_size must be between 1 and 1796, got 5000",
    ),
    (
        "a missing MNIST file",
        lambda: load_mnist_idx("/nonexistent/images", "/nonexistent/labels"),
        FileNotFoundError,
        r"no such file: /nonexistent/images",
    ),
]


@pytest.mark.parametrize(
    ("what", "call", "error", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_refused_with_a_clear_message(
    what: str, call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda n: n.update_mini_batch(
            [(X[:, [0]], Y[:, [0]]), (nan_at(X, (0, 1))[:, [1]], Y[:, [1]])], 1.0
        ),
        lambda n: n.update_mini_batch((X, Y), -1.0),
        lambda n: n.SGD((X, Y[:, :2]), 1, 2, 1.0, verbose=False),
        lambda n: n.SGD((X, Y), 1, 2, 1.0, test_data=(X, np.ones(4)), verbose=False),
        lambda n: n.backprop(X, np.ones(2)),
        lambda n: n.update_mini_batch(
            [(X[:, [0]], Y[:, [0]]), (X[:, [1]], Y[:, 1])], 1.0
        ),
        lambda n: n.SGD((X, LABELS), 1, 2, 1.0, verbose=False),
        lambda n: n.SGD(DIGITS, 1, 2, 1.0, verbose=False),
        lambda n: Trainer(n).SGD((X, Y), 1, 2, 1.0, test_data=DIGITS, verbose=False),
    ],
)
def test_a_refused_call_changes_nothing(call: Callable[[Network], Any]) -> None:
    n = net()
    before = [p.copy() for p in n.weights + n.biases]
    state = n.rng.bit_generator.state
    with pytest.raises((ValueError, TypeError)):
        call(n)
    assert all(
        np.array_equal(p, q) for p, q in zip(before, n.weights + n.biases, strict=True)
    )
    assert n.rng.bit_generator.state == state
