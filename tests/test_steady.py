"""benchmarks/steady.py keeps a record only when the machine held still around it.

The checks are replaced by scripted verdicts, so these tests take no time and do
not depend on how steady the machine running them is. The benchmark is a small
script that writes a new record each time it runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import steady

WRITES = """\
from pathlib import Path
import sys
results = Path(sys.argv[0]).parent / "results"
runs = len(list(results.glob("run-*")))
(results / f"run-{runs}").touch()
(results / "fake.json").write_text(f'{{"run": {runs}}}')
"""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A benchmark fake.py whose record, results/fake.json, holds "old" at first."""
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "fake.json").write_text('{"run": "old"}')
    script = tmp_path / "fake.py"
    script.write_text(WRITES)
    monkeypatch.setattr(steady, "RESULTS", tmp_path / "results")
    return script


def verdicts(monkeypatch: pytest.MonkeyPatch, *found: tuple[bool, float]) -> None:
    """Make the checks answer `found`, one (swing, median) after another."""
    answers = iter(found)

    def check(smoke: bool = False, threads: int | None = None) -> Any:
        return next(answers)

    monkeypatch.setattr(steady, "check", check)


def record(script: Path) -> Any:
    return json.loads((script.parent / "results" / "fake.json").read_text())


def test_a_run_between_two_steady_checks_at_one_level_stands(
    bench: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts(monkeypatch, (1.04, 800e-6), (1.06, 820e-6))
    assert steady.around(bench, tries=1)
    assert record(bench) == {
        "run": 0,
        "steady": {
            "limit": steady.STEADY,
            "threads": os.cpu_count(),
            "checks": [
                {"swing": 1.04, "median_us": 800.0},
                {"swing": 1.06, "median_us": 820.0},
            ],
        },
    }


def test_a_run_whose_level_moved_is_put_back_and_tried_again(
    bench: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both checks steady, but the first at a level 28 % slower: the host changed.
    verdicts(
        monkeypatch, (1.03, 1030e-6), (1.06, 805e-6), (1.06, 805e-6), (1.02, 800e-6)
    )
    assert steady.around(bench, tries=2)
    # The first run's record was put back, and the second's replaced it.
    assert record(bench)["run"] == 1


@pytest.mark.parametrize(
    ("found", "tries", "runs"),
    [
        # One try, steady before, not after: the run's record is put back.
        ([(1.04, 800e-6), (1.3, 900e-6)], 1, 1),
        # Two tries, not steady before either: nothing runs at all.
        ([(1.3, 800e-6), (1.2, 800e-6)], 2, 0),
    ],
)
def test_an_unsteady_check_leaves_the_old_record(
    bench: Path,
    monkeypatch: pytest.MonkeyPatch,
    found: list[tuple[float, float]],
    tries: int,
    runs: int,
) -> None:
    verdicts(monkeypatch, *found)
    assert not steady.around(bench, tries=tries)
    assert record(bench) == {"run": "old"}
    assert len(list((bench.parent / "results").glob("run-*"))) == runs


def test_a_new_record_that_cannot_stand_is_removed(
    bench: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bench.parent / "results" / "fake.json").unlink()
    verdicts(monkeypatch, (1.04, 800e-6), (1.2, 800e-6))
    assert not steady.around(bench, tries=1)
    assert not (bench.parent / "results" / "fake.json").exists()
