"""Pre-build step: draw the site's figures from the package's own code.

Runs ``python -m backprop.figures`` in a fresh interpreter (so that a rebuild
under ``mkdocs serve`` sees edits to ``backprop/``), handing it the folder of
benchmark records (which the installed package does not have), and puts every
SVG it writes under ``docs/figures/``, where the pages link to them. No figure is
ever committed.

Drawing every figure takes a few seconds, so the SVGs are kept in
``.build-cache/figures/<key>/`` (``$BACKPROP_CACHE/figures/<key>/`` if that variable
is set), where the key is a hash of everything the figures are drawn from: the
package's source, the benchmark records and the interpreter. A rebuild after
editing a page reuses them; any change to ``backprop/`` or the records draws
them afresh. The figures are reproducible, so a cached SVG is byte for byte the
one a fresh drawing would give.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitebuild.files import (
    ROOT,
    BuildError,
    cache_folder,
    mirror,
    package_sources,
    source_hash,
)


def key() -> str:
    """A hash of every file the figures are drawn from, and of the interpreter."""
    return source_hash(package_sources())


def draw(folder: Path) -> None:
    """Draw every figure into `folder`."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "backprop.figures",
            str(folder),
            str(ROOT / "benchmarks" / "results"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"drawing the figures failed:\n{done.stderr}")


def figures(docs: Path) -> None:
    """Write every figure, drawn or taken from the cache, under ``docs/figures/``."""
    folder = cache_folder("figures", key(), draw)
    mirror(
        docs / "figures",
        {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*.svg"))
        },
    )
