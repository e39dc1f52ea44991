"""The equation index: every numbered equation has code and a check; no reference dangles."""

from __future__ import annotations

from pathlib import Path

from sitebuild import equation_index as equations


def test_every_equation_has_code_and_a_check(nav: list[str]) -> None:
    index = equations.build_index(nav)
    assert sorted(index) == list(range(1, len(index) + 1))
    gaps = {n: e for n, e in index.items() if not e.code or not e.checked}
    assert not gaps, f"equations without code or a check: {sorted(gaps)}"
    assert "0 gaps" in equations.render(index)


def test_no_docstring_or_test_names_an_equation_that_does_not_exist(
    nav: list[str],
) -> None:
    numbers = set(equations.build_index(nav))
    dangling = set(equations.implementations()) - numbers
    assert not dangling, (
        f"docstrings name equations {sorted(dangling)}, which no page numbers"
    )
    dangling = set(equations.naming_tests()) - numbers
    assert not dangling, (
        f"tests name equations {sorted(dangling)}, which no page numbers"
    )


def test_an_equation_without_code_shows_up_as_a_gap(nav: list[str]) -> None:
    index = equations.build_index(nav)
    index[6].code.clear()
    page = equations.render(index)
    assert "1 gap**: (6)" in page
    assert "**gap: no code**" in page


def test_mentions_are_read_with_lists_and_ranges() -> None:
    assert equations.mentioned("eqs. (33) to (36) and eq. (9)") == {9, 33, 34, 35, 36}
    assert equations.mentioned("Eq. (4): forward mode") == {4}
    assert equations.mentioned("the equation") == set()


# -- the index credits only code that computes an equation and checks that test it ----


def credited_tests(index: dict) -> set[str]:
    return {test.split("::")[1] for e in index.values() for test in e.tests}


def test_the_index_parser_test_checks_no_equation(nav: list[str]) -> None:
    """The parser's test holds the text "eq. (9)" and "(33) to (36)" but runs none of their code."""
    index = equations.build_index(nav)
    assert "test_mentions_are_read_with_lists_and_ranges" not in credited_tests(index)
    own = {t for e in index.values() for t in e.tests if "test_equation_index" in t}
    assert not own, f"the index credits its own tests: {sorted(own)}"
    assert not {t for e in index.values() for t in e.tests if "test_hooks" in t}


def test_counting_and_checking_code_is_not_credited_as_computing(
    nav: list[str],
) -> None:
    index = equations.build_index(nav)
    # multiply_adds counts the products of eqs. (34) and (36); it computes neither.
    assert not any(
        name.endswith("multiply_adds") for e in index.values() for name in e.code
    )
    # The numerical checker measures δ^l to check eq. (32); it does not compute it.
    assert not any("gradcheck" in name for e in index.values() for name in e.code)
    assert index[34].code
    assert index[36].code
    assert index[32].code
    # Eq. (10), the empirical cost, has code of its own, called on its page.
    assert any("costs" in name for name in index[10].code)
    assert index[10].examples >= 1


def test_only_the_summary_names_what_code_computes(tmp_path: Path) -> None:
    """A synthetic package and test suite: the positive and negative cases side by side."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\n## Section\n\n$$ y = f(x) \\tag{1} $$\n\n$$ z = g(x) \\tag{2} $$\n\n"
        "```pycon\n>>> f(1)\n2\n\n```\n\n```pycon\n>>> print('g(1)')\ng(1)\n\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "backprop").mkdir()
    (tmp_path / "backprop" / "maths.py").write_text(
        'def f(x):\n    """Eq. (1): y = f(x).\n\n    >>> f(1)\n    2\n    """\n'
        "    return x + 1\n\n\n"
        'def count(x):\n    """How much work f does.\n\n    Eq. (2) costs as much.\n    """\n'
        "    return 1\n\n\n"
        'def g(x):\n    """Eq. (2): z = g(x)."""\n    return x\n',
        encoding="utf-8",
    )
    (tmp_path / "backprop" / "gradcheck.py").write_text(
        'def measured(x):\n    """Eq. (1), measured by finite differences."""\n    return x\n',
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_maths.py").write_text(
        "def test_f():\n    assert f(1) == 2  # eq. (1)\n\n\n"
        "def test_text():\n    assert 'eq. (2) g' in 'eq. (2) g is tested'  # eq. (2)\n\n\n"
        'def test_parser():\n    """Eq. (1) and eq. (2) in a string."""\n'
        "    assert mentioned('eq. (1)') == {1}\n",
        encoding="utf-8",
    )
    index = equations.build_index(["page.md"], root=tmp_path)
    assert index[1].code == ["backprop.maths.f"]  # not gradcheck.measured
    assert index[2].code == ["backprop.maths.g"]  # not count, which names it below
    assert index[1].doctests == ["backprop.maths.f"]
    assert [t.split("::")[1] for t in index[1].tests] == ["test_f"]
    assert index[2].tests == []  # test_text names eq. (2) and g only in strings
    assert index[1].examples == 1  # f(1) is called; print('g(1)') calls no g
    assert index[2].examples == 0
    assert not index[2].checked
    assert "1 gap**: (2)" in equations.render(index)


def test_code_is_found_where_it_is_used_not_where_it_is_named() -> None:
    assert equations.calls("net.backprop(x, y)", "backprop.network.Network.backprop")
    assert equations.calls("from backprop.x import f as g", "backprop.x.f")
    assert equations.calls("u * v", "backprop.graph.Var.__mul__")
    assert not equations.calls("u + v", "backprop.graph.Var.__mul__")
    assert not equations.calls("'backprop(x, y)'", "backprop.network.Network.backprop")
    assert not equations.calls("# backprop(x)", "backprop.network.Network.backprop")
