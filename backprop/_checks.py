"""Input checks shared by the public entry points.

Every check raises an error that names the argument, what was expected and what
was given, so that a wrong shape never turns into a NumPy broadcasting surprise.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike, NDArray


def float_array(name: str, value: ArrayLike) -> NDArray[np.floating]:
    """`value` as a floating-point array with only finite entries."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        array = value  # the common case, kept fast: training calls this every step
    else:
        array = _as_real(name, value)
    # One sum finds any NaN or infinity (they survive addition); only when it is
    # not finite does the slower search for the culprit run.
    if not math.isfinite(float(np.add.reduce(array, axis=None))):
        bad = ~np.isfinite(array)
        if not bad.any():  # finite entries whose sum overflowed: fine
            return array
        where = tuple(int(i) for i in np.argwhere(bad)[0])
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
    name: str, value: ArrayLike, rows: int | None = None
) -> NDArray[np.floating]:
    """`value` as a 2-D array of columns, ``(rows, m)``; a 1-D array is rejected.

    A flat vector of shape ``(n,)`` is ambiguous (one example or n examples?) and
    broadcasts against an ``(n, 1)`` column into an ``(n, n)`` matrix; it is
    refused with a message that says how to make it a column.
    """
    array = float_array(name, value)
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


def same_shape(
    name_a: str, a: NDArray[np.floating], name_b: str, b: NDArray[np.floating]
) -> None:
    """Refuse two arrays whose shapes differ, instead of broadcasting them."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape,"
            f" got {a.shape} and {b.shape}"
        )


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
