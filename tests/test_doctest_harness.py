"""Page examples are real tests: a wrong expected value fails; nested blocks run."""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil import Sybil
from sybil.example import SybilFailure


def examples(pages: Sybil, path: Path, text: str) -> list:
    path.write_text(text, encoding="utf-8")
    return list(pages.parse(path).examples())


def test_a_wrong_expected_value_fails(pycon_pages: Sybil, tmp_path: Path) -> None:
    found = examples(
        pycon_pages,
        tmp_path / "page.md",
        "```pycon\n>>> 0.1 + 0.2 == 0.3\nTrue\n\n```\n",
    )
    assert len(found) == 1
    with pytest.raises(SybilFailure, match="Expected:\n    True\nGot:\n    False"):
        found[0].evaluate()


def test_numbers_are_not_matched_loosely(pycon_pages: Sybil, tmp_path: Path) -> None:
    """NUMBER is off: 0.3 must not match 0.25."""
    found = examples(
        pycon_pages, tmp_path / "page.md", "```pycon\n>>> 0.25\n0.3\n\n```\n"
    )
    with pytest.raises(SybilFailure):
        found[0].evaluate()


def test_blocks_inside_admonitions_and_tabs_run(
    pycon_pages: Sybil, tmp_path: Path
) -> None:
    text = (
        "!!! note\n\n    ```pycon\n    >>> x = 2\n    >>> x * 3\n    6\n\n    ```\n\n"
        '=== "Tab"\n\n    ```pycon\n    >>> x + 1\n    3\n\n    ```\n'
    )
    found = examples(pycon_pages, tmp_path / "page.md", text)
    assert len(found) == 3
    namespace: dict[str, object] = {}
    for example in found:
        example.namespace = namespace
        example.evaluate()


def test_python_blocks_are_not_examples(pycon_pages: Sybil, tmp_path: Path) -> None:
    """Included source sits in python blocks; only pycon blocks are run."""
    text = '```python\n--8<-- "backprop/graph.py:add"\n```\n'
    assert examples(pycon_pages, tmp_path / "page.md", text) == []
