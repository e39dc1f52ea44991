"""Data sets in the network's format: one example per column, targets one-hot.

* :func:`load_digits`: 1,797 handwritten digits of 8×8 pixels, which ship inside
  this package (``backprop/digits.npz``, 45 KB), so nothing is downloaded and
  nothing else is installed. They are the digits scikit-learn ships, the test
  set of the UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin
  and C. Kaynak, 1998; CC BY 4.0); a test holds the file equal to
  scikit-learn's copy.
* :func:`load_mnist_idx` and :func:`load_mnist_pickle`: MNIST from files you already
  have, in the original IDX format or as the ``mnist.pkl.gz`` pickle of Nielsen's
  book. There is no download code here.

Each loader returns :class:`Dataset` objects; ``dataset.arrays`` is the ``(X, Y)``
pair that :meth:`~backprop.network.Network.SGD` takes for training, and
``dataset.labelled`` the ``(X, labels)`` pair that
:meth:`~backprop.network.Network.evaluate` takes; ``dataset.pairs()`` gives the
essay's list of ``(x, y)`` columns.
"""

from __future__ import annotations

import gzip
import importlib
import io
import pickle
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from backprop import _checks
from backprop._types import Array

__all__ = [
    "Dataset",
    "digits_npz",
    "load_digits",
    "load_mnist_idx",
    "load_mnist_pickle",
    "one_hot",
    "read_digits",
    "split_digits",
]

#: The digits' file inside the package.
DIGITS = "digits.npz"
# The date of every entry of the file: the earliest a zip can hold, so that the
# same digits give the same bytes (and the same sha256) every time.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def one_hot(labels: NDArray[np.integer], classes: int) -> Array:
    """Targets as columns: column i is all zeros but a one in row labels[i].

    >>> print(one_hot(np.array([2, 0]), 3))
    [[0. 1.]
     [0. 0.]
     [1. 0.]]
    """
    labels = _checks.labels("labels", labels, classes)
    targets = np.zeros((classes, labels.size))
    targets[labels, np.arange(labels.size)] = 1.0
    return targets


@dataclass(frozen=True)
class Dataset:
    """Inputs X (n_in, n), one example per column, and their integer labels (n,)."""

    X: Array
    labels: NDArray[np.intp]
    classes: int

    def __post_init__(self) -> None:  # kept here: the dataclass checks its own fields
        if self.X.ndim != 2 or self.labels.shape != (self.X.shape[1],):
            raise ValueError(
                f"X must be (n_in, n) and labels (n,), got {self.X.shape} and {self.labels.shape}"
            )

    def __len__(self) -> int:
        return int(self.X.shape[1])

    @property
    def Y(self) -> Array:
        """One-hot targets (classes, n)."""
        return one_hot(self.labels, self.classes)

    @property
    def arrays(self) -> tuple[Array, Array]:
        """``(X, Y)``, the form :meth:`Network.SGD` and ``update_mini_batch`` take."""
        return self.X, self.Y

    @property
    def labelled(self) -> tuple[Array, NDArray[np.intp]]:
        """``(X, labels)``, the form :meth:`Network.evaluate` takes."""
        return self.X, self.labels

    def pairs(self) -> list[tuple[Array, Array]]:
        """The essay's form: a list of ``(x, y)`` pairs of columns."""
        Y = self.Y
        return [(self.X[:, [i]], Y[:, [i]]) for i in range(len(self))]


# --8<-- [start:digits]
def load_digits(test_size: int = 297, seed: int = 0) -> tuple[Dataset, Dataset]:
    """The 1,797 handwritten digits that ship in the package, as (training set, test set).

    Each 8×8 image becomes a column of 64 values scaled from 0..16 to [0, 1]. A
    permutation drawn from `seed` puts `test_size` of them in the test set and
    the rest in the training set, so the split is fixed by the seed.
    """
    with resources.files("backprop").joinpath(DIGITS).open("rb") as file:
        return read_digits(file, test_size, seed)
    # --8<-- [end:digits]


def read_digits(
    file: IO[bytes], test_size: int = 297, seed: int = 0
) -> tuple[Dataset, Dataset]:
    """The digits of a file that :func:`digits_npz` wrote, split by :func:`split_digits`."""
    with np.load(file, allow_pickle=False) as arrays:
        return split_digits(arrays["pixels"], arrays["labels"], test_size, seed)


def digits_npz(X: NDArray[np.float64], labels: NDArray[np.integer]) -> bytes:
    """The digits as the bytes of a ``.npz`` file: the pixels 0..16 and the labels, as bytes.

    `X` is (64, n), one image per column scaled to [0, 1], as
    :func:`load_digits` gives it; the file holds ``pixels`` (n, 64) = 16·X.T and
    ``labels`` (n,), both ``uint8``, so that 1,797 images take 45 KB once
    compressed, and the same digits give the same bytes.

    >>> X = np.arange(64 * 5).reshape(64, 5) % 17 / 16.0
    >>> train, test = read_digits(io.BytesIO(digits_npz(X, np.arange(5))), 2, seed=0)
    >>> len(train), len(test), bool(np.isin(train.X, X).all())
    (3, 2, True)
    """
    pixels = np.rint(16.0 * np.asarray(X, dtype=np.float64).T)
    if X.shape[0] != 64 or not np.array_equal(pixels / 16.0, np.asarray(X).T):
        raise ValueError(
            f"X must be (64, n) with values k/16, got {X.shape}, values not all k/16"
        )
    arrays = {"pixels": pixels.astype(np.uint8), "labels": np.asarray(labels, np.uint8)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def split_digits(
    pixels: NDArray[Any], labels: NDArray[Any], test_size: int, seed: int
) -> tuple[Dataset, Dataset]:
    """The digits as (training set, test set): one image per row of `pixels`
    (0..16), scaled to [0, 1] and stored one per column; a permutation drawn
    from `seed` puts `test_size` images in the test set.

    >>> train, test = split_digits(np.full((10, 64), 16), np.arange(10), 3, seed=0)
    >>> train.X.shape, test.X.shape, float(train.X.max())
    ((64, 7), (64, 3), 1.0)
    >>> sorted(train.labels.tolist() + test.labels.tolist()) == list(range(10))
    True
    """
    X = pixels.T.astype(np.float64) / 16.0
    labels = labels.astype(np.intp)
    if not 0 < test_size < labels.size:  # kept here: the bound is the data's size
        raise ValueError(
            f"test_size must be between 1 and {labels.size - 1}, got {test_size}"
        )
    order = np.random.default_rng(seed).permutation(labels.size)
    test, train = order[:test_size], order[test_size:]
    return Dataset(X[:, train], labels[train], 10), Dataset(
        X[:, test], labels[test], 10
    )


# -- MNIST from local files -------------------------------------------------------------

_IDX_TYPES: dict[int, str] = {
    0x08: "u1",
    0x09: "i1",
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


def _read_bytes(path: str | Path) -> bytes:
    # This raise and those of the readers below are kept here: they are about
    # the files' contents, not the form of an argument.
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(f"{path}: not a valid gzip file ({error})") from None
    return raw


def read_idx(path: str | Path) -> NDArray[Any]:
    """An array from an IDX file (the MNIST format), plain or gzip-compressed.

    The header is two zero bytes, a type code, the number of dimensions d, then
    d big-endian 32-bit sizes; the values follow.
    """
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: IDX header cut short")
    shape = tuple(
        int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)
    )
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{path}: the header promises shape {shape} ({expected} bytes), the file has {len(raw)}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def load_mnist_idx(images: str | Path, labels: str | Path) -> Dataset:
    """MNIST images and labels from a pair of IDX files (``.gz`` or not).

    Images (n, rows, cols) of bytes become columns of rows·cols values in [0, 1].
    """
    pixels, digits = read_idx(images), read_idx(labels)
    if pixels.ndim != 3:
        raise ValueError(
            f"{images}: images must have 3 dimensions (n, rows, cols), got {pixels.shape}"
        )
    if digits.ndim != 1 or digits.shape[0] != pixels.shape[0]:
        raise ValueError(
            f"{labels}: expected {pixels.shape[0]} labels for {pixels.shape[0]} images, "
            f"got shape {digits.shape}"
        )
    X = pixels.reshape(pixels.shape[0], -1).T.astype(np.float64) / 255.0
    return Dataset(X, digits.astype(np.intp), 10)


class _ArraysOnly(pickle.Unpickler):
    """Unpickles NumPy arrays and plain containers, and refuses anything else."""

    ALLOWED = frozenset(
        {
            ("numpy", "ndarray"),
            ("numpy", "dtype"),
            ("numpy.core.multiarray", "_reconstruct"),  # arrays, pickled by NumPy 1
            ("numpy._core.multiarray", "_reconstruct"),  # arrays, pickled by NumPy 2
            ("numpy.core.numeric", "_frombuffer"),  # protocol 5 arrays
            ("numpy._core.numeric", "_frombuffer"),
            ("_codecs", "encode"),  # raw bytes in protocol 2
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name} from a data file"
            )
        package, _, rest = module.partition(".")
        if package == "numpy" and rest.startswith(("core.", "_core.")):
            # NumPy 2 renamed numpy.core to numpy._core (the old name still
            # imports, with a warning); NumPy 1 has numpy.core only. A file
            # pickled under either loads under either.
            module = f"{_CORE}.{rest.partition('.')[2]}"
        return getattr(importlib.import_module(module), name)


_CORE = "numpy._core" if int(np.__version__.split(".")[0]) >= 2 else "numpy.core"


def load_mnist_pickle(path: str | Path) -> tuple[Dataset, Dataset, Dataset]:
    """Training, validation and test sets from Nielsen's ``mnist.pkl.gz``.

    The file holds three (images, labels) pairs, images as rows of 784 floats in
    [0, 1]. Only NumPy arrays are unpickled: a file asking for anything else is
    refused, so a hostile pickle cannot run code.
    """
    raw = _read_bytes(path)
    try:
        content = _ArraysOnly(io.BytesIO(raw), encoding="latin1").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise ValueError(f"{path}: not a readable MNIST pickle ({error})") from None
    if not (isinstance(content, tuple) and len(content) == 3):
        raise ValueError(
            f"{path}: expected (training, validation, test), got {type(content).__name__}"
        )
    sets = []
    for part, name in zip(content, ("training", "validation", "test"), strict=True):
        if not (isinstance(part, tuple) and len(part) == 2):
            raise ValueError(f"{path}: the {name} set is not an (images, labels) pair")
        images, labels = np.asarray(part[0]), np.asarray(part[1])
        if images.ndim != 2 or labels.shape != (images.shape[0],):
            raise ValueError(
                f"{path}: the {name} set has images {images.shape} and labels {labels.shape}"
            )
        sets.append(Dataset(images.T.astype(np.float64), labels.astype(np.intp), 10))
    return sets[0], sets[1], sets[2]
