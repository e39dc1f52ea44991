"""The pre-build: write every generated file of the site into ``docs/``.

Both site builders read ``docs/`` as it is: MkDocs (``make site``) and
Zensical (``make site-zensical``). So whatever the site computes from the
package, the figures drawn by its own code, the equation index, the executed
notebook, is written into ``docs/`` before either of them starts, by

    python -m sitebuild            # or: run() from Python

which runs each function of :data:`STEPS` in order, with the folder to write
into (``docs/``). The files a step writes are generated: each is listed in
``.gitignore`` and never committed.

A step writes a file only when its bytes change (``files.write``) and removes
the files of its own folder that it no longer writes (``files.mirror``). So a second
pre-build with nothing changed writes nothing, and ``mkdocs serve``, which
watches ``docs/`` and runs the pre-build before every rebuild (through
``hooks/prebuild.py``), does not rebuild forever. Slow work (drawing, running
the notebook) is cached under ``.build-cache/`` by a hash of its sources; see
``files.cache_folder``.

Adding a step
-------------
Write a function that takes the output folder and writes its files into it,
with the helpers of :mod:`sitebuild.files`, in a module of its own such as
``sitebuild/pyodide.py``::

    from sitebuild.files import BuildError, mirror

    def pyodide(docs: Path) -> None:
        \"\"\"Copy the Pyodide runtime and the wheels under docs/pyodide/.\"\"\"
        files = {name: data for name, data in ...}   # relative path -> bytes
        mirror(docs / "pyodide", files)

then add it to :data:`STEPS` below (order matters only if one step reads
what another writes), add its paths to ``.gitignore`` (``/docs/pyodide/``),
and raise :class:`BuildError` with a sentence naming the problem when it
cannot do its work: the build then fails with that sentence. Keep a step
quick when nothing changed, as it runs on every rebuild of ``mkdocs serve``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sitebuild.equations import equation_index
from sitebuild.explorables import explorables
from sitebuild.figures import figures
from sitebuild.files import DOCS, BuildError
from sitebuild.katex import katex_assets
from sitebuild.notebook import notebooks
from sitebuild.pyodide import pyodide

Step = Callable[[Path], None]

# The steps, in order: each takes the folder to write into (docs/).
STEPS: list[Step] = [
    figures,
    katex_assets,
    notebooks,
    equation_index,
    pyodide,
    explorables,
]


def run(
    docs: Path = DOCS, steps: Iterable[Step] = STEPS, *, quiet: bool = False
) -> None:
    """Run every step in order, writing into `docs`."""
    for step in steps:
        start = time.perf_counter()
        step(docs)
        if not quiet:
            print(
                f"pre-build: {step.__name__} ({time.perf_counter() - start:.1f} s)",
                file=sys.stderr,
            )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m sitebuild [DOCS_FOLDER]", file=sys.stderr)
        return 2
    try:
        run(Path(args[0]) if args else DOCS)
    except BuildError as error:
        print(f"pre-build failed: {error}", file=sys.stderr)
        return 1
    return 0
