"""The equation index: every numbered equation has code and a check; no reference dangles."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def equations() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "equations_hook", ROOT / "hooks" / "equations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def nav() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = text.split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r":\s*(\S+\.(?:md|ipynb))\s*$", block, flags=re.MULTILINE)


def test_every_equation_has_code_and_a_check(equations: ModuleType) -> None:
    index = equations.build_index(nav())
    assert sorted(index) == list(range(1, len(index) + 1))
    gaps = {n: e for n, e in index.items() if not e.code or not e.checked}
    assert not gaps, f"equations without code or a check: {sorted(gaps)}"
    assert "0 gaps" in equations.render(index)


def test_no_docstring_or_test_names_an_equation_that_does_not_exist(
    equations: ModuleType,
) -> None:
    numbers = set(equations.build_index(nav()))
    dangling = set(equations.implementations()) - numbers
    assert not dangling, (
        f"docstrings name equations {sorted(dangling)}, which no page numbers"
    )
    dangling = set(equations.tests_naming()) - numbers
    assert not dangling, (
        f"tests name equations {sorted(dangling)}, which no page numbers"
    )


def test_an_equation_without_code_shows_up_as_a_gap(equations: ModuleType) -> None:
    index = equations.build_index(nav())
    index[6].code.clear()
    page = equations.render(index)
    assert "1 gap**: (6)" in page
    assert "**gap: no code**" in page


def test_mentions_are_read_with_lists_and_ranges(equations: ModuleType) -> None:
    assert equations.mentioned("eqs. (33) to (36) and eq. (9)") == {9, 33, 34, 35, 36}
    assert equations.mentioned("Eq. (4): forward mode") == {4}
    assert equations.mentioned("the equation") == set()
