"""The pre-build: write every generated file of the site into ``docs/``.

``python -m sitebuild`` (or :func:`run`) runs each function of :data:`STEPS` in
order, with the folder to write into. ``sitebuild/README.md`` describes the
pipeline, what each step writes, and how to add one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitebuild.equation_index import PAGE as EQUATION_INDEX
from sitebuild.equations import equation_index
from sitebuild.figures import figures
from sitebuild.files import DOCS, BuildError
from sitebuild.katex import katex_assets
from sitebuild.notebook import notebooks
from sitebuild.pyodide import pyodide

Step = Callable[[Path], None]

# The steps, in order: each takes the folder to write into (docs/). Steps in
# one tuple run at the same time: the two slow ones, which wait on processes
# of their own (the figures' drawing, the notebook's kernel).
STEPS: list[Step | tuple[Step, ...]] = [
    (figures, notebooks),
    katex_assets,
    equation_index,
    pyodide,
]


def run(
    docs: Path = DOCS,
    steps: Iterable[Step | Sequence[Step]] = STEPS,
    *,
    quiet: bool = False,
) -> None:
    """Run every step in order, writing into `docs`; a tuple's steps at the same time."""

    def timed(step: Step) -> None:
        start = time.perf_counter()
        step(docs)
        if not quiet:
            print(
                f"pre-build: {step.__name__} ({time.perf_counter() - start:.1f} s)",
                file=sys.stderr,
            )

    for stage in steps:
        together = list(stage) if isinstance(stage, Sequence) else [stage]
        if len(together) == 1:
            timed(together[0])
            continue
        with ThreadPoolExecutor(len(together)) as pool:
            for done in [pool.submit(timed, step) for step in together]:
                done.result()  # a step's BuildError, raised here


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
