"""The exercises that end each chapter from computational graphs to backpropagation.

Each chapter ends with a ``## Exercises`` section of at least three exercises. Each
exercise has its solution folded away in a ``??? success "Solution"`` block holding
a ```pycon example, which the page's Sybil run executes like any other example, and
at least one exercise per chapter asks the reader to predict before running.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.example import SybilFailure

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [
    "graphs.md",
    "network.md",
    "costs.md",
    "descent.md",
    "calculus.md",
    "backprop.md",
]
PREDICT = "*Predict, then run.*"


def exercises(page: str) -> list[tuple[str, str]]:
    """(title, text) of each exercise of the page's Exercises section."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    parts = re.split(r"(?m)^## Exercises\s*$", text)
    assert len(parts) == 2, f"{page}: expected one '## Exercises' section"
    section = parts[1]
    assert not re.search(r"(?m)^## ", section), (
        f"{page}: Exercises is not the last section"
    )
    found = re.split(r"(?m)^### (.+)$", section)[1:]
    return list(zip(found[::2], found[1::2], strict=True))


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_ends_with_three_or_more_exercises(page: str) -> None:
    assert len(exercises(page)) >= 3, f"{page}: fewer than three exercises"


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_exercise_has_a_folded_solution_with_an_example(page: str) -> None:
    for title, text in exercises(page):
        question, marker, solution = text.partition('??? success "Solution"')
        assert marker, f"{page}, {title}: no folded solution"
        assert "```pycon" not in question, (
            f"{page}, {title}: the answer shows before the fold"
        )
        assert re.search(r"(?m)^    ```pycon\n    >>> ", solution), (
            f"{page}, {title}: the solution has no example inside the fold"
        )


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_asks_for_a_prediction(page: str) -> None:
    assert any(PREDICT in text.partition("???")[0] for _, text in exercises(page)), (
        f"{page}: no exercise asks the reader to predict before running"
    )


def test_a_solutions_example_runs_and_can_fail(
    pycon_pages: Sybil, tmp_path: Path
) -> None:
    """An example inside a folded solution is collected and checked like any other."""
    page = tmp_path / "page.md"
    page.write_text(
        '### 1. Two\n\n??? success "Solution"\n\n    ```pycon\n    >>> 1 + 1\n    3\n\n    ```\n',
        encoding="utf-8",
    )
    found = list(pycon_pages.parse(page).examples())
    assert len(found) == 1
    with pytest.raises(SybilFailure, match="Expected:\n    3\nGot:\n    2"):
        found[0].evaluate()
