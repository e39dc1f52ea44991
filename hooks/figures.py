"""MkDocs hook: draw the site's figures from the package's own code at build time.

Runs ``python -m backprop.figures`` in a fresh interpreter, so that ``mkdocs serve``
picks up edits to ``backprop/`` on every rebuild, and adds each SVG it writes to
the site under ``figures/``. No figure is ever committed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-m", "backprop.figures", folder],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise PluginError(f"drawing the figures failed:\n{done.stderr}")
        for path in sorted(Path(folder).rglob("*.svg")):
            uri = "figures/" + path.relative_to(folder).as_posix()
            files.append(File.generated(config, uri, content=path.read_bytes()))
    return files
