"""The equation index, worked out from the sources at build time.

For every equation numbered with ``\\tag{N}`` on a page of the site it finds:

* where it stands: the page and the section (the nearest heading above it);
* the code that computes it: every public function, method or class of
  ``backprop/`` whose docstring *summary* (its first paragraph) names it
  ("Eq. (N): ...", "... (eqs. 7 and 8)"). A number named further down a
  docstring is a cross-reference, not a claim to compute it: ``multiply_adds``
  counts the products of eqs. (34) and (36) without computing either. The
  numerical checker, ``backprop.gradcheck``, measures derivatives in order to
  check the code that computes them, so it is never credited as that code;
* what checks it: doctests in the docstrings of that code; ``pycon`` examples
  in the equation's own section of the page that call that code; and tests in
  ``tests/`` whose name, docstring or comments name the equation *and* whose
  body calls that code. A test that merely contains the text "eq. (4)", such
  as a test of this module's own parser, checks nothing about eq. (4).

:func:`render` gives the index as the page ``equations.md``, which the
pre-build step :func:`sitebuild.equations.equation_index` writes into ``docs/``.
The equation numbering itself (:data:`PAGE`, :data:`TAG`, :data:`FENCE`) is
defined here, once, for the whole build. Nothing in the index is typed by hand;
an equation without code or without a check is listed as a gap, and
tests/test_equation_index.py fails on any gap.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from markdown.extensions.toc import slugify

from sitebuild.files import ROOT

#: The generated page of the index, relative to ``docs/``.
PAGE = "equations.md"
#: Modules whose functions check derivatives rather than compute an equation.
CHECKERS = ("backprop.gradcheck",)
#: Operators that run an equation's code without naming it: ``u + v`` calls ``__add__``.
OPERATORS = {"__add__": ast.Add, "__mul__": ast.Mult}

#: An equation's number, as a page writes it in TeX.
TAG = re.compile(r"\\tag\{(\d+)\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
#: A line that opens or closes a fenced code block (where no tag counts).
FENCE = re.compile(r"^\s*```", re.MULTILINE)
MENTION = re.compile(r"\b[Ee]qs?\.\s*\(?\d+\)?(?:\s*(?:,|and|to|or)\s*\(?\d+\)?)*")


def mentioned(text: str) -> set[int]:
    """The equation numbers a text names: "eq. (4)", "eqs. (16) and (17)", "eqs. (14) to (19)".

    >>> sorted(mentioned("See eq. (4), eqs. (16) and (17), and eqs. (20) to (22); eq. 9 too."))
    [4, 9, 16, 17, 20, 21, 22]
    """
    numbers: set[int] = set()
    for match in MENTION.finditer(text):
        found = [int(n) for n in re.findall(r"\d+", match[0])]
        numbers.update(found)
        for a, b in pairwise(found):
            if re.search(rf"\(?{a}\)?\s*to\s*\(?{b}\)?", match[0]):
                numbers.update(range(a, b + 1))
    return numbers


@dataclass
class Equation:
    number: int
    page: str  # docs-relative path of the page
    section: str  # the heading above it
    anchor: str  # the heading's anchor
    code: list[str] = field(default_factory=list)  # dotted names of implementations
    doctests: list[str] = field(default_factory=list)  # dotted names with doctests
    blocks: list[str] = field(default_factory=list)  # pycon sources in its section
    examples: int = 0  # those of the blocks that call its code
    tests: list[str] = field(
        default_factory=list
    )  # tests naming it and calling its code

    @property
    def checked(self) -> bool:
        return bool(self.doctests or self.examples or self.tests)


def slug(heading: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading."""
    return slugify(re.sub(r"\$([^$]*)\$", r"\1", heading), "-")


def equations_on_pages(nav_pages: list[str], root: Path = ROOT) -> dict[int, Equation]:
    found: dict[int, Equation] = {}
    for name in nav_pages:
        notebook = (root / "docs" / name).with_suffix(".ipynb")
        if not name.endswith(".md") or name == PAGE or notebook.is_file():
            continue  # generated pages: this index, a notebook's page
        text = (root / "docs" / name).read_text(encoding="utf-8")
        headings = [
            (m.start(), m[2])
            for m in HEADING.finditer(text)
            if not _in_fence(text, m.start())
        ]
        for match in TAG.finditer(text):
            title = next(
                (h for start, h in reversed(headings) if start < match.start()), name
            )
            section_start = next(
                (s for s, _ in reversed(headings) if s < match.start()), 0
            )
            section_end = next((s for s, _ in headings if s > match.start()), len(text))
            blocks = [
                code
                for start, code in pycon_blocks(text)
                if section_start <= start < section_end
            ]
            found[int(match[1])] = Equation(
                int(match[1]), name, title, slug(title), blocks=blocks
            )
    return found


def pycon_blocks(text: str) -> list[tuple[int, str]]:
    """The ``pycon`` blocks of a page: where each starts, and its Python source.

    >>> pycon_blocks("Text\\n```pycon\\n>>> f(1)\\n2\\n>>> for i in x:\\n...     g(i)\\n\\n```\\n")
    [(5, 'f(1)\\nfor i in x:\\n    g(i)')]
    """
    found = []
    for match in re.finditer(r"^```pycon\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        lines = [
            line[4:]
            for line in match[1].splitlines()
            if line.startswith((">>> ", "... ")) or line in (">>>", "...")
        ]
        found.append((match.start(), "\n".join(lines)))
    return found


def _in_fence(text: str, position: int) -> bool:
    return len(FENCE.findall(text, 0, position)) % 2 == 1


def summary(doc: str) -> str:
    """A docstring's first paragraph, where it says what the code computes.

    >>> summary("Eq. (33): the output error.\\n\\nUses eq. (9) for the derivative.")
    'Eq. (33): the output error.'
    """
    return doc.strip().split("\n\n")[0]


def implementations(root: Path = ROOT) -> dict[int, list[tuple[str, bool]]]:
    """Equation number → (dotted name, has a doctest) of the code that computes it.

    Code computes an equation when its docstring's summary names it; the
    checker modules in :data:`CHECKERS` and the figures never do.
    """
    found: dict[int, list[tuple[str, bool]]] = {}
    for path in sorted((root / "backprop").rglob("*.py")):
        if "figures" in path.parts:  # drawings of the equations, not their code
            continue
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if module in CHECKERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _documented(tree, module):
            doc = ast.get_docstring(node) or ""
            for number in mentioned(summary(doc)):
                found.setdefault(number, []).append((name, ">>>" in doc))
    return found


def calls(source: str, name: str) -> bool:
    """Whether Python `source` uses the code `name` (a dotted name, matched by its last part).

    A name counts where it is used (``f(x)``, ``net.backprop``, ``from m import f``),
    not where it stands in a string; ``Var.__add__`` counts wherever ``+`` does.

    >>> calls("x = output_error(a, y)", "backprop.network.output_error")
    True
    >>> calls("assert mentioned('eq. (33) output_error') == {33}", "backprop.network.output_error")
    False
    >>> calls("f = a + b", "backprop.graph.Var.__add__")
    True
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    last = name.rsplit(".", 1)[-1]
    operator = OPERATORS.get(last)
    for node in ast.walk(tree):
        if operator is not None:
            if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(
                node.op, operator
            ):
                return True
        elif (
            (isinstance(node, ast.Name) and node.id == last)
            or (isinstance(node, ast.Attribute) and node.attr == last)
            or (isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == last)
        ):
            return True
    return False


def _documented(tree: ast.Module, module: str) -> list[tuple[str, ast.AST]]:
    """Public functions, classes and methods of a module, with their dotted names."""
    found: list[tuple[str, ast.AST]] = []
    for node in tree.body:
        if isinstance(
            node, ast.FunctionDef | ast.ClassDef
        ) and not node.name.startswith("_"):
            found.append((f"{module}.{node.name}", node))
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and (
                        not item.name.startswith("_")
                        or item.name in ("__add__", "__mul__")
                    ):
                        found.append((f"{module}.{node.name}.{item.name}", item))
    return found


def named_in_test(node: ast.FunctionDef, source: str) -> set[int]:
    """The equations a test names in its name, docstring or comments (not its strings)."""
    text = ast.get_docstring(node) or ""
    # Whole lines, so that a comment after the last statement is read too.
    lines = source.splitlines()[node.lineno - 1 : node.end_lineno]
    segment = textwrap.dedent("\n".join(lines)) + "\n"
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(segment).readline))
    except (tokenize.TokenError, IndentationError):
        tokens = []
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    numbers = mentioned(text + "\n" + "\n".join(comments))
    return numbers | {int(n) for n in re.findall(r"eq_?(\d+)", node.name)}


def collect_tests(root: Path = ROOT) -> list[tuple[str, set[int], str]]:
    """Every test in ``tests/``: its id, the equations it names, and its source."""
    found = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                found.append(
                    (
                        f"{path.relative_to(root)}::{node.name}",
                        named_in_test(node, source),
                        ast.get_source_segment(source, node) or "",
                    )
                )
    return found


def naming_tests(root: Path = ROOT) -> dict[int, list[str]]:
    """Equation number → test functions whose name, docstring or comments name it."""
    found: dict[int, list[str]] = {}
    for test, numbers, _ in collect_tests(root):
        for number in numbers:
            found.setdefault(number, []).append(test)
    return found


def build_index(nav_pages: list[str], root: Path = ROOT) -> dict[int, Equation]:
    """Every numbered equation with the code that computes it and the checks that test it."""
    index = equations_on_pages(nav_pages, root)
    for number, names in implementations(root).items():
        if number in index:
            index[number].code += [name for name, _ in names]
            index[number].doctests += [name for name, has in names if has]
    tests = collect_tests(root)
    for e in index.values():
        e.examples = sum(
            any(calls(block, name) for name in e.code) for block in e.blocks
        )
        e.tests += [
            test
            for test, numbers, source in tests
            if e.number in numbers and any(calls(source, name) for name in e.code)
        ]
    return index


def render(index: dict[int, Equation]) -> str:
    gaps = [e.number for e in index.values() if not e.code or not e.checked]
    lines = [
        "# Equation index",
        "",
        "Every numbered equation of the site: where it is derived, the package code",
        "that computes it, and what checks it numerically. This page is generated",
        "when the site is built, from the pages, the package's docstrings and the",
        "tests; a test fails if any equation lacks code or a check.",
        "",
        f"**{len(index)} equations, {len(gaps)} gap{'' if len(gaps) == 1 else 's'}**"
        + (": " + ", ".join(f"({n})" for n in gaps) if gaps else "."),
        "",
        "| Eq. | Where | Computed by | Checked by |",
        "|---|---|---|---|",
    ]
    for number in sorted(index):
        e = index[number]
        where = f"[{e.section}]({e.page}#{e.anchor})"
        code = (
            ", ".join(f"[`{_short(n)}`][{_target(n)}]" for n in dict.fromkeys(e.code))
            or "**gap: no code**"
        )
        checks = []
        if e.examples:
            checks.append(
                f"{e.examples} example{'s' if e.examples > 1 else ''} on the page"
            )
        if e.doctests:
            checks.append(
                f"{len(set(e.doctests))} docstring doctest{'s' if len(set(e.doctests)) > 1 else ''}"
            )
        if e.tests:
            checks.append(
                f"{len(set(e.tests))} test{'s' if len(set(e.tests)) > 1 else ''}: "
                + ", ".join(f"`{t.split('::')[1]}`" for t in dict.fromkeys(e.tests))
            )
        lines.append(
            f"| [({number})]({e.page}#eq-{number}) | {where} | {code} | "
            f"{'; '.join(checks) or '**gap: no check**'} |"
        )
    return "\n".join(lines) + "\n"


def _short(name: str) -> str:
    return name.removeprefix("backprop.")


def _target(name: str) -> str:
    """The API entry to link: a method such as Var.__add__ is documented with its class."""
    parts = name.split(".")
    return ".".join(parts[:-1]) if parts[-1].startswith("_") else name
