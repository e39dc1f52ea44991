"""The MkDocs hooks of hooks/: thin event functions over sitebuild/, loaded as MkDocs loads them.

The site logic they call is tested in test_sitebuild.py and test_equation_index.py.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType, SimpleNamespace

from mkdocs.structure.files import File, Files

HOOKS = Path(__file__).resolve().parent.parent / "hooks"


def load(name: str) -> ModuleType:
    """A hook, loaded from its file as MkDocs' ``hooks:`` setting loads it."""
    spec = importlib.util.spec_from_file_location(f"hook_{name}", HOOKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hooks_hold_only_event_functions() -> None:
    for path in sorted(HOOKS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom | ast.Expr):
                continue  # imports and the docstring
            assert isinstance(node, ast.FunctionDef), (path.name, ast.dump(node)[:60])
            assert node.name.startswith("on_"), (path.name, node.name)


def test_generated_pages_link_to_their_sources_or_to_nothing(tmp_path: Path) -> None:
    names = ["graphs.md", "lab.ipynb", "lab.md", "equations.md", "style.css"]
    for name in names:
        (tmp_path / name).write_text("")
    files = Files(
        [File(name, str(tmp_path), str(tmp_path / "site"), True) for name in names]
    )
    load("edit_links").on_files(files, SimpleNamespace(docs_dir=str(tmp_path)))
    edit = {file.src_uri: file.edit_uri for file in files}
    assert edit["graphs.md"] == "graphs.md"  # a page written by hand: itself
    assert edit["lab.md"] == "lab.ipynb"  # a notebook's page: the notebook
    assert edit["equations.md"] is None  # the equation index: written by the build
