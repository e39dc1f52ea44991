"""The graph engine: both modes against finite differences; reuse, depth, errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.calculus import central_difference, partials
from backprop.graph import (
    Tally,
    Var,
    exp,
    log,
    mode_costs,
    sigmoid,
    sum_over_paths,
    tanh,
)

# -- random programs that run on floats and on Vars alike -----------------------

UNARY: dict[str, Callable] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "exp_small": lambda u: exp(0.3 * u),
    "square": lambda u: u**2,
    "log1p_sq": lambda u: log(1 + u * u),
    "neg": lambda u: -u,
}
BINARY: dict[str, Callable] = {
    "add": lambda u, v: u + v,
    "sub": lambda u, v: u - v,
    "mul": lambda u, v: u * v,
    "div": lambda u, v: u / (2 + v * v),
    "rconst": lambda u, v: 3.0 - 0.5 * u + v / 4.0,
}


@st.composite
def programs(draw: st.DrawFn) -> tuple[int, list[tuple[str, int, int]]]:
    inputs = draw(st.integers(1, 4))
    steps = []
    for k in range(draw(st.integers(1, 12))):
        available = inputs + k
        op = draw(st.sampled_from(sorted(UNARY) + sorted(BINARY)))
        steps.append(
            (
                op,
                draw(st.integers(0, available - 1)),
                draw(st.integers(0, available - 1)),
            )
        )
    return inputs, steps


def run(program: tuple[int, list[tuple[str, int, int]]], *xs):  # type: ignore[no-untyped-def]
    values = list(xs)
    for op, i, j in program[1]:
        if op in UNARY:
            values.append(UNARY[op](values[i]))
        else:
            values.append(BINARY[op](values[i], values[j]))
    return values[-1]


@settings(max_examples=150, deadline=None)
@given(programs(), st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_both_modes_match_finite_differences(program, point) -> None:  # type: ignore[no-untyped-def]
    n = program[0]
    names = [f"x{i}" for i in range(n)]
    xs = [Var(v, name=name) for v, name in zip(point, names, strict=False)]
    out = run(program, *xs)
    if not isinstance(out, Var):
        return
    fd = partials(
        lambda **kw: run(program, *(kw[name] for name in names)),
        **dict(zip(names, point, strict=False)),
    )
    adjoint = out.backward()
    for x, name in zip(xs, names, strict=False):
        by_reverse = adjoint.get(x, 0.0)
        assert by_reverse == pytest.approx(fd[name], rel=1e-6, abs=1e-7)
        assert out.derivative(x) == pytest.approx(by_reverse, rel=1e-12, abs=1e-12)
        assert sum_over_paths(out, x) == pytest.approx(by_reverse, rel=1e-12, abs=1e-12)


# -- each operation's local derivative ------------------------------------------


@pytest.mark.parametrize(
    ("build", "at"),
    [
        (lambda u: u + 2.5, 0.7),
        (lambda u: 2.5 + u, 0.7),
        (lambda u: u - 2.5, 0.7),
        (lambda u: 2.5 - u, 0.7),
        (lambda u: -u, 0.7),
        (lambda u: u * 2.5, 0.7),
        (lambda u: 2.5 * u, 0.7),
        (lambda u: u / 2.5, 0.7),
        (lambda u: 2.5 / u, 0.7),
        (lambda u: u**3, -0.7),
        (lambda u: u**0.5, 0.7),
        (lambda u: u**0, 0.7),
        (lambda u: 2.5**u, 0.7),
        (exp, 0.7),
        (log, 0.7),
        (sigmoid, -3.0),
        (tanh, 0.4),
    ],
)
def test_local_derivative_of_each_operation(build: Callable, at: float) -> None:
    u = Var(at, name="u")
    node = build(u)
    assert node.value == pytest.approx(build(at), rel=1e-15)
    assert node.gradient()["u"] == pytest.approx(
        central_difference(build, at), rel=1e-8, abs=1e-10
    )


def test_binary_operations_on_two_nodes() -> None:
    for build in (
        lambda u, v: u + v,
        lambda u, v: u - v,
        lambda u, v: u * v,
        lambda u, v: u / v,
    ):
        u, v = Var(1.3, name="u"), Var(-0.6, name="v")
        got = build(u, v).gradient()
        want = partials(build, u=1.3, v=-0.6)
        assert got == pytest.approx(want, rel=1e-8)


# -- structure ------------------------------------------------------------------


def test_reused_nodes_collect_every_path() -> None:
    a = Var(3.0, name="a")
    b = a + a
    c = b + b
    assert c.gradient() == {"a": 4.0}
    assert (a * a).gradient() == {"a": 6.0}


def test_a_chain_of_ten_thousand_nodes_needs_no_recursion() -> None:
    x = Var(0.3, name="x")
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    assert y.gradient()["x"] == pytest.approx(1.0001**10_000, rel=1e-9)
    assert y.derivative(x) == pytest.approx(1.0001**10_000, rel=1e-9)
    assert len(y.nodes()) == 10_001
    assert "…" in y.formula


def test_nodes_are_in_topological_order() -> None:
    a, b = Var(2.0, name="a"), Var(1.0, name="b")
    e = (a + b) * (b + 1)
    order = e.nodes()
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        assert all(position[parent] < position[node] for parent, _ in node.edges)
    assert order[-1] is e


def test_derivative_with_respect_to_an_unused_input_is_zero() -> None:
    a, unused = Var(2.0, name="a"), Var(5.0, name="z")
    assert (a * a).derivative(unused) == 0.0


def test_tally_counts_passes_and_multiply_adds() -> None:
    a, b = Var(2.0, name="a"), Var(1.0, name="b")
    e = (a + b) * (b + 1)  # 5 edges
    tally = Tally()
    e.derivative(a, tally=tally)
    e.derivative(b, tally=tally)
    assert tally == Tally(passes=2, multiply_adds=10)
    forward, reverse = mode_costs(e)
    assert forward == Tally(passes=2, multiply_adds=10)
    assert reverse == Tally(passes=1, multiply_adds=5)


@pytest.mark.parametrize("n", [1, 7, 64])
def test_forward_mode_work_is_n_times_reverse_mode_work(n: int) -> None:
    xs = [Var(0.1 * i, name=f"x{i}") for i in range(n)]
    f = sum(sigmoid(x) * x for x in xs)
    assert isinstance(f, Var)
    forward, reverse = mode_costs(f)
    assert (forward.passes, reverse.passes) == (n, 1)
    assert forward.multiply_adds == n * reverse.multiply_adds


# -- errors ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="value must be finite"):
        Var(bad)


@pytest.mark.parametrize("bad", ["2", None, True, [1.0], 1 + 2j])
def test_non_numbers_are_rejected(bad: object) -> None:
    with pytest.raises(TypeError, match="must be a real number"):
        Var(bad)  # type: ignore[arg-type]


def test_operations_that_leave_the_reals_or_overflow_say_so() -> None:
    x = Var(0.0, name="x")
    with pytest.raises(ZeroDivisionError, match="divisor is 0"):
        _ = 1.0 / x
    with pytest.raises(ZeroDivisionError, match="divisor is 0"):
        _ = Var(1.0, name="y") / x
    with pytest.raises(ValueError, match=r"log\(x\) needs a positive value"):
        log(x)
    with pytest.raises(ValueError, match="non-integer power"):
        _ = Var(-1.0, name="n") ** 0.5
    with pytest.raises(OverflowError, match="exp"):
        exp(Var(1000.0, name="big"))
    with pytest.raises(OverflowError, match="finite values only"):
        _ = Var(1e308, name="big") * 10.0
    with pytest.raises(TypeError, match="operand of \\+ must be a real number"):
        _ = x + "1"  # type: ignore[operator]


def test_gradient_needs_distinct_names() -> None:
    with pytest.raises(ValueError, match="an input has no name"):
        (Var(1.0) * 2.0).gradient()
    with pytest.raises(ValueError, match="share a name"):
        (Var(1.0, name="a") + Var(2.0, name="a")).gradient()


def test_sigmoid_is_stable_far_from_zero() -> None:
    for z in (-1e4, -745.0, 745.0, 1e4):
        s = sigmoid(Var(z, name="z"))
        assert 0.0 <= s.value <= 1.0
        assert s.gradient()["z"] == pytest.approx(0.0, abs=1e-300)
