"""The training lab's Python: the digits file and training an epoch at a time."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pytest

import backprop
from backprop.data import DIGITS, load_digits
from backprop.lab import load_digits_file, train
from backprop.network import Network


def _digits_file() -> bytes:
    """The file the site serves to the lab page: the package's own."""
    return (Path(backprop.__file__).parent / DIGITS).read_bytes()


def test_the_file_gives_the_sets_of_load_digits() -> None:
    data = _digits_file()
    for test_size, seed in ((297, 0), (500, 7)):
        from_file = load_digits_file(io.BytesIO(data), test_size=test_size, seed=seed)
        from_package = load_digits(test_size=test_size, seed=seed)
        for mine, theirs in zip(from_file, from_package, strict=True):
            np.testing.assert_array_equal(mine.X, theirs.X)
            np.testing.assert_array_equal(mine.labels, theirs.labels)


def test_the_file_is_small() -> None:
    assert len(_digits_file()) < 60_000


def test_a_file_with_another_hash_is_refused() -> None:
    data = _digits_file()
    good = hashlib.sha256(data).hexdigest()
    assert len(load_digits_file(io.BytesIO(data), sha256=good)[1]) == 297
    with pytest.raises(ValueError, match="refusing"):
        load_digits_file(io.BytesIO(data[:-1] + bytes([data[-1] ^ 1])), sha256=good)


def test_training_an_epoch_at_a_time_reports_what_one_SGD_call_does() -> None:
    sizes, eta, m, epochs, seed = [64, 12, 10], 2.0, 20, 4, 3
    steps = list(train(io.BytesIO(_digits_file()), sizes, eta, m, epochs, seed=seed))
    training, test = load_digits(seed=seed)
    net = Network(sizes, seed=seed)
    history = net.SGD(training.arrays, epochs, m, eta, test.labelled, verbose=False)
    reports = [s for s in steps if s["kind"] == "epoch"]
    assert [r["epoch"] for r in reports] == [h.epoch for h in history]
    # Equal to rounding: the lab's SGD takes the fast path (backprop.training),
    # which equals the plain steps to rounding.
    np.testing.assert_allclose(
        [r["cost"] for r in reports], [h.cost for h in history], rtol=1e-10
    )
    assert [r["correct"] for r in reports] == [h.correct for h in history]
    answers = steps[-1]["digits"]
    outputs = np.argmax(net.feedforward(test.X[:, : len(answers)]), axis=0)
    assert [a["answer"] for a in answers] == outputs.tolist()
    assert [a["label"] for a in answers] == test.labels[: len(answers)].tolist()
    np.testing.assert_array_equal(
        np.array([a["pixels"] for a in answers]) / 16.0, test.X[:, : len(answers)].T
    )


def test_the_lab_defaults_reach_ninety_percent() -> None:
    steps = list(train(io.BytesIO(_digits_file())))
    final = [s for s in steps if s["kind"] == "epoch"][-1]
    assert final["epoch"] == 30
    assert final["accuracy"] >= 0.9
