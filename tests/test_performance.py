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
