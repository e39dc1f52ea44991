"""Pre-build step: run each notebook of ``docs/`` and write it as a Markdown page.

For ``docs/lab.ipynb`` the step writes ``docs/lab.md``, the page the nav
shows: every cell in order, Markdown cells as they are (their ``$...$`` math
goes through arithmatex and KaTeX like any page's), code cells as Python
blocks, and below each the outputs that running it gave, as HTML. The notebook
itself is copied beside the page as a download, linked from the page's
header (``notebook`` in the front matter; see ``overrides/partials/actions.html``).

A notebook is run top to bottom in a fresh kernel with nbclient, in ``docs/``;
an error in any cell fails the build, and so does a picture without alt text
(draw figures with ``backprop.figures.lab.Picture``). Running takes a while,
so the page is kept in ``.build-cache/notebooks/<key>/``, keyed by a hash of the
notebook, the package's source, the benchmark records and the interpreter: a
rebuild after editing a page skips the run, and any change that could alter
an output runs it afresh.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sitebuild.files import (
    BuildError,
    cache_folder,
    package_sources,
    source_hash,
    write,
)

TIMEOUT = 600  # seconds for one cell


def notebooks(docs: Path) -> None:
    """Write ``docs/<name>.md`` for each ``docs/<name>.ipynb``."""
    for notebook in sorted(docs.glob("*.ipynb")):
        key = source_hash([*package_sources(), notebook])

        def run(folder: Path, notebook: Path = notebook) -> None:
            (folder / "page.md").write_text(page(execute(notebook), notebook.name))

        folder = cache_folder(f"notebooks/{notebook.stem}", key, run)
        write(notebook.with_suffix(".md"), (folder / "page.md").read_bytes())


def execute(notebook: Path) -> Any:
    """The notebook, run top to bottom in a fresh kernel in its own folder."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        raise BuildError(f"{notebook.name}: a cell failed:\n{error}") from error
    return nb


def page(nb: Any, name: str) -> str:
    """The executed notebook as a Markdown page that links to `name` for download."""
    parts = [f"---\nnotebook: {name}\n---\n"]
    for cell in nb.cells:
        source = cell.source.strip("\n")
        if not source:
            continue
        if cell.cell_type == "markdown":
            parts.append(source + "\n")
        elif cell.cell_type == "code":
            fence = "`" * max(3, _longest_run(source, "`") + 1)
            parts.append(f"{fence}python\n{source}\n{fence}\n")
            parts += [_output(out, name) for out in cell.outputs]
    return "\n".join(part for part in parts if part)


def _output(out: Any, name: str) -> str:
    """One output of a code cell as a block of HTML."""
    kind = out.output_type
    if kind == "stream":
        text = out.text
    elif kind in ("execute_result", "display_data"):
        data = out.data
        if "text/html" in data:
            return (
                f'<div class="notebook-output">\n{data["text/html"].strip()}\n</div>\n'
            )
        if "image/svg+xml" in data or "image/png" in data:
            raise BuildError(
                f"{name}: a picture without alt text; show figures with"
                " backprop.figures.lab.Picture(fig, alt)"
            )
        text = data.get("text/plain", "")
    else:  # "error": nbclient has already failed the run
        raise BuildError(f"{name}: unexpected output {kind!r}")
    text = text.rstrip("\n")
    if not text:
        return ""
    return f'<div class="notebook-output"><pre><code>{html.escape(text)}</code></pre></div>\n'


def _longest_run(text: str, char: str) -> int:
    longest = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        longest = max(longest, run)
    return longest
