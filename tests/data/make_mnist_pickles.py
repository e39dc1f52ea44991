"""Write the small MNIST-format pickles that tests/test_data.py loads.

Run it once under NumPy 1 and once under NumPy 2 (the file names say which):

    python tests/data/make_mnist_pickles.py

NumPy 1 pickles arrays through ``numpy.core.multiarray``, NumPy 2 through
``numpy._core.multiarray``; the loader must read both under either NumPy.
Protocol 2 is the protocol of the book's ``mnist.pkl.gz``; protocol 5 pickles
array data through ``numpy.core.numeric._frombuffer`` instead.
"""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PROTOCOLS = (2, 5)


def parts() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """(training, validation, test): images as rows of 4 float32 pixels, labels."""
    sets = []
    start = 0
    for n in (3, 1, 2):
        pixels = np.arange(start, start + 4 * n, dtype=np.float32).reshape(n, 4) / 32
        labels = np.arange(start, start + n, dtype=np.int64) % 10
        sets.append((pixels, labels))
        start += 4 * n
    return tuple(sets)


def main() -> None:
    major = int(np.__version__.split(".")[0])
    for protocol in PROTOCOLS:
        path = HERE / f"mnist-numpy{major}-protocol{protocol}.pkl.gz"
        raw = pickle.dumps(parts(), protocol=protocol)
        path.write_bytes(gzip.compress(raw, mtime=0))
        print(path.name, len(raw), "bytes pickled")


if __name__ == "__main__":
    main()
