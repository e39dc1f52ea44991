"""Pre-build step: draw the site's figures from the package's own code.

Draws every figure of ``backprop.figures.figures(records)`` in fresh
interpreters (so that a rebuild under ``mkdocs serve`` sees edits to
``backprop/``), handing them the folder of benchmark records (which the
installed package does not have), and puts every SVG under ``docs/figures/``,
where the pages link to them. No figure is
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

import os
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


# One drawing process: every `count`-th figure of backprop.figures.figures,
# from the `index`-th on, each written to FOLDER/NAME as SVG; the performance
# page's figures are drawn from the records in the folder RECORDS.
DRAW_SHARE = """
import sys
from pathlib import Path
from backprop.figures import figures, to_svg
from backprop.figures.performance import read_records
index, count = int(sys.argv[1]), int(sys.argv[2])
folder, records = Path(sys.argv[3]), Path(sys.argv[4])
drawings = figures(read_records(records))
for name in list(drawings)[index::count]:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(to_svg(drawings[name]()))
"""


def draw(folder: Path) -> None:
    """Draw every figure into `folder`, shared among one process per core (at most 4).

    Each process draws a fixed share, in a fresh interpreter that sees the
    latest edits to ``backprop/``.
    """
    count = min(os.cpu_count() or 1, 4)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                DRAW_SHARE,
                str(i),
                str(count),
                str(folder),
                str(ROOT / "benchmarks" / "results"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    errors = [(p.communicate()[1], p.returncode) for p in processes]
    errors = [error for error, code in errors if code != 0]
    if errors:
        raise BuildError("drawing the figures failed:\n" + "\n".join(errors))


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
