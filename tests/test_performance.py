"""backprop.performance: the page's in-browser timing of a forward pass against backprop."""

from __future__ import annotations

import time

import pytest

from backprop import performance
from backprop.network import multiply_adds


def test_paired_takes_the_median_ratio_within_rounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: now[0])

    def forward() -> None:
        now[0] += 0.002

    def backprop() -> None:
        now[0] += 0.005

    f, b, k = performance.paired(forward, backprop, rounds=3, budget=0.02)
    assert f == pytest.approx(0.002)
    assert b == pytest.approx(0.005)
    assert k == pytest.approx(2.5)


def test_a_clock_that_ticks_every_tenth_of_a_millisecond_still_times_short_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As Chromium's clock on a page that is not cross-origin isolated: calls of
    # 8 µs read as 0 s or a whole tick each. Counts made from one such call
    # left rounds that read 0 s, and the ratio divided by zero.
    tick, now = 1e-4, [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: tick * (now[0] // tick))

    def forward() -> None:
        now[0] += 8e-6

    def backprop() -> None:
        now[0] += 24e-6

    (found_f, found_b), calls = performance.turns(forward, backprop, 5, 0.001)
    assert calls[0] * 8e-6 >= 0.001
    assert calls[1] * 24e-6 >= 0.001
    assert min(found_f) > 0
    assert min(found_b) > 0
    f, b, k = performance.paired(forward, backprop, rounds=5, budget=0.001)
    assert f == pytest.approx(8e-6, rel=0.1)
    assert b == pytest.approx(24e-6, rel=0.1)
    assert k == pytest.approx(3, rel=0.2)


def test_a_budget_below_the_clocks_tick_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(performance, "_MOST_CALLS", 8)
    monkeypatch.setattr(time, "perf_counter", lambda: 0.0)  # a clock that never ticks
    with pytest.raises(RuntimeError, match="below its tick"):
        performance.paired(lambda: None, lambda: None, rounds=2, budget=0.001)


def test_the_ratios_follow_from_the_measured_passes() -> None:
    case = performance.gradient_cost(10, rounds=3, budget=0.002)
    P = 784 * 10 + 10 + 10 * 10 + 10
    k = case["backprop_in_forward_passes"]
    assert case["parameters"] == P
    # Its size depends on the machine and its load (the performance page shows it).
    assert k > 0
    assert case["central_over_backprop"] == pytest.approx(2 * P / k)
    assert case["forward_over_backprop"] == pytest.approx((P + 1) / k)
    F, B = multiply_adds([784, 10, 10], m=10)
    assert case["counted_central_over_backprop"] == pytest.approx(2 * P * F / (F + B))


def test_the_sweep_reports_each_size_in_order() -> None:
    cases = list(performance.gradient_costs((1, 3, 10), rounds=1, budget=0.001))
    assert [c["index"] for c in cases] == [1, 2, 3]
    assert {c["of"] for c in cases} == {3}
    assert [c["sizes"][1] for c in cases] == [1, 3, 10]
