"""One SGD step of a sigmoid network with the quadratic cost, in each implementation.

Every ``build_*`` function takes the layer sizes, the mini-batch size m and the
thread count, prepares a network initialised from ``Network(sizes, seed=0)`` and
one mini-batch of MNIST-shaped data (inputs in [0, 1], one-hot targets), and
returns a function that performs one step of eq. (19) in place. The work per step
is identical across implementations: forward pass, backward pass, update.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from backprop.network import Network, multiply_adds
from backprop.reference import update_mini_batch_loop
from backprop.training import Trainer

ETA = 0.5
Step = Callable[[], None]
Build = Callable[[list[int], int, int], Step]


class UnavailableError(Exception):
    """The implementation cannot run here (a library is missing)."""


def batch(sizes: list[int], m: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 1.0, (sizes[0], m))
    Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    return X, Y


def flop_per_step(sizes: list[int], m: int) -> int:
    """Floating-point operations of the matrix products of one step: 2 per multiply-add."""
    forward, backward = multiply_adds(sizes, m)
    return 2 * (forward + backward)


def build_loop(sizes: list[int], m: int, threads: int) -> Step:
    net, (X, Y) = Network(sizes, seed=0), batch(sizes, m)
    return lambda: update_mini_batch_loop(net, X, Y, ETA)


def build_literal(sizes: list[int], m: int, threads: int) -> Step:
    # The step as the chapters derive it, eq. (19), argument checks included.
    net, (X, Y) = Network(sizes, seed=0), batch(sizes, m)
    return lambda: net.update_mini_batch((X, Y), ETA)


def build_trainer(
    dtype: type, compiled: bool | None = None, fixed: int | None = None
) -> Build:
    def build(sizes: list[int], m: int, threads: int) -> Step:
        # Trainer(net).step once per mini-batch, as a reader calls it, checks
        # included: compiled where numba is installed, unless compiled=False;
        # its own thread choice, unless `fixed` threads are asked for.
        net = Network(sizes, seed=0, dtype=dtype)
        if compiled:
            try:
                import numba  # noqa: F401
            except ImportError as error:
                raise UnavailableError(f"numba is not installed ({error})") from None
        trainer = Trainer(net, compiled=compiled, threads=fixed)
        X, Y = (a.astype(dtype) for a in batch(sizes, m))
        return lambda: trainer.step(X, Y, ETA)

    return build


def build_torch(dtype: str) -> Build:
    def build(sizes: list[int], m: int, threads: int) -> Step:
        try:
            import torch
        except ImportError as error:
            raise UnavailableError(f"PyTorch is not installed ({error})") from None
        torch.set_num_threads(threads)
        kind = getattr(torch, dtype)
        net, (X, Y) = Network(sizes, seed=0), batch(sizes, m)
        params = [
            torch.tensor(p, dtype=kind, requires_grad=True)
            for p in net.weights + net.biases
        ]
        L = len(net.weights)
        x, y = torch.tensor(X, dtype=kind), torch.tensor(Y, dtype=kind)

        def step() -> None:
            a = x
            for W, b in zip(params[:L], params[L:], strict=True):
                a = torch.sigmoid(W @ a + b)
            loss = 0.5 * ((a - y) ** 2).sum()  # summed over the batch, like backprop
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= (ETA / m) * p.grad
                    p.grad = None

        return step

    return build


def build_jax(sizes: list[int], m: int, threads: int) -> Step:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as error:
        raise UnavailableError(f"JAX is not installed ({error})") from None
    jax.config.update("jax_enable_x64", True)
    net, (X, Y) = Network(sizes, seed=0), batch(sizes, m)
    L = len(net.weights)
    state = [jnp.asarray(p) for p in net.weights + net.biases]
    x, y = jnp.asarray(X), jnp.asarray(Y)
    # SGD steps per call, about 2e8 FLOP's worth, 1 to 50: lax.scan keeps Python
    # out of the loop, and one call of the largest case stays short.
    chunk = max(1, min(50, int(2e8 // flop_per_step(sizes, m))))

    def cost(params: list) -> jax.Array:
        a = x
        for W, b in zip(params[:L], params[L:], strict=True):
            a = jax.nn.sigmoid(W @ a + b)
        return 0.5 * jnp.sum((a - y) ** 2)

    def one(params: list, _: None) -> tuple[list, None]:
        grads = jax.grad(cost)(params)
        return [p - (ETA / m) * g for p, g in zip(params, grads, strict=True)], None

    run = jax.jit(lambda params: jax.lax.scan(one, params, None, length=chunk)[0])
    holder = {"params": state}

    def step() -> None:
        holder["params"] = run(holder["params"])
        jax.block_until_ready(holder["params"])  # time the work, not just its dispatch

    step.steps_per_call = chunk  # type: ignore[attr-defined]
    return step


def available(skip: list[str], cores: int = 1) -> dict[str, Build]:
    """Every implementation by row name, less `skip`; ``trainer-f64-Kt`` rows fix
    the trainer's thread count at K = 1, 2, 4, … up to `cores`."""
    every = {
        "loop": build_loop,
        "literal-f64": build_literal,
        "trainer-f64": build_trainer(np.float64),
        "trainer-f32": build_trainer(np.float32),
        "numpy-f64": build_trainer(np.float64, compiled=False),
        "torch-f64": build_torch("float64"),
        "torch-f32": build_torch("float32"),
        "jax-f64": build_jax,
    }
    k = 1
    while k <= cores:
        every[f"trainer-f64-{k}t"] = build_trainer(np.float64, fixed=k)
        k = cores if k < cores < 2 * k else 2 * k
    return {name: build for name, build in every.items() if name not in skip}


def gemm_peak(smoke: bool = False) -> dict[str, float]:
    """Best GFLOP/s of a square matrix product in float64 and float32."""
    n = 256 if smoke else 2000
    peak = {}
    for dtype in (np.float64, np.float32):
        rng = np.random.default_rng(0)
        A, B = (
            rng.standard_normal((n, n)).astype(dtype),
            rng.standard_normal((n, n)).astype(dtype),
        )
        product = lambda A=A, B=B: A @ B  # noqa: E731
        product()  # warm up
        best = min(_timed(product) for _ in range(3 if smoke else 7))
        peak[np.dtype(dtype).name] = 2 * n**3 / best / 1e9
    return peak


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
