"""The training lab in the reader's browser: the digits from a file, trained an epoch at a time.

The lab page's Train button runs :func:`train` in the page's Python (Pyodide).
The page fetches the package's digits file (``backprop/digits.npz``) from the
site and checks its hash first; :func:`load_digits_file` reads it into the same
two sets as :func:`backprop.data.load_digits` for the same `test_size` and
`seed`.

:func:`train` yields one report per epoch as soon as the epoch is done, so that
the page can draw the cost and the accuracy as they come, and ends with the
network's answers to a few test digits.

>>> import io
>>> from backprop.data import digits_npz
>>> X = np.arange(64 * 5).reshape(64, 5) % 17 / 16.0
>>> data = digits_npz(X, np.array([0, 1, 2, 3, 4]))
>>> train_set, test_set = load_digits_file(io.BytesIO(data), test_size=2, seed=0)
>>> len(train_set), len(test_set), float(train_set.X.max()) <= 1.0
(3, 2, True)
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from backprop.data import Dataset, read_digits
from backprop.network import EpochReport, Network
from backprop.training import Trainer

__all__ = ["load_digits_file", "train", "train_epoch"]


def load_digits_file(
    file: str | Path | IO[bytes],
    sha256: str | None = None,
    test_size: int = 297,
    seed: int = 0,
) -> tuple[Dataset, Dataset]:
    """The digits of a file written by :func:`~backprop.data.digits_npz`, as
    (training set, test set), split as :func:`~backprop.data.load_digits` splits
    them. With `sha256`, the file's bytes must have that hash, or ValueError is
    raised.
    """
    data = file.read() if hasattr(file, "read") else Path(file).read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(
            f"the digits file has sha256 {hashlib.sha256(data).hexdigest()}, "
            f"expected {sha256}: refusing it"
        )
    return read_digits(io.BytesIO(data), test_size, seed)


def train_epoch(
    net: Network, training: Dataset, test: Dataset, mini_batch_size: int, eta: float
) -> EpochReport:
    """One epoch of the package's SGD on `training`, and its report on `test`."""
    # The fast path, asked for by name: the same steps as Network.SGD, the same report.
    (report,) = Trainer(net).SGD(
        training.arrays, 1, mini_batch_size, eta, test.labelled, verbose=False
    )
    return report


def train(
    digits: str | Path | IO[bytes],
    sizes: Sequence[int] = (64, 30, 10),
    eta: float = 3.0,
    mini_batch_size: int = 10,
    epochs: int = 30,
    *,
    seed: int = 0,
    sha256: str | None = None,
    test_size: int = 297,
    shown: int = 12,
) -> Iterator[dict[str, Any]]:
    """Train ``Network(sizes, seed=seed)`` on the digits; one dict per epoch, then the answers.

    Each epoch yields ``{"kind": "epoch", "epoch", "epochs", "cost", "correct",
    "total", "accuracy", "seconds"}``: the report of ``Trainer(net).SGD`` (the
    training cost C of eq. 12 and the test accuracy), the same numbers as one
    call ``Network(sizes, seed=seed).SGD(training.arrays, epochs,
    mini_batch_size, eta, test.labelled)`` reports. Then it yields ``{"kind":
    "answers", "digits": [...]}``: for the first `shown` test images, the
    pixels (0..16, row by row), the label and the network's answer.

    >>> import io
    >>> from backprop.data import digits_npz
    >>> X, labels = np.repeat(np.eye(64)[:, :10], 3, axis=1), np.tile(np.arange(10), 3)
    >>> steps = list(train(io.BytesIO(digits_npz(X, labels)), (64, 10), 3.0, 5, 2, test_size=5, shown=2))
    >>> [step["kind"] for step in steps], steps[1]["epoch"], steps[1]["total"]
    (['epoch', 'epoch', 'answers'], 2, 5)
    >>> len(steps[-1]["digits"]), len(steps[-1]["digits"][0]["pixels"])
    (2, 64)
    """
    training, test = load_digits_file(digits, sha256, test_size, seed)
    net = Network(list(sizes), seed=seed)
    for epoch in range(1, epochs + 1):
        report = dataclasses.replace(
            train_epoch(net, training, test, mini_batch_size, eta), epoch=epoch
        )
        yield {
            "kind": "epoch",
            "epoch": report.epoch,
            "epochs": epochs,
            "cost": report.cost,
            "correct": report.correct,
            "total": report.total,
            "accuracy": report.accuracy,
            "seconds": report.seconds,
        }
    X = test.X[:, :shown]
    answers = np.argmax(net.feedforward(X), axis=0)
    yield {
        "kind": "answers",
        "digits": [
            {
                "pixels": [int(v) for v in np.rint(16.0 * X[:, i])],
                "label": int(test.labels[i]),
                "answer": int(answers[i]),
            }
            for i in range(X.shape[1])
        ],
    }
