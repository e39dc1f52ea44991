"""Every benchmark script still runs: each one's ``--smoke`` run, on tiny sizes.

The benchmarks are run by hand, minutes long, on a quiet machine (make bench);
without this test a script broken by a change to the package stays broken
until someone next records it. The smoke run takes every code path of the
script on the smallest sizes, in a second or two, and must write nothing: the
records in benchmarks/results/ are left as they were.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
RESULTS = BENCHMARKS / "results"

#: The scripts of benchmarks/, those run as a program; the others are modules
#: they import (common.py, fingerprint.py, implementations.py).
SCRIPTS = sorted(
    path.name
    for path in BENCHMARKS.glob("*.py")
    if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
)


def records() -> dict[str, bytes]:
    """Every file under benchmarks/results/, by its path there, with its bytes."""
    return {
        str(path.relative_to(RESULTS)): path.read_bytes()
        for path in sorted(RESULTS.rglob("*"))
        if path.is_file()
    }


def test_the_scripts_are_found() -> None:
    """The search above finds every benchmark there was when this test was written."""
    known = "allocation compiler contraction fast_path gradient_cost modes speed"
    assert {f"{name}.py" for name in known.split()} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_smoke_run_passes_and_writes_nothing(script: str) -> None:
    before = records()
    done = subprocess.run(
        [sys.executable, f"benchmarks/{script}", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{script} --smoke failed:\n{done.stderr[-4000:]}"
    assert records() == before, f"{script} --smoke changed benchmarks/results/"
