"""The equation index page, and links from "eq. (N)" to where equation N is derived.

* Pre-build step :func:`equation_index`: checks that every ``\\tag{N}`` number
  stands on one page only, once, and writes ``docs/equations.md``. What the
  index says (where each equation stands, the code that computes it, what
  checks it) is worked out by :mod:`sitebuild.equation_index`.
* Markdown extension ``sitebuild.equations``: on the pages named in its
  ``pages`` option (the API reference), every "eq. (N)" or "eqs. (N)" in the
  text becomes a link to the anchor ``eq-N`` of the page where N is derived.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from sitebuild.equation_index import FENCE, PAGE, TAG, build_index, render
from sitebuild.files import ROOT, BuildError, cache_folder, source_hash, write
from sitebuild.nav import nav_sources, page_url


def numbered(docs: Path, pages: list[str]) -> dict[int, str]:
    """Equation number -> the page that numbers it, outside code blocks.

    A number used twice, on one page or on two, is an error.
    """
    found: dict[int, str] = {}
    for name in pages:
        if not name.endswith(".md") or name == PAGE or not (docs / name).is_file():
            continue
        in_fence = False
        for line in (docs / name).read_text(encoding="utf-8").splitlines():
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            for number in map(int, TAG.findall(line) if not in_fence else []):
                if number in found:
                    raise BuildError(
                        f"{name}: equation ({number}) is already numbered"
                        f" on {found[number]}"
                    )
                found[number] = name
    return found


def index_sources(docs: Path) -> list[Path]:
    """Every file the index is worked out from: pages, package, tests, its rules."""
    pages = [
        path
        for path in docs.rglob("*.md")
        if path.name != PAGE and not path.with_suffix(".ipynb").is_file()
    ]
    return [
        *pages,
        *(ROOT / "backprop").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        ROOT / "sitebuild" / "equation_index.py",
        ROOT / "mkdocs.yml",
    ]


def equation_index(docs: Path) -> None:
    """Pre-build step: check the numbering and write ``docs/equations.md``.

    Working out the index reads every test module, a second or so; the page is
    kept in ``.build-cache/equations/<key>/``, keyed by a hash of its sources, so
    that a rebuild of ``mkdocs serve`` after an edit elsewhere takes no time.
    """
    pages = nav_sources()
    numbered(docs, pages)

    def work_out(folder: Path) -> None:
        (folder / PAGE).write_text(render(build_index(pages)))

    folder = cache_folder("equations", source_hash(index_sources(docs)), work_out)
    write(docs / PAGE, (folder / PAGE).read_bytes())


# -- links from the API reference to the equations -----------------------------------

EQ_TEXT = re.compile(r"\b([Ee]qs?\.\s*)\((\d+)\)")
# Left alone: code, text that is a link already, and the tags themselves.
PIECES = re.compile(r"(<pre.*?</pre>|<code.*?</code>|<a\b.*?</a>|<[^>]+>)", re.DOTALL)


def link_equations(text: str, here: str, where: dict[int, str]) -> str:
    """Every "eq. (N)" in the text (outside tags, links and code) linked to ``eq-N`` of its page.

    >>> link_equations("<p>By eq. (3); <code>eq. (3)</code></p>", "api.md", {3: "graphs.md"})
    '<p>By eq. <a href="../graphs/#eq-3">(3)</a>; <code>eq. (3)</code></p>'
    """
    base = page_url(here) or "."

    def link(match: re.Match[str]) -> str:
        number = int(match[2])
        if number not in where:
            return match[0]
        url = posixpath.relpath(page_url(where[number]) or ".", base)
        return f'{match[1]}<a href="{url}/#eq-{number}">({number})</a>'

    pieces = PIECES.split(text)
    return "".join(p if p.startswith("<") else EQ_TEXT.sub(link, p) for p in pieces)


def current_page(md: Markdown) -> str | None:
    """The docs-relative path of the page `md` is rendering, in MkDocs or Zensical."""
    if "relpath" in md.treeprocessors:  # MkDocs' link resolver knows its page
        file = getattr(md.treeprocessors["relpath"], "file", None)
        return getattr(file, "src_uri", None)
    for processor in md.preprocessors:  # Zensical's rendering context
        page = getattr(processor, "page", None)
        if processor.__class__.__name__ == "ContextPreprocessor" and page is not None:
            return str(page.path)
    return None


class EquationLinks(Postprocessor):
    def __init__(self, md: Markdown, pages: list[str]) -> None:
        super().__init__(md)
        self.pages = pages

    def run(self, text: str) -> str:
        here = current_page(self.md)
        if here not in self.pages:
            return text
        return link_equations(text, here, equation_pages())


_known: tuple[object, dict[int, str]] = ((), {})


def equation_pages(docs: Path = ROOT / "docs") -> dict[int, str]:
    """:func:`numbered` for the nav's pages, read again only when one of them changes.

    mkdocstrings renders each docstring of the API reference on its own, and
    each rendering asks; reading every page each time would take seconds.
    """
    global _known
    files = [ROOT / "mkdocs.yml", *sorted(docs.glob("*.md"))]
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if _known[0] != stamp:
        _known = (stamp, numbered(docs, nav_sources()))
    return _known[1]


class EquationLinksExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pages": [[], "pages whose 'eq. (N)' become links"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After the raw HTML (mkdocstrings' output) is put back into the page.
        md.postprocessors.register(
            EquationLinks(md, list(self.getConfig("pages"))), "equation_links", 15
        )


def makeExtension(**kwargs: Any) -> EquationLinksExtension:
    return EquationLinksExtension(**kwargs)
