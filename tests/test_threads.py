"""The trainer's BLAS thread count (backprop.threads): no more threads than free
cores, none without a grain of work, and the library's own count restored."""

from __future__ import annotations

import os
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_info

from backprop import threads
from backprop.network import Network
from backprop.training import Trainer


@given(
    st.lists(st.integers(1, 3000), min_size=2, max_size=5),
    st.integers(1, 2000),
    st.integers(1, 64),
)
def test_the_count_is_at_least_1_at_most_the_free_cores_and_a_grain_each(
    sizes: list[int], m: int, cores: int
) -> None:
    count = threads.threads_for(sizes, m, cores)
    largest = max(2 * a * b * m for a, b in pairwise(sizes))
    assert 1 <= count <= cores
    assert count == 1 or largest / count >= threads.GRAIN
    assert threads.threads_for(sizes, 2 * m, cores) >= count  # more work, no fewer


def test_cores_that_other_processes_keep_busy_are_not_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Four cores, 1 s apart: the machine was busy 3 core-seconds, this process 1."""
    readings = iter([(100.0, 1000.0), (400.0, 1400.0)])  # busy, total ticks
    clock = iter([0.0, 1.5])
    own = iter([10.0, 11.0])
    monkeypatch.setattr(threads, "_cpu_times", lambda: next(readings))
    monkeypatch.setattr(threads.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(threads.time, "process_time", lambda: next(own))
    monkeypatch.setattr(threads.time, "sleep", lambda _: None)
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(threads, "_allowed", lambda: 4)
    monkeypatch.setattr(threads, "_last", [])
    # 4 × 300/400 = 3 cores busy, 1 of them this process's (1 s of CPU in 1.5 s
    # counts as 0.67): others hold 2.33 cores, so 2 are free.
    assert threads.free_cores() == 2


def test_free_cores_are_at_least_1_and_at_most_the_allowed_ones() -> None:
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    assert 1 <= threads.free_cores() <= max(allowed, os.cpu_count() or 1)


def blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_a_step_uses_its_count_and_restores_the_library_s_own() -> None:
    before = blas_threads()
    with threads.using(1):
        assert set(blas_threads()) == {1}
    assert blas_threads() == before


@pytest.mark.parametrize("compiled", [False, None])
def test_a_fixed_count_takes_the_same_step(compiled: bool | None) -> None:
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(0, 1, (30, 40)), rng.uniform(0, 1, (5, 40))
    one, chosen = Network([30, 20, 5], seed=1), Network([30, 20, 5], seed=1)
    Trainer(one, compiled=compiled, threads=1).step(X, Y, 0.5)
    Trainer(chosen, compiled=compiled).step(X, Y, 0.5)
    for p, q in zip(
        one.weights + one.biases, chosen.weights + chosen.biases, strict=True
    ):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-12)
