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
  vectorises, and without which fusion would lose to NumPy's five passes;
* **one pass to update**: W^l − (η/m) δ^l (a^(l−1))^T is one BLAS product
  that subtracts from W^l as it goes (:func:`_descend`), where a product into
  an array of its own, a difference and a copy back make three passes over
  W^l. It is taken when no entry can overflow (:func:`_safe`, one read of
  each array); otherwise NumPy makes the new parameters aside, and
  :func:`backprop.network.commit` commits them only if every entry is finite.

The matrix products stay with BLAS, which no loop written here would beat:
numba calls it for ``np.dot``, and the update calls its ``?gemm`` through the
same helper of numba's, for the factors α and β that ``np.dot`` fixes at 1 and 0.

>>> import numpy as np
>>> from backprop.network import Network
>>> net = Network([4, 3, 2], seed=0)
>>> X, Y = np.full((4, 5), 0.5), np.eye(2)[:, [0, 1, 0, 1, 1]]
>>> plain = Network([4, 3, 2], seed=0)
>>> plain.update_mini_batch((X, Y), eta=1.0)
>>> step(net, X, Y, 1.0, Work(net, X.shape[1]))
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
from backprop.network import commit

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
#: BLAS's matrix product C ← αAB + βC, as numba's own np.dot calls it: numba's
#: helper finds SciPy's ?gemm for the kind 'd' (float64) or 's' (float32).
DOUBLE, SINGLE, AS_IT_IS, TRANSPOSED = ord("d"), ord("s"), ord("n"), ord("t")
_T = numba.types
_gemm: Any = _T.ExternalFunction(
    "numba_xxgemm",
    _T.intc(
        _T.char,  # kind
        _T.char,  # A as it is ('n') or transposed ('t')
        _T.char,  # B likewise
        *[_T.intp] * 3,  # M, N, K: C is M × N, A is M × K, B is K × N
        *[_T.voidptr, _T.voidptr, _T.intp],  # &α, A, A's leading dimension
        *[_T.voidptr, _T.intp],  # B, its leading dimension
        *[_T.voidptr, _T.voidptr, _T.intp],  # &β, C, C's leading dimension
    ),
)


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


# --8<-- [start:descend]
@jit
def _descend(W: Array, b: Array, delta: Array, a_in_T: Array) -> None:
    """W ← W − δ a^T and b ← b − Σ_x δ in place, eqs. (35), (36) and (19), with
    η/m in δ, given a^T as `a_in_T`, C- or Fortran-ordered.

    W − δ a^T is one BLAS product C ← αAB + βC with α = −1 and β = 1. BLAS
    counts in columns, so it is given the transposes: W^T − (a^T)^T δ^T.
    """
    n, k, m = W.shape[0], W.shape[1], delta.shape[1]
    by_rows = a_in_T.flags.c_contiguous
    factors = np.array([-1.0, 1.0], W.dtype)  # α, β
    failed = _gemm(
        DOUBLE if W.itemsize == 8 else SINGLE,
        AS_IT_IS if by_rows else TRANSPOSED,  # A = (a^T)^T, k × m
        AS_IT_IS,  # B = δ^T, m × n
        k,
        n,
        m,
        factors[0:].ctypes,  # α
        a_in_T.ctypes,
        k if by_rows else m,
        delta.ctypes,
        m,
        factors[1:].ctypes,  # β
        W.ctypes,  # C = W^T, k × n
        k,
    )
    if failed:
        raise RuntimeError("BLAS refused the product")
    for i in range(n):
        s = b.dtype.type(0)
        for j in range(m):
            s += delta[i, j]
        b[i, 0] -= s
        # --8<-- [end:descend]


@jit
def _within(a: Array, bound: float) -> bool:
    """Whether the entries of a, C-ordered, sum to at most `bound` in size; then
    none is larger, and none is NaN or ±∞, which make the sum NaN or ∞."""
    total = a.dtype.type(0)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            total += abs(a[i, j])
    return bool(total <= bound)


@jit
def _safe(weights: Any, biases: Any, X_T: Array, deltas: Any, bound: float) -> bool:
    """Whether updating in place cannot make a NaN or ∞: the entries of each W^l,
    b^l, δ^l and of X sum in size to at most `bound`, where m · bound² is at
    most an eighth of the largest float.

    Then no entry of δ^l (a^(l−1))^T is larger than m · bound², since
    a^l = σ(z^l) lies in [0, 1] for l ≥ 1 (and a NaN in a^l makes δ^l NaN),
    and no entry of W^l minus it is larger than a quarter of the largest float.
    """
    X_ok = _within(X_T, bound) if X_T.flags.c_contiguous else _within(X_T.T, bound)
    if not X_ok:
        return False
    for l in range(len(weights)):
        W, b, delta = weights[l], biases[l], deltas[l]
        if not (_within(delta, bound) and _within(b, bound) and _within(W, bound)):
            return False
    return True


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
    bound: float,
) -> bool:
    """One step, eq. (19), with η/m folded into δ^L, updating the parameters in
    place if no entry can overflow. Returns whether it did; if not, nothing has
    changed, and the activations and errors are in `activations` and `deltas`.
    X_T is X^T, which the last product, δ^1 X^T, reads."""
    L = len(weights)
    _layer(weights[0], X, biases[0], activations[0])
    for l in range(1, L):
        _layer(weights[l], activations[l - 1], biases[l], activations[l])
    _output_error(activations[L - 1], Y, scale, deltas[L - 1])
    for l in range(L - 1, 0, -1):
        _hidden_error(weights[l], deltas[l], activations[l - 1], deltas[l - 1])
    if not _safe(weights, biases, X_T, deltas, bound):
        return False
    _descend(weights[0], biases[0], deltas[0], X_T)
    for l in range(1, L):
        _descend(weights[l], biases[l], deltas[l], activations[l - 1].T)
    return True
    # --8<-- [end:step]


class Work:
    """The arrays a compiled step writes, for mini-batches of m examples of `net`."""

    def __init__(self, net: Parameters, m: int) -> None:
        self.m, self.dtype = m, net.dtype
        self.activations = tuple(np.empty((n, m), net.dtype) for n in net.sizes[1:])
        self.deltas = tuple(np.empty((n, m), net.dtype) for n in net.sizes[1:])
        #: Entries at most this large cannot overflow an update (see _safe).
        self.bound = float(np.sqrt(np.finfo(net.dtype).max / (8 * m)))
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


def step(net: Parameters, X: Array, Y: Array, eta: float, work: Work) -> None:
    """One SGD step, eq. (19), on the checked mini-batch X, Y, compiled.

    If the step is not finite, FloatingPointError is raised and nothing changes
    (:func:`backprop.network.commit`).
    """
    # δ^1 X^T: BLAS reads X^T faster row by row when the mini-batch is narrow;
    # a wide one it copies into blocks of its own anyway.
    if X.flags.f_contiguous or X.shape[1] > NARROW:
        X_T = X.T
    else:
        X_T = _transpose(X, work.X_T)
    done = _step(
        tuple(net.weights),
        tuple(net.biases),
        X,
        X_T,
        Y,
        eta / X.shape[1],
        work.activations,
        work.deltas,
        work.bound,
    )
    if not done:
        _careful(net, X_T, eta, work)


def _careful(net: Parameters, X_T: Array, eta: float, work: Work) -> None:
    """The update of a step that _step would not make in place, in NumPy: the new
    parameters are made aside and committed only if every entry is finite. Rare,
    and kept out of compiled code, which would compile it again for every depth
    of network."""
    inputs = [X_T, *(a.T for a in work.activations[:-1])]
    with np.errstate(over="ignore", invalid="ignore"):
        layers = zip(net.weights, work.deltas, inputs, strict=True)
        new_weights = [W - delta @ a_T for W, delta, a_T in layers]
        new_biases = [
            b - delta.sum(axis=1, keepdims=True)
            for b, delta in zip(net.biases, work.deltas, strict=True)
        ]
    commit(net.weights + net.biases, new_weights + new_biases, eta)
