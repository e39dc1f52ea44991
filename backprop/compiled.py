"""The trainer's SGD step compiled with numba: one call per mini-batch.

Installed with the extra ``backprop-checked[compiled]``; without numba the
package works as before, and :class:`backprop.training.Trainer` takes its NumPy
step. This module imports numba, so it is imported only when a trainer takes a
compiled step (``import backprop`` never loads it).

The step is the trainer's NumPy step, eqs. (7), (8) and (33) to (36) with η/m
folded into δ^L, written as loops that numba compiles to machine code. What the
compiler removes, each measured on the performance page:

* **dispatch**: the NumPy step is about thirty calls into NumPy, each paying
  Python's and NumPy's fixed price; here the whole step is one call;
* **temporaries**: ``delta *= 1.0 - a`` makes a whole array for ``1.0 - a``
  before it multiplies; a loop keeps each entry in a register;
* **fusion**: a^l = σ(W^l a^(l−1) + b^l) adds the bias and applies σ in the
  same pass over the product, and δ^L = (a^L − y) a^L (1 − a^L) η/m is one
  pass where NumPy makes four;
* **a vectorised e^t**: numba would call the C library's ``exp`` once per
  entry, so σ's pass uses :func:`_exp`, plain arithmetic that the compiler
  vectorises, and without which fusion would lose to NumPy's five passes.

The matrix products stay with BLAS (numba calls it for ``np.dot``), which no
loop written here would beat.

>>> import numpy as np
>>> from backprop.network import Network
>>> net = Network([4, 3, 2], seed=0)
>>> X, Y = np.full((4, 5), 0.5), np.eye(2)[:, [0, 1, 0, 1, 1]]
>>> plain = Network([4, 3, 2], seed=0)
>>> plain.update_mini_batch((X, Y), eta=1.0)
>>> work = Work(net, X.shape[1])
>>> step(net, X, Y, 1.0, work)
True
>>> all(np.allclose(p, q, rtol=1e-12, atol=1e-12)
...     for p, q in zip(net.weights + net.biases, plain.weights + plain.biases))
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numba
import numpy as np
from numba.extending import intrinsic

from backprop._types import Array, Parameters

__all__ = ["Work", "step"]

# Reassociation lets a loop sum several entries at once (SIMD); no flag may assume
# that values are finite, since a NaN or ∞ is what the commit looks for. NumPy's
# error model lets a division by zero give ±∞ or NaN, as in NumPy, instead of
# Python's check for zero before every division, which keeps a loop from being
# vectorised.
FAST = {"reassoc", "contract"}
jit = numba.njit(cache=True, fastmath=FAST, nogil=True, error_model="numpy")
#: For e^t: t is cut to [LOWEST, HIGHEST], where e^t and 2^k stay normal numbers.
LOWEST, HIGHEST = -708.0, 709.0
#: ln 2 in two parts, the first with only 32 significant bits, so that k · LN2_HI
#: is exact for every k here (Cody and Waite's reduction, as in fdlibm).
LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
LOG2_E = 1.4426950408889634
#: The widest mini-batch whose X^T the step copies row by row (see step).
NARROW = 32


def _bit_cast(typingctx: Any, bits: Any) -> Any:
    """The float64 whose 64 bits are those of the int64 `bits`."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], context.get_value_type(numba.float64))

    return numba.float64(numba.int64), codegen


# Called from compiled code as _as_float(bits); numba adds the typing context.
_as_float = cast(Callable[[Any], float], intrinsic(_bit_cast))


# --8<-- [start:exp]
# Reassociation would fold t − k·LN2_HI − k·LN2_LO into t − k·ln 2 and lose the
# low part: e^t is compiled without it.
@numba.njit(cache=True, fastmath={"contract"}, nogil=True, error_model="numpy")
def _exp(t: float) -> float:
    """e^t, as e^t = 2^k e^r with k = round(t / ln 2) and |r| ≤ (ln 2)/2.

    e^r is its Taylor polynomial of degree 13, which is exact to about 6e-18
    there; 2^k is made by writing k + 1023 into the exponent's bits. Unlike the
    C library's exp, which numba calls once per entry, this is plain arithmetic,
    which the compiler vectorises (several entries per instruction). t is cut
    to [-708, 709] first, so a σ that would round to 0 is about 1e-308 instead,
    and a NaN stays NaN.
    """
    t = min(max(t, LOWEST), HIGHEST)
    k = np.floor(t * LOG2_E + 0.5)
    r = t - k * LN2_HI - k * LN2_LO
    p = 1.0 / 6227020800.0  # 1/13!, then Horner's rule down to 1/0!
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    e_t: float = p * _as_float((np.int64(k) + 1023) << 52)
    return e_t
    # --8<-- [end:exp]


# --8<-- [start:layer]
@jit
def _bias_sigmoid(b: Array, a: Array) -> None:
    """a ← σ(a + b), eqs. (7) and (8) after the product, in one pass over a.

    In place, on one array: were the input another argument, which could be the
    same array, the compiler would guard the vectorised loop with a test for
    overlap, and take the loop of one entry at a time whenever it overlaps.
    """
    one = a.dtype.type(1)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = one / (one + _exp(-(a[i, j] + b[i, 0])))


@jit
def _layer(W: Array, a_in: Array, b: Array, a: Array) -> None:
    """a^l = σ(W^l a^(l−1) + b^l): BLAS writes the product into a, then one pass."""
    np.dot(W, a_in, a)
    _bias_sigmoid(b, a)
    # --8<-- [end:layer]


# --8<-- [start:output-error]
@jit
def _output_error(a: Array, Y: Array, scale: float, delta: Array) -> None:
    """(η/m) δ^L = (η/m) (a^L − y) a^L (1 − a^L), eq. (33), in one pass."""
    one, k = a.dtype.type(1), a.dtype.type(scale)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            delta[i, j] = k * (a[i, j] - Y[i, j]) * a[i, j] * (one - a[i, j])
            # --8<-- [end:output-error]


# --8<-- [start:hidden-error]
@jit
def _times_sigma_prime(a: Array, delta: Array) -> None:
    """delta ← delta σ'(z) = delta a (1 − a), eq. (34)'s factor, with no temporary."""
    one = a.dtype.type(1)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            delta[i, j] *= a[i, j] * (one - a[i, j])


@jit
def _hidden_error(W_next: Array, delta_next: Array, a: Array, delta: Array) -> None:
    """δ^l = ((W^(l+1))^T δ^(l+1)) a^l (1 − a^l), eq. (34)."""
    np.dot(W_next.T, delta_next, delta)
    _times_sigma_prime(a, delta)
    # --8<-- [end:hidden-error]


@jit
def _new_parameters(
    W: Array, b: Array, delta: Array, a_in_T: Array, new_W: Array, new_b: Array
) -> Any:
    """W − (η/m) δ a^T and b − (η/m) Σ_x δ, eqs. (35), (36) and (19), into new_W and
    new_b, given a^T as `a_in_T`; returns 0 if every new entry is finite, NaN
    otherwise."""
    np.dot(delta, a_in_T, new_W)  # the step of W^l
    bad = W.dtype.type(0)  # x − x is 0 for finite x and NaN for NaN and ±∞
    for i in range(W.shape[0]):
        s = b.dtype.type(0)
        for j in range(delta.shape[1]):
            s += delta[i, j]
        new_b[i, 0] = b[i, 0] - s
        bad += new_b[i, 0] - new_b[i, 0]
        for k in range(W.shape[1]):
            new_W[i, k] = W[i, k] - new_W[i, k]
            bad += new_W[i, k] - new_W[i, k]
    return bad


# --8<-- [start:step]
@jit
def _transpose(a: Array, out: Array) -> Array:
    """a^T written into out, row by row."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[j, i] = a[i, j]
    return out


@jit
def _step(
    weights: Any,
    biases: Any,
    X: Array,
    X_T: Array,
    Y: Array,
    scale: float,
    activations: Any,
    deltas: Any,
    new_weights: Any,
    new_biases: Any,
) -> bool:
    """One step, eq. (19), with η/m folded into δ^L; the parameters change only if
    every new entry is finite. Returns whether they changed. X_T is X^T, which
    the last product, δ^1 X^T, reads."""
    L = len(weights)
    _layer(weights[0], X, biases[0], activations[0])
    for l in range(1, L):
        _layer(weights[l], activations[l - 1], biases[l], activations[l])
    _output_error(activations[L - 1], Y, scale, deltas[L - 1])
    bad = 0.0
    for l in range(L - 1, 0, -1):
        if l < L - 1:
            _hidden_error(weights[l + 1], deltas[l + 1], activations[l], deltas[l])
        bad += _new_parameters(
            weights[l],
            biases[l],
            deltas[l],
            activations[l - 1].T,
            new_weights[l],
            new_biases[l],
        )
    if L > 1:
        _hidden_error(weights[1], deltas[1], activations[0], deltas[0])
    bad += _new_parameters(
        weights[0], biases[0], deltas[0], X_T, new_weights[0], new_biases[0]
    )
    if bad != 0.0:  # NaN: some new entry is not finite
        return False
    for l in range(L):
        weights[l][...] = new_weights[l]
        biases[l][...] = new_biases[l]
    return True
    # --8<-- [end:step]


class Work:
    """The arrays a compiled step writes, for mini-batches of m examples of `net`."""

    def __init__(self, net: Parameters, m: int) -> None:
        self.m, self.dtype = m, net.dtype
        self.activations = tuple(np.empty((n, m), net.dtype) for n in net.sizes[1:])
        self.deltas = tuple(np.empty((n, m), net.dtype) for n in net.sizes[1:])
        self.new_weights = tuple(np.empty_like(W) for W in net.weights)
        self.new_biases = tuple(np.empty_like(b) for b in net.biases)
        # X^T row by row, for a narrow mini-batch given column by column (below).
        self.X_T = np.empty((m, net.sizes[0]), net.dtype)

    def fits(self, net: Parameters, m: int) -> bool:
        """Whether these arrays serve mini-batches of m examples of `net`."""
        return self.m == m and self.dtype == net.dtype


def usable(net: Parameters, X: Array, Y: Array) -> bool:
    """Whether the compiled step can take these arrays as they are: every parameter
    C-ordered, X and Y each C- or Fortran-ordered."""
    ordered = all(p.flags.c_contiguous for p in net.weights + net.biases)
    return ordered and all(a.flags.c_contiguous or a.flags.f_contiguous for a in (X, Y))


def step(net: Parameters, X: Array, Y: Array, eta: float, work: Work) -> bool:
    """One SGD step, eq. (19), on the checked mini-batch X, Y, compiled.

    Returns False, and changes nothing, if the step is not finite.
    """
    # δ^1 X^T: BLAS reads X^T faster row by row when the mini-batch is narrow
    # (at [784, 30, 10] on 10 examples, 11.8 against 16.5 µs, and 2.6 µs to
    # copy); a wide one it copies into blocks of its own anyway.
    if X.flags.f_contiguous or X.shape[1] > NARROW:
        X_T = X.T
    else:
        X_T = _transpose(X, work.X_T)
    changed: bool = _step(
        tuple(net.weights),
        tuple(net.biases),
        X,
        X_T,
        Y,
        eta / X.shape[1],
        work.activations,
        work.deltas,
        work.new_weights,
        work.new_biases,
    )
    return changed
