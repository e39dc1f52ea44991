"""The README's example runs as printed, and prints what its comment says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_example_prints_what_it_claims(tmp_path: Path) -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None
    code = block[1]
    # Each print(...) with a trailing comment claims what it prints.
    claims = re.findall(r"^print\(.*\)\s+#\s*(.+?)\s*$", code, re.MULTILINE)
    assert claims
    # In a fresh interpreter and an empty folder, as a reader would run it.
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for claim in claims:
        assert claim in out, (claim, out[-3:])
