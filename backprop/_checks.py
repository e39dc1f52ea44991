"""The package's one set of input checks and converters, used by every public entry point.

Every check raises an error that names the argument, what was expected and what
was given, so that a wrong shape never turns into a NumPy broadcasting surprise.
Every one takes the argument's name first, then its value. The same mistake
raises the same error everywhere: something that is not numbers is a TypeError;
numbers of the wrong shape, or not finite, are a ValueError.

They come in three groups: arrays (:func:`float_array`, :func:`columns`,
:func:`column`, :func:`matrix`, :func:`vector`, :func:`number`, :func:`rank`,
:func:`column_rows`, :func:`layer`, :func:`labels`, :func:`floating`); numbers
and counts (:func:`positive_float`, :func:`positive_int`, :func:`real_number`,
...); and a network's sizes, parameters and data (:func:`sizes`,
:func:`parameters`, :func:`split`, :func:`examples`, :func:`labelled`,
:func:`batch`, :func:`training`). This module imports nothing of the package.

A raise left outside this module says why in a comment beside it: it refuses
a result of the computation (an overflow, a division by zero, a step that is
not finite), a file's contents, or a fact of mathematics about valid numbers
(a vector that is not of unit length), not the form of an argument.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

# -- arrays -----------------------------------------------------------------------


def all_finite(array: NDArray[Any]) -> bool:
    """Whether every entry of `array` is finite, found by one sum where it can be.

    NaN and ∞ survive a sum, so a finite sum settles it; only when the sum is
    not finite are the entries looked at one by one, since huge finite entries
    can overflow it.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.add.reduce(array, axis=None))
    return math.isfinite(total) or bool(np.isfinite(array).all())


def float_array(
    name: str, value: ArrayLike, dtype: DTypeLike | None = None, finite: bool = True
) -> NDArray[np.floating]:
    """`value` as a floating-point array with only finite entries, in `dtype` if given.

    Without `dtype`, a float array keeps its type and any other array of
    numbers becomes float64. With ``finite=False`` the entries are not looked
    at, for a caller that finds a NaN or ∞ another way (and then calls again).
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        array = value  # the common case, kept fast: training calls this every step
    else:
        array = _as_real(name, value)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    if finite and not all_finite(array):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite, but entry {where} is {array[where]}")
    return array


def _as_real(name: str, value: ArrayLike) -> NDArray[np.floating]:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise ValueError(f"{name} must be an array of numbers: {error}") from None
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {array.dtype}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


def columns(
    name: str, value: ArrayLike, rows: int | None = None, finite: bool = True
) -> NDArray[np.floating]:
    """`value` as a 2-D array of columns, ``(rows, m)``; a 1-D array is rejected.

    A flat vector of shape ``(n,)`` is ambiguous (one example or n examples?) and
    broadcasts against an ``(n, 1)`` column into an ``(n, n)`` matrix; it is
    refused with a message that says how to make it a column.
    """
    array = float_array(name, value, finite=finite)
    if array.ndim == 1:
        raise ValueError(
            f"{name} must be a column of shape ({array.shape[0]}, 1) or a batch of "
            f"columns ({array.shape[0]}, m), got the flat shape {array.shape}; "
            f"use {name}.reshape(-1, 1) for one example"
        )
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows, columns), got shape {array.shape}")
    if rows is not None and array.shape[0] != rows:
        raise ValueError(
            f"{name} must have {rows} rows, one per neuron, got shape {array.shape}"
        )
    if array.shape[1] == 0:
        raise ValueError(f"{name} has no columns (shape {array.shape})")
    return array


def targets(
    name: str, value: ArrayLike, rows: int, finite: bool = True
) -> NDArray[np.floating]:
    """Targets as columns ``(rows, m)``; integer labels are refused, naming ``one_hot``.

    A flat array of integers is almost always one label per example; making it
    a column would only lead to the next error, so the message says how to turn
    labels into the one-hot columns that training needs.
    """
    array = np.asarray(value)
    if array.ndim == 1 and np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} are integer labels of shape {array.shape}, but training needs "
            f"one-hot columns ({rows}, n): use backprop.data.one_hot(labels, {rows})"
        )
    return columns(name, value, rows, finite)


def column(name: str, value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a float64 column of shape (n, 1), n ≥ 1; a flat (n,) array is refused."""
    array = float_array(name, value, np.float64)
    if array.ndim != 2 or array.shape[1] != 1 or array.shape[0] == 0:
        raise ValueError(
            f"{name} must be a column of shape (n, 1), got shape {array.shape}"
        )
    return array


def matrix(name: str, value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a float64 matrix (2-D) with at least one entry, all finite."""
    array = float_array(name, value, np.float64)
    if array.ndim != 2 or array.size == 0:
        raise ValueError(
            f"{name} must be a matrix (2-D, not empty), got shape {array.shape}"
        )
    return array


def vector(name: str, value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a flat array (n,) of finite numbers, n ≥ 1: one number per item."""
    array = float_array(name, value)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty vector, one number per item, "
            f"got shape {array.shape}"
        )
    return array


def number(name: str, value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a 0-d float64 array: a single finite number, not an array of them."""
    array = float_array(name, value, np.float64)
    if array.ndim != 0:
        raise ValueError(f"{name} must be a number, got shape {array.shape}")
    return array


def rank(name: str, value: ArrayLike, ndim: int, axes: str) -> NDArray[np.floating]:
    """`value` as a float64 array of `ndim` dimensions, named `axes` in the message."""
    array = float_array(name, value, np.float64)
    if array.ndim != ndim or array.size == 0:
        raise ValueError(
            f"{name} must be {ndim}-D, {axes}, not empty, got shape {array.shape}"
        )
    return array


def layer(
    W: NDArray[np.floating], a_prev: NDArray[np.floating], b: NDArray[np.floating]
) -> None:
    """Refuse a layer's W (n_l, n_prev), a^{l-1} (n_prev, m) and b (n_l, 1) that do not fit."""
    if W.ndim != 2 or a_prev.shape[0] != W.shape[1] or b.shape != (W.shape[0], 1):
        raise ValueError(
            f"W {W.shape}, a_prev {a_prev.shape} and b {b.shape} do not fit: need "
            f"(n_l, n_prev), (n_prev, m) and (n_l, 1)"
        )


def same_length(name_a: str, a: Sequence[Any], name_b: str, b: Sequence[Any]) -> None:
    """Refuse two sequences meant to be paired item by item whose lengths differ."""
    if len(a) != len(b):
        raise ValueError(f"{len(a)} {name_a} but {len(b)} {name_b}")


def labels(name: str, value: ArrayLike, classes: int) -> NDArray[np.intp]:
    """`value` as integer labels (n,), each in 0..classes − 1."""
    array = np.asarray(value)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} must be a 1-D array of integers, got {array.dtype} {array.shape}"
        )
    if array.size and (array.min() < 0 or array.max() >= classes):
        raise ValueError(
            f"{name} must lie in 0..{classes - 1}, got {array.min()}..{array.max()}"
        )
    return array.astype(np.intp)


def column_rows(
    name: str,
    array: NDArray[np.floating],
    rows: int,
    other: str,
    shape: tuple[int, ...],
) -> None:
    """Refuse a column `array` that does not have `rows` rows, naming both shapes."""
    if array.shape != (rows, 1):
        raise ValueError(
            f"{name} has shape {array.shape} but {other} has shape {shape}: "
            f"{name} must have shape ({rows}, 1)"
        )


def same_shape(
    name_a: str, a: NDArray[np.floating], name_b: str, b: NDArray[np.floating]
) -> None:
    """Refuse two arrays whose shapes differ, instead of broadcasting them."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape,"
            f" got {a.shape} and {b.shape}"
        )


def floating(value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a floating-point array: float arrays as they are, others as float64.

    No check of the entries: the sigmoid accepts any number, ∞ and NaN included.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


# -- numbers and counts -------------------------------------------------------------


def whole_number(name: str, value: object, minimum: int) -> int:
    """A whole number ≥ `minimum` (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a whole number, got {type(value).__name__}: {value!r}"
        )
    if value < minimum:
        bound = (
            "must not be negative" if minimum == 0 else f"must be at least {minimum}"
        )
        raise ValueError(f"{name} {bound}, got {value}")
    return int(value)


def positive_int(name: str, value: object) -> int:
    """A whole number ≥ 1."""
    return whole_number(name, value, 1)


def non_negative_int(name: str, value: object) -> int:
    """A whole number ≥ 0."""
    return whole_number(name, value, 0)


def real_number(name: str, value: object) -> float:
    """`value` as a finite float, or a clear error naming what it was meant to be."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a real number, got {type(value).__name__}: {value!r}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def positive_float(name: str, value: object) -> float:
    """A finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a real number, got {type(value).__name__}: {value!r}"
        )
    number = float(value)
    if not (math.isfinite(number) and number > 0.0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


# -- a network's sizes, parameters and data -----------------------------------------


def sizes(value: object) -> list[int]:
    """Layer widths: a list of at least two whole numbers, each at least 1."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"sizes must be a list of layer widths, got {value!r}")
    layers = list(value)
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


def floating_type(value: DTypeLike) -> np.dtype[Any]:
    """`value` as a NumPy dtype, which must be a floating-point type."""
    dtype = np.dtype(value)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating-point type, got {dtype}")
    return dtype


def parameters(
    sizes: Sequence[int],
    weights: Sequence[object],
    biases: Sequence[object],
    finite: bool = True,
    writeable: bool = False,
) -> None:
    """Refuse parameters replaced, from outside, by arrays of the wrong shape or with NaN or ∞.

    With ``finite=False`` only the shapes are checked. With ``writeable=True``
    the arrays must also be writeable, since a training step updates them in place.
    """
    L = len(sizes) - 1
    if len(weights) != L or len(biases) != L:
        raise ValueError(
            f"a network of sizes {list(sizes)} needs {L} weight matrices and {L} bias "
            f"columns, got {len(weights)} and {len(biases)}"
        )
    for l in range(1, L + 1):
        n, n_prev = sizes[l], sizes[l - 1]
        for kind, array, shape in (
            ("weights", weights[l - 1], (n, n_prev)),
            ("biases", biases[l - 1], (n, 1)),
        ):
            # Named only when refused: a trainer checks its parameters every step.
            if not isinstance(array, np.ndarray) or array.shape != shape:
                got = (
                    array.shape
                    if isinstance(array, np.ndarray)
                    else type(array).__name__
                )
                name = _parameter(kind, l)
                raise ValueError(f"{name} must have shape {shape}, got {got}")
            if writeable and not array.flags.writeable:
                name = _parameter(kind, l)
                raise ValueError(f"{name} is read-only; training updates it in place")
            if finite:
                float_array(_parameter(kind, l), array)


def _parameter(kind: str, l: int) -> str:
    """How an error names W^l or b^l: "weights[0] (W^1)", "biases[1] (b^2)"."""
    symbol = "W" if kind == "weights" else "b"
    return f"{kind}[{l - 1}] ({symbol}^{l})"


def split(name: str, data: object, labels: bool = False) -> tuple[ArrayLike, ArrayLike]:
    """Inputs and targets from a list of (x, y) pairs or from a pair of arrays (X, Y).

    With `labels`, each y of a pair may also be an integer label instead of a column.
    """
    if (
        isinstance(data, tuple)
        and len(data) == 2
        and isinstance(data[0], np.ndarray)
        and data[0].ndim == 2
    ):
        return data[0], data[1]
    if hasattr(data, "arrays") and hasattr(data, "labelled"):  # a data.Dataset
        wanted = ".labelled, its (X, labels)" if labels else ".arrays, its (X, Y)"
        raise TypeError(
            f"{name} is a {type(data).__name__}, not the arrays themselves: "
            f"pass {name}{wanted}"
        )
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
        label = y.ndim == 0 and np.issubdtype(y.dtype, np.integer)
        if not (labels and label) and (y.ndim != 2 or y.shape[1] != 1):
            expected = (
                "a column (n, 1) or an integer label" if labels else "a column (n, 1)"
            )
            hint = "; make labels one-hot columns with backprop.data.one_hot"
            raise ValueError(
                f"{name}[{i}] y must be {expected}, got shape {y.shape}"
                + (hint if label else "")
            )
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


def batch(
    names: tuple[str, str],
    x: ArrayLike,
    y: ArrayLike,
    sizes: Sequence[int],
    dtype: DTypeLike,
    finite: bool = True,
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """Inputs (n_0, m) and targets (n_L, m) as columns in `dtype`, one per example;
    with ``finite=False`` their entries are not looked at (see :func:`float_array`)."""
    X = columns(names[0], x, sizes[0], finite)
    Y = targets(names[1], y, sizes[-1], finite)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have as many columns (one per example), "
            f"got {X.shape[1]} and {Y.shape[1]}"
        )
    return X.astype(dtype, copy=False), Y.astype(dtype, copy=False)


def examples(
    name: str, data: object, sizes: Sequence[int], dtype: DTypeLike
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """Training examples, (X, Y) or (x, y) pairs, as inputs (n_0, m) and targets (n_L, m)."""
    X, Y = split(name, data)
    return batch((f"{name} inputs", f"{name} targets"), X, Y, sizes, dtype)


def labelled(
    name: str, data: object, sizes: Sequence[int], dtype: DTypeLike
) -> tuple[NDArray[np.floating], NDArray[np.intp]]:
    """Test examples as inputs (n_0, m) and one integer label per input.

    A target is an integer label or a one-hot column; a column's label is the
    row of its largest entry.
    """
    X_, Y_ = split(name, data, labels=True)
    X = columns(f"{name} inputs", X_, rows=sizes[0])
    Y = np.asarray(Y_)
    if Y.ndim == 2 and Y.shape[0] == sizes[-1]:
        found = np.argmax(float_array(f"{name} targets", Y), axis=0)
    elif Y.ndim == 1 and np.issubdtype(Y.dtype, np.integer):
        found = labels(f"{name} labels", Y, sizes[-1])
    else:
        raise ValueError(
            f"{name} targets must be integer labels of shape (n,) or one-hot columns "
            f"({sizes[-1]}, n), got shape {Y.shape} and dtype {Y.dtype}"
        )
    if X.shape[1] != found.size:
        raise ValueError(
            f"{name} inputs and {name} targets must have as many columns (one per "
            f"example), got {X.shape[1]} and {found.size}"
        )
    return X.astype(dtype, copy=False), found


def training(
    net: Any, training_data: object, test_data: object
) -> tuple[
    NDArray[np.floating],
    NDArray[np.floating],
    tuple[NDArray[np.floating], NDArray[np.intp]] | None,
]:
    """SGD's data, checked once per run: training (X, Y), and test (X, labels) if any.

    `net` is the network to train (its sizes, dtype, weights and biases); its
    parameters must be finite and writeable, since training updates them in place.
    """
    parameters(net.sizes, net.weights, net.biases, writeable=True)
    X, Y = examples("training_data", training_data, net.sizes, net.dtype)
    if test_data is None:
        return X, Y, None
    return X, Y, labelled("test_data", test_data, net.sizes, net.dtype)
