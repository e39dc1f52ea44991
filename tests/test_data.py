"""Data loaders: the package's digits, MNIST from IDX files and from the pickle."""

from __future__ import annotations

import gzip
import importlib.util
import pickle
import struct
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from backprop.data import (
    DIGITS,
    Dataset,
    digits_npz,
    load_digits,
    load_mnist_idx,
    load_mnist_pickle,
    one_hot,
    read_idx,
)


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> Path:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        struct.pack(">I", n) for n in array.shape
    )
    raw = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


@pytest.fixture
def idx_files(tmp_path: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 5, dtype=np.uint8)
    return (
        write_idx(tmp_path / "images-idx3-ubyte.gz", images, compress=True),
        write_idx(tmp_path / "labels-idx1-ubyte", labels),
        images,
        labels,
    )


def test_digits_are_scaled_split_and_fixed_by_the_seed() -> None:
    train, test = load_digits()
    assert (len(train), len(test)) == (1500, 297)
    assert train.X.shape == (64, 1500)
    assert train.X.min() == 0.0
    assert train.X.max() == 1.0
    assert set(np.unique(train.labels)) == set(range(10))
    again, _ = load_digits()
    assert_array_equal(train.X, again.X)
    other, _ = load_digits(seed=1)
    assert not np.array_equal(train.labels, other.labels)
    _, Y = train.arrays
    assert Y.shape == (10, 1500)
    assert_array_equal(np.argmax(Y, axis=0), train.labels)
    x, y = train.pairs()[7]
    assert x.shape == (64, 1)
    assert y.shape == (10, 1)
    with pytest.raises(ValueError, match="test_size must be between 1 and 1796"):
        load_digits(test_size=1797)


def test_the_packaged_digits_are_scikit_learns_byte_for_byte() -> None:
    sklearn = pytest.importorskip("sklearn.datasets")
    digits = sklearn.load_digits()
    written = digits_npz(digits.data.T / 16.0, digits.target)
    shipped = resources.files("backprop").joinpath(DIGITS).read_bytes()
    # If scikit-learn's copy ever changes, write the new file with
    # Path("backprop/digits.npz").write_bytes(written), and say so in CHANGELOG.md.
    assert shipped == written
    assert written == digits_npz(digits.data.T / 16.0, digits.target)  # reproducible
    train, test = load_digits()
    order = np.random.default_rng(0).permutation(1797)
    assert_array_equal(test.X, digits.data[order[:297]].T / 16.0)
    assert_array_equal(train.labels, digits.target[order[297:]])


def test_pixels_that_are_not_sixteenths_are_refused() -> None:
    with pytest.raises(ValueError, match="k/16"):
        digits_npz(np.full((64, 2), 0.3), np.array([0, 1]))


def test_idx_files_load_plain_or_compressed(idx_files: tuple) -> None:
    images_path, labels_path, images, labels = idx_files
    data = load_mnist_idx(images_path, labels_path)
    assert data.X.shape == (784, 5)
    assert_array_equal(data.labels, labels)
    assert_array_equal(np.round(data.X[:, 2] * 255).astype(np.uint8), images[2].ravel())
    assert_array_equal(read_idx(labels_path), labels)


def test_idx_problems_get_clear_errors(idx_files: tuple, tmp_path: Path) -> None:
    images_path, labels_path, images, _ = idx_files
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_mnist_idx(tmp_path / "missing", labels_path)
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x12\x34\x56\x78rest")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(bad)
    short = tmp_path / "short"
    short.write_bytes(write_idx(tmp_path / "x", images).read_bytes()[:-10])
    with pytest.raises(ValueError, match=r"the header promises shape \(5, 28, 28\)"):
        read_idx(short)
    few = write_idx(tmp_path / "few", np.arange(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="expected 5 labels for 5 images"):
        load_mnist_idx(images_path, few)
    with pytest.raises(ValueError, match="images must have 3 dimensions"):
        load_mnist_idx(labels_path, labels_path)
    broken = tmp_path / "broken.gz"
    broken.write_bytes(b"\x1f\x8b" + b"not gzip at all")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        read_idx(broken)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_the_mnist_pickle_loads(tmp_path: Path, protocol: int) -> None:
    rng = np.random.default_rng(1)
    parts = tuple(
        (rng.uniform(0, 1, (n, 784)).astype(np.float32), rng.integers(0, 10, n))
        for n in (6, 2, 3)
    )
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(pickle.dumps(parts, protocol=protocol)))
    train, valid, test = load_mnist_pickle(path)
    assert (len(train), len(valid), len(test)) == (6, 2, 3)
    assert_array_equal(train.X, parts[0][0].T.astype(np.float64))
    assert_array_equal(test.labels, parts[2][1])


DATA = Path(__file__).resolve().parent / "data"


def _fixture_parts() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    spec = importlib.util.spec_from_file_location(
        "make_mnist_pickles", DATA / "make_mnist_pickles.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parts: tuple[tuple[np.ndarray, np.ndarray], ...] = module.parts()
    return parts


@pytest.mark.parametrize("numpy_major", [1, 2])
@pytest.mark.parametrize("protocol", [2, 5])
def test_a_pickle_from_either_numpy_loads_under_this_one(
    numpy_major: int, protocol: int
) -> None:
    # Files written by tests/data/make_mnist_pickles.py under NumPy 1.26 and 2.x:
    # NumPy 1 names numpy.core in the pickle, NumPy 2 numpy._core. make
    # test-lowest runs this under NumPy 1, make test under NumPy 2.
    path = DATA / f"mnist-numpy{numpy_major}-protocol{protocol}.pkl.gz"
    raw = gzip.decompress(path.read_bytes())
    core = "numpy.core" if numpy_major == 1 else "numpy._core"
    assert core.encode() in raw
    loaded = load_mnist_pickle(path)
    for dataset, (pixels, labels) in zip(loaded, _fixture_parts(), strict=True):
        assert_array_equal(dataset.X, pixels.T.astype(np.float64))
        assert_array_equal(dataset.labels, labels)
        assert dataset.X.dtype == np.float64


class Hostile:
    def __reduce__(self) -> tuple:
        return (print, ("this should never run",))


def test_a_pickle_that_runs_code_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Hostile()))
    with pytest.raises(ValueError, match=r"refusing to load builtins\.print"):
        load_mnist_pickle(path)
    assert capsys.readouterr().out == ""


def test_a_malformed_pickle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.pkl"
    path.write_bytes(pickle.dumps((np.zeros((2, 3)), np.zeros(2))))
    with pytest.raises(ValueError, match=r"expected \(training, validation, test\)"):
        load_mnist_pickle(path)
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a readable MNIST pickle"):
        load_mnist_pickle(path)


def test_one_hot_and_dataset_checks() -> None:
    assert_array_equal(one_hot(np.array([1, 0]), 2), [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.2"):
        one_hot(np.array([3]), 3)
    with pytest.raises(ValueError, match="X must be"):
        Dataset(np.zeros((4, 3)), np.zeros(2, dtype=np.intp), 10)
