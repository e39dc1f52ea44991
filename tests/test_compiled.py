"""The trainer's two steps, compiled (backprop.compiled) and NumPy, against the literal one.

``Trainer(net)`` takes the compiled step where numba is installed;
``Trainer(net, compiled=False)`` always takes the NumPy step. Both must equal
``Network.update_mini_batch``, eq. (19), entry by entry, for 1 to 5 layers of
weights, widths 1 to 20, mini-batches of 1 to 16 examples, in float64 (rtol
1e-12) and float32 (rtol 1e-5), whether the batch is C- or Fortran-ordered (the
stepper's batches are Fortran-ordered), and both must refuse a step that is
not finite. Without numba the compiled cases are skipped, and the NumPy ones
still run (make test-lowest has no numba).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.network import Network
from backprop.training import Trainer

RTOL = {np.float64: 1e-12, np.float32: 1e-5}
PATHS = [
    pytest.param(True, id="compiled"),
    pytest.param(False, id="numpy"),
]


def trainer(net: Network, compiled: bool) -> Trainer:
    if compiled:
        pytest.importorskip("numba")
    return Trainer(net, compiled=compiled)


@pytest.mark.parametrize("compiled", PATHS)
@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 20), min_size=2, max_size=6),
    m=st.integers(1, 16),
    eta=st.floats(0.01, 10.0),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from([np.float64, np.float32]),
    fortran=st.booleans(),
)
def test_each_step_equals_the_literal_update_mini_batch(
    compiled: bool,
    sizes: list[int],
    m: int,
    eta: float,
    seed: int,
    dtype: type,
    fortran: bool,
) -> None:
    rng = np.random.default_rng(seed)
    order = "F" if fortran else "C"
    X = np.asarray(rng.uniform(-1.0, 1.0, (sizes[0], m)), dtype, order=order)
    Y = np.asarray(rng.uniform(0.0, 1.0, (sizes[-1], m)), dtype, order=order)
    literal, fast = (Network(sizes, seed=seed, dtype=dtype) for _ in range(2))
    step = trainer(fast, compiled)
    for _ in range(2):  # the second step reuses the trainer's arrays
        literal.update_mini_batch((X, Y), eta)
        step.step(X, Y, eta)
    pairs = zip(
        fast.weights + fast.biases, literal.weights + literal.biases, strict=True
    )
    for p, q in pairs:
        assert p.dtype == q.dtype == dtype
        assert_allclose(p, q, rtol=RTOL[dtype], atol=RTOL[dtype])


@pytest.mark.parametrize("compiled", PATHS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_step_that_is_not_finite_is_refused_and_changes_nothing(
    compiled: bool, dtype: type
) -> None:
    net = Network([5, 4, 3], seed=3, dtype=dtype)
    huge = np.finfo(dtype).max
    X = np.ones((5, 6), dtype)
    X[0] = huge / 4  # with W^1's first column zero, z^1 stays tame,
    net.weights[0][:, 0] = 0.0  # and δ^1 x_0 η/m overflows
    before = [p.copy() for p in net.weights + net.biases]
    Y = np.zeros((3, 6), dtype)
    with pytest.raises(FloatingPointError, match="step is not finite"):
        trainer(net, compiled).step(X, Y, float(huge))
    for p, q in zip(net.weights + net.biases, before, strict=True):
        np.testing.assert_array_equal(p, q)


def test_the_switch_is_what_the_trainer_reports() -> None:
    net = Network([3, 2], seed=0)
    assert not Trainer(net, compiled=False).compiled
    try:
        import numba  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"backprop-checked\[compiled\]"):
            Trainer(net, compiled=True)
        assert not Trainer(net).compiled
    else:
        assert Trainer(net).compiled


def test_without_numba_the_trainer_takes_the_numpy_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "numba", None)  # as if it were not installed
    X, Y = np.full((3, 4), 0.5), np.eye(2)[:, [0, 1, 1, 0]]
    literal, fast = Network([3, 2], seed=0), Network([3, 2], seed=0)
    trainer = Trainer(fast)
    assert not trainer.compiled
    with pytest.raises(ImportError, match=r"backprop-checked\[compiled\]"):
        Trainer(fast, compiled=True)
    trainer.step(X, Y, 2.0)
    literal.update_mini_batch((X, Y), 2.0)
    for p, q in zip(
        fast.weights + fast.biases, literal.weights + literal.biases, strict=True
    ):
        assert_allclose(p, q, rtol=1e-12, atol=1e-12)


def test_import_backprop_and_a_numpy_step_leave_numba_unloaded() -> None:
    code = (
        "import sys, numpy as np, backprop\n"
        "from backprop.network import Network\n"
        "from backprop.training import Trainer\n"
        "net = Network([3, 2], seed=0)\n"
        "Trainer(net, compiled=False).step(np.ones((3, 4)), np.zeros((2, 4)), 1.0)\n"
        "print('numba' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_the_compiled_exponential_is_numpys_to_one_unit_in_the_last_place() -> None:
    # backprop.compiled computes e^t itself, so that the loop of σ vectorises;
    # over the whole range it keeps, and beyond it, it must stay NumPy's e^t to
    # rounding, and σ must stay σ: 0 and 1 at its ends, NaN for NaN.
    compiled = pytest.importorskip("backprop.compiled")
    t = np.concatenate(
        [
            np.linspace(-708.0, 709.0, 100_001),
            np.random.default_rng(0).normal(0, 4, 10_000),
        ]
    )
    ours = np.array([compiled._exp(x) for x in t])
    assert np.max(np.abs(ours - np.exp(t)) / np.spacing(np.exp(t))) <= 1.0
    ends = [-1e300, -800.0, -20.0, 0.0, 20.0, 800.0, np.inf, -np.inf, np.nan]
    # Long rows, so that the vectorised body of the loop, not only its scalar
    # remainder, meets every end (a vector max could turn NaN into a number).
    z = np.tile(ends, (3, 111))
    a = z.copy()
    compiled._bias_sigmoid(np.zeros((3, 1)), a)
    with np.errstate(over="ignore"):
        expected = 1.0 / (1.0 + np.exp(-z))
    assert_allclose(a, expected, rtol=1e-15, atol=1e-300)
    assert np.array_equal(np.isnan(a), np.isnan(z))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
def test_the_update_in_place_is_the_product_subtracted(dtype: type, order: str) -> None:
    # _descend hands W ← W − δ a^T to BLAS in one product (α = −1, β = 1), with
    # a^T either row-major (a copied X^T) or a transposed view (a^(l−1) or X).
    compiled = pytest.importorskip("backprop.compiled")
    rng = np.random.default_rng(7)
    n, k, m = 5, 7, 3
    W, b = (
        rng.standard_normal((n, k)).astype(dtype),
        rng.standard_normal((n, 1)).astype(dtype),
    )
    delta = rng.standard_normal((n, m)).astype(dtype)
    a_T = np.asarray(rng.standard_normal((m, k)), dtype, order=order)
    expected_W, expected_b = W - delta @ a_T, b - delta.sum(axis=1, keepdims=True)
    compiled._descend(W, b, delta, a_T)
    assert_allclose(W, expected_W, rtol=RTOL[dtype], atol=RTOL[dtype])
    assert_allclose(b, expected_b, rtol=RTOL[dtype], atol=RTOL[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_only_entries_that_cannot_overflow_are_updated_in_place(dtype: type) -> None:
    # The in-place update is taken only when no entry of W^l, b^l, δ^l or X
    # could make an ∞ (the sum of their sizes within Work.bound); a NaN, an ∞
    # or a huge entry anywhere sends the step the careful way.
    compiled = pytest.importorskip("backprop.compiled")
    net, m = Network([4, 3, 2], seed=0, dtype=dtype), 5
    bound = compiled.Work(net, m).bound
    assert m * bound**2 <= np.finfo(dtype).max / 4  # with room for rounding
    X_T = np.full((m, 4), 0.5, dtype)
    deltas = tuple(np.full((n, m), 0.01, dtype) for n in (3, 2))

    def safe() -> bool:
        return bool(
            compiled._safe(tuple(net.weights), tuple(net.biases), X_T, deltas, bound)
        )

    assert safe()
    for array, bad in [(X_T, np.nan), (deltas[1], np.inf), (net.weights[0], 2 * bound)]:
        kept = array[0, 0]
        array[0, 0] = bad
        assert not safe()
        array[0, 0] = kept
    assert safe()


@pytest.mark.parametrize("compiled", PATHS)
def test_a_finite_step_with_huge_weights_is_taken_the_careful_way(
    compiled: bool,
) -> None:
    # W^1's first column is 1e200, far beyond Work.bound, and meets only zero
    # inputs: the step is finite and must be taken, equal to the literal one.
    X = np.random.default_rng(2).uniform(0.0, 1.0, (5, 6))
    X[0] = 0.0
    Y = np.zeros((3, 6))
    literal, fast = Network([5, 4, 3], seed=3), Network([5, 4, 3], seed=3)
    for net in (literal, fast):
        net.weights[0][:, 0] = 1e200
    literal.update_mini_batch((X, Y), 3.0)
    trainer(fast, compiled).step(X, Y, 3.0)
    for p, q in zip(
        fast.weights + fast.biases, literal.weights + literal.biases, strict=True
    ):
        assert_allclose(p, q, rtol=1e-12, atol=1e-12)
