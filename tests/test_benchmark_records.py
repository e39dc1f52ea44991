"""A benchmark record describes the code that exists today.

Every record in benchmarks/results/ stores a hash of the code it timed
(benchmarks/fingerprint.py): speed.json one for each of its rows, every other
record one for the whole record. Computed again now, it must be the same: a
change to a timed function (not to its docstring or comments) makes this test
fail until the benchmark is run again and its record committed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import FrameType

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "benchmarks"))

import fingerprint  # noqa: E402

#: The records with a fingerprint for each row; every other one has one in all.
BY_ROW = ["speed.json"]


def rerun(name: str) -> str:
    return f"run benchmarks/{name.replace('.json', '.py')} again and commit the record"


def test_every_record_is_guarded() -> None:
    """A new benchmark's record cannot escape the check: each file in results/ is
    either a record with a fingerprint per row or one of fingerprint.RECORDS."""
    found = sorted(path.name for path in RESULTS.glob("*.json"))
    assert found == sorted([*BY_ROW, *fingerprint.RECORDS])


@pytest.mark.parametrize("name", sorted(fingerprint.RECORDS))
def test_each_record_times_the_code_of_today(name: str) -> None:
    record = json.loads((RESULTS / name).read_text(encoding="utf-8"))
    today = record.get("fingerprint") == fingerprint.of_record(name)
    if name in fingerprint.WAITING:
        assert not today, f"{name} times today's code now: take it off WAITING"
        return
    assert "fingerprint" in record, f"{name} stores no fingerprint: {rerun(name)}"
    assert today, f"{name} was recorded on other code than today's: {rerun(name)}"


@pytest.mark.parametrize("name", BY_ROW)
def test_each_row_of_a_record_times_the_code_of_today(name: str) -> None:
    record = json.loads((RESULTS / name).read_text(encoding="utf-8"))
    stored = record["fingerprints"]
    rows = {
        row
        for condition in record["conditions"].values()
        for case in condition["cases"]
        for row in case["times"]
    }
    assert rows <= set(stored), f"{name}: rows without a fingerprint"
    stale = {
        row: (print_, now)
        for row, print_ in stored.items()
        if print_ != (now := fingerprint.fingerprint(fingerprint.timed(row)))
    }
    assert not stale, (
        f"{name} was recorded on other code for the rows {sorted(stale)}: {rerun(name)}"
    )


def test_the_fingerprint_follows_the_code_and_not_its_docstrings() -> None:
    def plain(a: int) -> int:
        return a + 1

    def documented(a: int) -> int:
        """Add one."""
        # a comment
        return a + 1

    def changed(a: int) -> int:
        return a + 2

    import ast
    import inspect
    import textwrap

    code = [
        fingerprint._code(ast.parse(textwrap.dedent(inspect.getsource(f))))
        for f in (plain, documented, changed)
    ]
    renamed = [
        c.replace("'documented'", "'plain'").replace("'changed'", "'plain'")
        for c in code
    ]
    assert renamed[0] == renamed[1] != renamed[2]


def _called(work: Callable[[], object]) -> set[tuple[str, str]]:
    """The package's functions that `work` runs, as (module, qualified name)."""
    package = str(ROOT / "backprop")
    found: set[tuple[str, str]] = set()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_filename.startswith(package):
            module = Path(code.co_filename).relative_to(ROOT).with_suffix("")
            found.add((".".join(module.parts), code.co_qualname))

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return found


def _covered(module: str, qualified: str, names: list[str]) -> bool:
    """Whether a fingerprint of `names` includes that function's code: its module
    whole, the function, or a function it is defined in."""
    for name in names:
        listed, _, outer = name.partition(":")
        if listed == module and (
            not outer
            or qualified == outer
            or qualified.startswith((f"{outer}.<locals>.", f"{outer}."))
        ):
            return True
    return False


def _speed_row(row: str) -> Callable[[], object]:
    import implementations

    step = implementations.available([])[row]([784, 100, 10], 100, 2)
    return lambda: (step(), step())


def _probes() -> dict[str, tuple[Callable[[], object], list[str]]]:
    """For each record (and each speed.json row), a call of the timed code as its
    benchmark makes it, and the names that the record's fingerprint covers."""
    import numpy as np

    from backprop.calculus import contract, layer_weight_gradient, layer_weight_tensor
    from backprop.costs import example_costs
    from backprop.graph import Var, sigmoid
    from backprop.modes import (
        forward_mode_gradient,
        reverse_mode_gradient,
        tangent,
        value,
    )
    from backprop.network import Network
    from backprop.training import Trainer

    rng = np.random.default_rng(0)
    X, Y = rng.uniform(0, 1, (784, 100)), np.eye(10)[:, rng.integers(0, 10, 100)]
    W, b, x, g = (rng.normal(size=s) for s in ((5, 4), (5, 1), (4, 1), (5, 1)))
    net = Network([784, 100, 10], seed=0)
    numpy_step = Trainer(Network([784, 100, 10], seed=0), compiled=False)
    compiled_step = Trainer(Network([784, 100, 10], seed=0))

    def graph() -> None:
        xs = [Var(0.1 * i) for i in range(4)]
        f = sum(sigmoid(u * v) for u, v in pairwise(xs))
        assert isinstance(f, Var)
        [f.derivative(x_i) for x_i in f.inputs()]
        f.backward()

    def arrays() -> None:
        z, v = rng.uniform(-1, 1, 6), np.eye(6)[2]
        value(z), tangent(z, v), reverse_mode_gradient(z)
        forward_mode_gradient(z, [0, 3])

    probes: dict[str, tuple[Callable[[], object], list[str]]] = {
        f"speed.json {row}": (_speed_row(row), fingerprint.timed(row))
        for row in ("loop", "literal-f64", "trainer-f64", "trainer-f32", "numpy-f64")
    }
    steps = {
        "allocation.json": lambda: (
            net.backprop(X, Y),
            numpy_step._backprop(X, Y, 1.0, numpy_step.workspace(100)),
            numpy_step.step(X, Y, 0.5),
        ),
        "compiler.json": lambda: (
            numpy_step.step(X, Y, 0.5),
            compiled_step.step(X, Y, 0.5),
        ),
        "contraction.json": lambda: (
            contract(g, layer_weight_tensor(W, b, x)),
            layer_weight_gradient(g, W, b, x),
        ),
        "fast_path.json": lambda: (
            net.update_mini_batch((X, Y), 0.5),
            numpy_step.step(X, Y, 0.5),
        ),
        "gradient_cost.json": lambda: (
            example_costs(net.feedforward(X), Y),
            net.backprop(X, Y),
        ),
        "modes.json": lambda: (graph(), arrays()),
    }
    for name, work in steps.items():
        probes[name] = (work, fingerprint.RECORDS[name])
    return probes


def test_each_fingerprint_covers_the_code_its_benchmark_runs() -> None:
    """Every function of the package that a timed call runs is in its record's
    fingerprint, so that no change to timed code escapes the tests above: the
    calls are made once here, as the benchmarks make them, under a profiler."""
    missing = {
        name: sorted(
            f"{module}:{qualified}"
            for module, qualified in _called(work)
            if not _covered(module, qualified, names)
        )
        for name, (work, names) in _probes().items()
    }
    assert not {name: found for name, found in missing.items() if found}
