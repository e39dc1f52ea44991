"""The README's example runs as printed, and prints what its comment says.

Run as a script (``python tests/test_readme.py``), it checks the example with
the interpreter that runs it, without pytest: `make test-dist` does so in a
venv where only the built sdist is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
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


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        test_the_readme_example_prints_what_it_claims(Path(folder))
    print("The README's example prints what it claims.")
