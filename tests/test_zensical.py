"""The Zensical build (``make site-zensical``) has what makes the site: math, figures, index, notebook.

Zensical reads mkdocs.yml but runs no MkDocs hook and no MkDocs plugin other
than the ones it reimplements; everything the site computes comes from the
pre-build (``python -m sitebuild``) and the site's Markdown extensions. These
tests read ``site-zensical/`` as ``make site-zensical`` left it (``make
test-zensical`` builds it first) and carry the marker ``zensical``, so a plain
``pytest`` leaves them out. The browser tests (tests/browser/) run on the
MkDocs build, which stays the default until the Zensical build passes them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitebuild.equations import numbered
from sitebuild.nav import nav_sources

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site-zensical"
DOCS = ROOT / "docs"

pytestmark = pytest.mark.zensical

# TeX that was not typeset, as in tests/browser/test_pages.py.
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]+|\$[^\s$][^$\n]*\$")
PAGES = nav_sources()


class _Text(HTMLParser):
    """The text a reader sees in a page's article, outside code and KaTeX's MathML."""

    SKIP = frozenset({"pre", "code", "script", "style", "math", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <article>
        self.skipping: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if tag in self.SKIP:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.texts.append(data)


def folder_of(source: str) -> Path:
    """The folder of a page in the built site (directory URLs)."""
    stem = source.rsplit(".", 1)[0]
    return SITE if stem == "index" else SITE / stem


def html_of(source: str) -> str:
    path = folder_of(source) / "index.html"
    assert path.is_file(), f"{source}: no page in site-zensical/"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            "site-zensical/ is not built: run `make site-zensical`", pytrace=False
        )


@pytest.mark.parametrize("source", PAGES)
def test_every_formula_is_typeset(source: str) -> None:
    page = html_of(source)
    assert not re.search(r'class="arithmatex">\s*\\[(\[]', page), (
        "TeX left for a script"
    )
    text = _Text()
    text.feed(page)
    raw = [m[0] for t in text.texts for m in RAW_TEX.finditer(t)]
    assert not raw, f"TeX left as text: {raw[:5]}"
    source_text = (DOCS / source).read_text(encoding="utf-8")
    if re.search(r"\$[^\s$]", source_text):
        assert 'class="katex"' in page, "the page has math but KaTeX typeset none"
        assert "<math" in page, "no MathML for screen readers"


def test_every_figure_is_served_and_every_image_found() -> None:
    drawn = sorted(
        p.relative_to(DOCS).as_posix() for p in (DOCS / "figures").rglob("*.svg")
    )
    assert drawn, "the pre-build drew no figure"
    for name in drawn:
        assert (SITE / name).read_bytes() == (DOCS / name).read_bytes(), name
    shown = set()
    for source in PAGES:
        for src in re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', html_of(source)):
            if src.startswith("data:"):
                continue
            target = (folder_of(source) / src).resolve()
            assert target.is_file(), f"{source}: image {src} is not in the site"
            shown.add(target.relative_to(SITE).as_posix())
    assert set(drawn) <= shown | {n for n in drawn if n.endswith(".phone.svg")}, (
        f"figures no page shows: {sorted(set(drawn) - shown)}"
    )


def test_the_equation_index_links_every_equation_to_its_anchor() -> None:
    where = numbered(DOCS, PAGES)
    assert where, "no page numbers an equation"
    index = html_of("equations.md")
    for number, source in where.items():
        target = source.rsplit(".", 1)[0]
        assert f'href="../{target}/#eq-{number}"' in index, f"no row for ({number})"
        assert f'id="eq-{number}"' in html_of(source), (
            f"{source} has no anchor eq-{number}"
        )


def test_the_notebook_is_executed_and_shown_with_its_outputs() -> None:
    generated = (DOCS / "lab.md").read_text(encoding="utf-8")
    page = html_of("lab.md")
    outputs = generated.count('<div class="notebook-output">')
    assert outputs >= 5, "the executed notebook has too few outputs"
    assert page.count('<div class="notebook-output">') == outputs
    assert "test digits correct" in page  # printed by a cell when it ran
    pictures = re.findall(r'<img alt="([^"]+)" src="data:image/svg\+xml;base64,', page)
    assert len(pictures) == 3, "the notebook's three figures"
    assert (SITE / "lab.ipynb").read_bytes() == (DOCS / "lab.ipynb").read_bytes()
    assert re.search(r'<a href="\.\./lab\.ipynb"[^>]*\bdownload\b', page), (
        "no download link"
    )
