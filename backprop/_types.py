"""The types the model, the trainer and the checks share, below all three of them.

:class:`Parameters` is what the trainer needs of a network: its layer widths,
its dtype, its weights and biases, and its random generator.
:class:`backprop.network.Network` has all of them, and the trainer works on
anything that does, so that ``backprop.training`` never imports the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A floating-point array: a parameter, a batch of columns, a gradient.
Array = NDArray[np.floating]
#: Examples: a list of ``(x, y)`` column pairs, or ``(X, Y)`` with one example per column.
Data = Sequence[tuple[ArrayLike, ArrayLike]] | tuple[NDArray[Any], ArrayLike]


class Parameters(Protocol):
    """A network's parameters, as the trainer reads and updates them."""

    sizes: list[int]
    dtype: np.dtype[Any]
    weights: list[Array]
    biases: list[Array]
    rng: np.random.Generator
