"""The types the package's modules share, below all of them: one :data:`Array`.

:class:`Parameters` is what a training workspace needs of a network: its layer
widths, its dtype, its weights and biases, and its random generator, as
:class:`backprop.network.Network` has them.
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
