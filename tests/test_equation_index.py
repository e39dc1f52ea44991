"""The equation index: every numbered equation has code and a check; no reference dangles."""

from __future__ import annotations

from types import ModuleType


def test_every_equation_has_code_and_a_check(
    equations: ModuleType, nav: list[str]
) -> None:
    index = equations.build_index(nav)
    assert sorted(index) == list(range(1, len(index) + 1))
    gaps = {n: e for n, e in index.items() if not e.code or not e.checked}
    assert not gaps, f"equations without code or a check: {sorted(gaps)}"
    assert "0 gaps" in equations.render(index)


def test_no_docstring_or_test_names_an_equation_that_does_not_exist(
    equations: ModuleType, nav: list[str]
) -> None:
    numbers = set(equations.build_index(nav))
    dangling = set(equations.implementations()) - numbers
    assert not dangling, (
        f"docstrings name equations {sorted(dangling)}, which no page numbers"
    )
    dangling = set(equations.tests_naming()) - numbers
    assert not dangling, (
        f"tests name equations {sorted(dangling)}, which no page numbers"
    )


def test_an_equation_without_code_shows_up_as_a_gap(
    equations: ModuleType, nav: list[str]
) -> None:
    index = equations.build_index(nav)
    index[6].code.clear()
    page = equations.render(index)
    assert "1 gap**: (6)" in page
    assert "**gap: no code**" in page


def test_mentions_are_read_with_lists_and_ranges(equations: ModuleType) -> None:
    assert equations.mentioned("eqs. (33) to (36) and eq. (9)") == {9, 33, 34, 35, 36}
    assert equations.mentioned("Eq. (4): forward mode") == {4}
    assert equations.mentioned("the equation") == set()
