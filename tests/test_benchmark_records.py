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
from pathlib import Path

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
