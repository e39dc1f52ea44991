"""hooks/edit_links.py: edit links lead to files that exist in the repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent


def test_generated_pages_link_to_their_sources_or_to_nothing(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "edit_links_hook", ROOT / "hooks" / "edit_links.py"
    )
    assert spec is not None
    assert spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    names = ["graphs.md", "lab.ipynb", "lab.md", "equations.md", "style.css"]
    for name in names:
        (tmp_path / name).write_text("")
    files = Files(
        [File(name, str(tmp_path), str(tmp_path / "site"), True) for name in names]
    )
    hook.on_files(files, SimpleNamespace(docs_dir=str(tmp_path)))
    edit = {file.src_uri: file.edit_uri for file in files}
    assert edit["graphs.md"] == "graphs.md"  # a page written by hand: itself
    assert edit["lab.md"] == "lab.ipynb"  # a notebook's page: the notebook
    assert edit["equations.md"] is None  # the equation index: written by the build
