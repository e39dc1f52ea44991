"""A benchmark record describes the code that exists today.

Each record that stores fingerprints (benchmarks/fingerprint.py) stored, for
every row, a hash of the code that row timed. Computed again now, it must be
the same: a change to a timed function (not to its docstring or comments) makes
this test fail until the benchmark is run again and its record committed.
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

#: The records that must carry fingerprints: those of the benchmarks that time
#: the training step.
GUARDED = ["speed.json"]


@pytest.mark.parametrize("name", GUARDED)
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
        f"{name} was recorded on other code for the rows {sorted(stale)}: "
        f"run benchmarks/{name.replace('.json', '.py')} again and commit the record"
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
