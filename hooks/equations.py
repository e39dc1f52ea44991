"""MkDocs hook: the equation index, generated from the sources at build time.

For every equation numbered with ``\\tag{N}`` on a page of the site it finds:

* where it stands: the page and the section (the nearest heading above it);
* the code that implements it: every function, method or class of ``backprop/``
  whose docstring names it ("eq. (N)", "eqs. (N) and (M)", "eqs. (N) to (M)");
* what checks it: doctests in those docstrings, ``pycon`` examples in the
  equation's own section of the page, and tests in ``tests/`` that name it.

It writes the index as the page ``equations.md``. Nothing in it is typed by
hand; an equation without code or without a check is listed as a gap, and
tests/test_equation_index.py fails on any gap.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from markdown.extensions.toc import slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
PAGE = "equations.md"

TAG = re.compile(r"\\tag\{(\d+)\}")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
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
    examples: int = 0  # pycon examples in its section of the page
    tests: list[str] = field(default_factory=list)  # test functions naming it

    @property
    def checked(self) -> bool:
        return bool(self.doctests or self.examples or self.tests)


def slug(heading: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading."""
    return slugify(re.sub(r"\$([^$]*)\$", r"\1", heading), "-")


def equations_on_pages(nav_pages: list[str]) -> dict[int, Equation]:
    found: dict[int, Equation] = {}
    for name in nav_pages:
        if not name.endswith(".md") or name == PAGE:
            continue
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
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
            examples = text.count("```pycon", section_start, section_end)
            found[int(match[1])] = Equation(
                int(match[1]), name, title, slug(title), examples=examples
            )
    return found


def _in_fence(text: str, position: int) -> bool:
    return len(FENCE.findall(text, 0, position)) % 2 == 1


def implementations() -> dict[int, list[tuple[str, bool]]]:
    """Equation number → (dotted name, has a doctest) of every docstring naming it."""
    found: dict[int, list[tuple[str, bool]]] = {}
    for path in sorted((ROOT / "backprop").rglob("*.py")):
        if "figures" in path.parts:  # drawings of the equations, not their code
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _documented(tree, module):
            doc = ast.get_docstring(node) or ""
            for number in mentioned(doc.split("\n\n")[0] + "\n" + doc):
                found.setdefault(number, []).append((name, ">>>" in doc))
    return found


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


def tests_naming() -> dict[int, list[str]]:
    """Equation number → test functions whose name, docstring or body names it."""
    found: dict[int, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                body = ast.get_source_segment(source, node) or ""
                numbers = mentioned(body) | {
                    int(n) for n in re.findall(r"eq_?(\d+)", node.name)
                }
                for number in numbers:
                    found.setdefault(number, []).append(
                        f"{path.relative_to(ROOT)}::{node.name}"
                    )
    return found


def build_index(nav_pages: list[str]) -> dict[int, Equation]:
    index = equations_on_pages(nav_pages)
    for number, names in implementations().items():
        if number in index:
            index[number].code += [name for name, _ in names]
            index[number].doctests += [name for name, has in names if has]
    for number, tests in tests_naming().items():
        if number in index:
            index[number].tests += tests
    return index


def nav_pages(config: MkDocsConfig) -> list[str]:
    pages: list[str] = []

    def walk(items: object) -> None:
        if isinstance(items, list):
            for item in items:
                walk(item)
        elif isinstance(items, dict):
            for value in items.values():
                walk(value)
        elif isinstance(items, str):
            pages.append(items)

    walk(config["nav"])
    return pages


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


# -- links from the API reference to the equations -----------------------------------

_pages: dict[int, str] = {}  # equation number -> page it stands on, for this build
EQ_TEXT = re.compile(r"\b([Ee]qs?\.\s*)\((\d+)\)")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """In the API reference, make every "eq. (N)" a link to where equation N is derived."""
    if page.file.src_uri != "api.md":
        return html

    def link(match: re.Match[str]) -> str:
        number = int(match[2])
        target = files.get_file_from_path(_pages.get(number, ""))
        if target is None:
            return match[0]
        url = get_relative_url(target.url, page.url) + f"#eq-{number}"
        return f'{match[1]}<a href="{url}">({number})</a>'

    # Only text outside tags and outside code blocks.
    pieces = re.split(r"(<pre.*?</pre>|<code.*?</code>|<[^>]+>)", html, flags=re.DOTALL)
    return "".join(p if p.startswith("<") else EQ_TEXT.sub(link, p) for p in pieces)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    index = build_index(nav_pages(config))
    _pages.clear()
    _pages.update({number: e.page for number, e in index.items()})
    files.append(File.generated(config, PAGE, content=render(index)))
    return files
