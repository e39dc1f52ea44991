"""MkDocs hook: draw the site's figures from the package's own code at build time.

Runs ``python -m backprop.figures`` in a fresh interpreter, so that ``mkdocs serve``
picks up edits to ``backprop/`` on every rebuild, and adds each SVG it writes to
the site under ``figures/``. No figure is ever committed.

Drawing every figure takes a few seconds, so the SVGs are kept in
``.cache/figures/<key>/`` (``$BACKPROP_CACHE/figures/<key>/`` if that variable
is set: the reproducibility test builds with an empty cache), where the key is a hash of everything the figures are
drawn from: the package's source and the benchmark records. A rebuild after
editing a page reuses them; any change to ``backprop/`` or the records draws
them afresh. The figures are reproducible, so a cached SVG is byte for byte the
one a fresh drawing would give.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("BACKPROP_CACHE", ROOT / ".cache")) / "figures"


def key() -> str:
    """A hash of every file the figures are drawn from, and of the interpreter."""
    digest = hashlib.sha256(sys.version.encode())
    sources = [
        *(ROOT / "backprop").rglob("*.py"),
        *(ROOT / "benchmarks" / "results").glob("*.json"),
    ]
    for path in sorted(sources):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def draw(folder: Path) -> None:
    """Draw every figure into `folder`, through a temporary folder so a failure leaves none."""
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "backprop.figures", str(partial)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise PluginError(f"drawing the figures failed:\n{done.stderr}")
    for old in CACHE.glob("*"):  # keep only the newest drawing
        if old != partial:
            shutil.rmtree(old, ignore_errors=True)
    partial.rename(folder)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    folder = CACHE / key()
    if not folder.is_dir():
        draw(folder)
    for path in sorted(folder.rglob("*.svg")):
        uri = "figures/" + path.relative_to(folder).as_posix()
        files.append(File.generated(config, uri, content=path.read_bytes()))
    return files
