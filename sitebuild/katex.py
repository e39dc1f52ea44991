"""Markdown extension ``sitebuild.katex``: typeset every formula with KaTeX at build time.

pymdownx.arithmatex (generic mode) turns ``$...$`` into
``<span class="arithmatex">\\(...\\)</span>`` and ``$$...$$`` into
``<div class="arithmatex">\\[...\\]</div>``. This extension sends a page's
formulas to one long-lived Node process running KaTeX (``katex_render.cjs``
beside this file) and puts the rendered HTML, with MathML for screen readers,
in their place. Readers' browsers run no math script and ask no other host for
anything. A TeX error fails the build and names the formula.

A display formula carrying ``\\tag{N}`` gets the anchor ``eq-N``; two tags in
one formula (KaTeX refuses them) or one number twice on a page fail the build. (The pre-build
checks that no number is used on two pages: ``sitebuild.equations``.) KaTeX's
stylesheet and fonts are copied into ``docs/assets/katex/`` by the pre-build
step :func:`katex_assets`.

As a Markdown extension it runs wherever Python-Markdown renders the pages, in
MkDocs and in Zensical alike; list it in ``markdown_extensions`` after
``pymdownx.arithmatex`` and ``toc``. Its tree processor runs right after the
table of contents is made (same priority as ``toc``, registered after it), and
before MkDocs collects the page's anchors, so ``#eq-N`` links validate.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import subprocess
import threading
import xml.etree.ElementTree as etree  # noqa: N813 (as Python-Markdown names it)
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sitebuild.files import ROOT, BuildError, mirror

KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
SCRIPT = Path(__file__).with_name("katex_render.cjs")

DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
TAG = re.compile(r"\\tag\{([^}]*)\}")


class KatexError(BuildError):
    """TeX that KaTeX cannot typeset, or an equation number used twice."""


class _Renderer:
    """One Node process running KaTeX, shared by every page of a build."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()  # a builder may render pages on threads

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
        """KaTeX's answer, {"html"} or {"error"}, for each (tex, display) pair."""
        with self.lock:
            process = self._start()
            assert process.stdin is not None
            assert process.stdout is not None
            request = [{"tex": t, "display": d} for t, d in formulas]
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
            if not line:
                raise KatexError(f"KaTeX's Node process ended: exit {process.wait()}")
            answer: list[dict[str, str]] = json.loads(line)
            return answer

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            if not KATEX_DIST.is_dir():
                raise KatexError("KaTeX is not installed: run `npm ci` (make does)")
            self.process = subprocess.Popen(
                ["node", str(SCRIPT)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        return self.process

    def close(self) -> None:
        """Let Node exit (it does when its input closes) and release the pipes."""
        with self.lock:
            process, self.process = self.process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


renderer = _Renderer()
atexit.register(renderer.close)


def typeset(formulas: list[tuple[str, bool]]) -> list[str]:
    """KaTeX's HTML and MathML for each (tex, display) pair; a TeX error raises."""
    if not formulas:
        return []
    rendered = []
    for (tex, _), result in zip(formulas, renderer.render(formulas), strict=True):
        if "error" in result:
            raise KatexError(f"KaTeX cannot render {tex!r}: {result['error']}")
        rendered.append(result["html"])
    return rendered


class KatexTreeprocessor(Treeprocessor):
    """Replace each arithmatex element's TeX with KaTeX's rendering."""

    def run(self, root: etree.Element) -> None:
        found: list[tuple[etree.Element, str, bool]] = []
        for element in root.iter():
            if element.get("class") != "arithmatex" or element.tag not in DELIMITERS:
                continue
            start, end = DELIMITERS[element.tag]
            # Block math reaches the tree HTML-escaped, inline math as typed.
            text = element.text or ""
            tex = (html.unescape(text) if element.tag == "div" else text).strip()
            if len(element) or not (tex.startswith(start) and tex.endswith(end)):
                raise KatexError(f"unexpected math markup {etree.tostring(element)!r}")
            found.append(
                (element, tex[len(start) : -len(end)].strip(), element.tag == "div")
            )
        rendered = typeset([(tex, display) for _, tex, display in found])
        numbers: set[str] = set()
        for (element, tex, display), markup in zip(found, rendered, strict=True):
            element.text = self.md.htmlStash.store(markup)
            tags = TAG.findall(tex) if display else []  # KaTeX allows one
            if tags:
                if tags[0] in numbers:
                    raise KatexError(
                        f"equation ({tags[0]}) is numbered twice on the page"
                    )
                numbers.add(tags[0])
                element.set("id", f"eq-{tags[0]}")


class KatexExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Same priority as `toc`, registered after it: headings are read first,
        # and MkDocs' anchor collector (also 5, registered later) sees eq-N.
        md.treeprocessors.register(KatexTreeprocessor(md), "katex", 5)


def makeExtension(**kwargs: object) -> KatexExtension:
    return KatexExtension(**kwargs)


def katex_assets(docs: Path) -> None:
    """Pre-build step: KaTeX's stylesheet and all its fonts under ``docs/assets/katex/``.

    Browsers take the woff2 files, but the stylesheet names the woff and ttf
    ones too, and a link checker rightly expects them to exist.
    """
    if not KATEX_DIST.is_dir():
        raise BuildError("KaTeX is not installed: run `npm ci` (make does)")
    paths = [KATEX_DIST / "katex.min.css", *sorted(KATEX_DIST.glob("fonts/*"))]
    mirror(
        docs / "assets" / "katex",
        {path.relative_to(KATEX_DIST).as_posix(): path.read_bytes() for path in paths},
    )
