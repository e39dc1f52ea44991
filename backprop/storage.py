"""A network's parameters outside the network: in a file, or in another dtype.

:func:`save` writes a network to a ``.npz`` file and :func:`load` reads it back,
refusing any file whose arrays do not fit the stored sizes; :func:`astype`
copies a network into another floating-point type.

>>> import tempfile, pathlib
>>> net = Network([3, 4, 2], seed=0)
>>> with tempfile.TemporaryDirectory() as folder:
...     file = pathlib.Path(folder) / "net.npz"
...     save(net, file)
...     again = load(file)
>>> all(np.array_equal(p, q) for p, q in zip(net.weights + net.biases,
...                                          again.weights + again.biases))
True
"""

from __future__ import annotations

import copy
import os

import numpy as np
from numpy.typing import DTypeLike

from backprop import _checks
from backprop.network import Network

__all__ = ["astype", "load", "save"]


def save(net: Network, path: str | os.PathLike[str]) -> None:
    """Write `net` to a ``.npz`` file: its sizes, dtype, weights and biases."""
    arrays = {f"W{l}": W for l, W in enumerate(net.weights, start=1)}
    arrays |= {f"b{l}": b for l, b in enumerate(net.biases, start=1)}
    np.savez(path, sizes=np.array(net.sizes), dtype=np.array(net.dtype.name), **arrays)


def load(
    path: str | os.PathLike[str], seed: int | np.random.Generator | None = None
) -> Network:
    """A network read from a file written by :func:`save`.

    Every array must have the shape that the stored sizes call for, and be
    finite; anything else is refused with the name of the array at fault.
    `seed` seeds the generator used by :meth:`Network.SGD` from here on.
    """
    # The raises below are kept here: they are about the file's contents.
    with np.load(path, allow_pickle=False) as stored:
        missing = {"sizes", "dtype"} - set(stored.files)
        if missing:
            raise ValueError(f"{path}: not a saved network, no {sorted(missing)}")
        net = Network(
            [int(n) for n in stored["sizes"]], seed=seed, dtype=str(stored["dtype"])
        )
        for name, params in (("W", net.weights), ("b", net.biases)):
            for l, expected in enumerate(params, start=1):
                key = f"{name}{l}"
                if key not in stored.files:
                    raise ValueError(f"{path}: {key} is missing for sizes {net.sizes}")
                array = _checks.float_array(f"{path}: {key}", stored[key])
                if array.shape != expected.shape:
                    raise ValueError(
                        f"{path}: {key} has shape {array.shape}, but sizes {net.sizes} "
                        f"need {expected.shape}"
                    )
                params[l - 1] = array.astype(net.dtype)
        extra = (
            set(stored.files)
            - {"sizes", "dtype"}
            - {f"{n}{l}" for n in "Wb" for l in range(1, net.num_layers)}
        )
        if extra:
            raise ValueError(
                f"{path}: unexpected arrays {sorted(extra)} for sizes {net.sizes}"
            )
    return net


def astype(net: Network, dtype: DTypeLike) -> Network:
    """A copy of `net` with its parameters, and its arithmetic, in `dtype`.

    >>> astype(Network([2, 3, 1], seed=0), np.float32).weights[0].dtype
    dtype('float32')
    """
    twin = copy.copy(net)
    twin.dtype = _checks.floating_type(dtype)
    twin.weights = [W.astype(twin.dtype) for W in net.weights]
    twin.biases = [b.astype(twin.dtype) for b in net.biases]
    twin.rng = copy.deepcopy(net.rng)
    return twin
