"""The pre-build: write every generated file of the site into ``docs/``.

``python -m sitebuild`` (or :func:`run`) runs each function of :data:`STEPS` in
order, with the folder to write into, and those of :data:`BESIDE` in a thread
beside them. ``sitebuild/README.md`` describes the pipeline, what each step
writes, and how to add one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitebuild.equation_index import PAGE as EQUATION_INDEX
from sitebuild.equations import equation_index
from sitebuild.explorables import explorables
from sitebuild.figures import figures
from sitebuild.files import DOCS, BuildError
from sitebuild.katex import katex_assets
from sitebuild.notebook import notebooks
from sitebuild.pyodide import pyodide

Step = Callable[[Path], None]

# The steps, in order: each takes the folder to write into (docs/). The
# equation index reads the page that the notebook step writes.
STEPS: list[Step] = [
    katex_assets,
    notebooks,
    equation_index,
    pyodide,
    explorables,
]
# Steps that read nothing the others write and write nothing they read; they
# run in a thread beside STEPS. Drawing the figures (Python) then overlaps the
# notebook's kernel (a process of its own): on a fresh clone of two cores the
# pre-build takes 12 s instead of 22.
BESIDE: list[Step] = [figures]


def run(
    docs: Path = DOCS,
    steps: Iterable[Step] = STEPS,
    *,
    beside: Iterable[Step] = BESIDE,
    quiet: bool = False,
) -> None:
    """Run every step in order, writing into `docs`, and `beside` in a thread.

    An error of either is raised once both are done.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        aside = pool.submit(_in_order, docs, list(beside), quiet)
        _in_order(docs, steps, quiet)
        aside.result()


def _in_order(docs: Path, steps: Iterable[Step], quiet: bool) -> None:
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


def edit_source(docs: Path, page: str) -> str | None:
    """The file under `docs` that an edit of `page` changes; None for the equation index.

    A notebook's page is written from its notebook; the index, from many files.

    >>> edit_source(Path("docs"), "graphs.md"), edit_source(Path("docs"), "equations.md")
    ('graphs.md', None)
    """
    if page == EQUATION_INDEX:
        return None
    notebook = Path(page).with_suffix(".ipynb")
    return notebook.as_posix() if (docs / notebook).is_file() else page
