"""MkDocs hook: typeset every formula with KaTeX when the site is built.

pymdownx.arithmatex (generic mode) leaves each formula in the HTML as
``<span class="arithmatex">\\(...\\)</span>`` or
``<div class="arithmatex">\\[...\\]</div>``.
This hook sends a page's formulas to one long-lived Node process running KaTeX
and puts the rendered HTML (with MathML for screen readers) in their place, so
readers' browsers run no math script and ask no other host for anything. A TeX
error fails the build and names the page and the formula.

Notebook pages (mkdocs-jupyter) write math as ``$...$`` and ``$$...$$`` in their
Markdown cells and load MathJax for it; the hook drops that MathJax block and
typesets those formulas the same way.

Display formulas carrying ``\\tag{N}`` get the anchor ``eq-N``; a number used
twice anywhere on the site fails the build. KaTeX's stylesheet and fonts are
copied from node_modules into ``assets/katex/``.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
SCRIPT = ROOT / "sitebuild" / "katex_render.cjs"

MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
TAG = re.compile(r"\\tag\{([^}]*)\}")
NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)',
    re.DOTALL,
)
DISPLAY_PARAGRAPH = re.compile(r"<p>\s*\$\$(.+?)\$\$\s*</p>", re.DOTALL)
DISPLAY_DOLLARS = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_DOLLARS = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")

_process: subprocess.Popen[str] | None = None
# equation number -> page where it stands, for the whole build
equations: dict[str, str] = {}


def _renderer() -> subprocess.Popen[str]:
    global _process
    if _process is None or _process.poll() is not None:
        if not KATEX_DIST.is_dir():
            raise PluginError(
                "KaTeX is not installed: run `npm ci` (the Makefile does it)"
            )
        _process = subprocess.Popen(
            ["node", str(SCRIPT)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
    return _process


def render_all(formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
    """KaTeX's answer for each (tex, display) pair, in one round trip."""
    process = _renderer()
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(
        json.dumps([{"tex": t, "display": d} for t, d in formulas]) + "\n"
    )
    process.stdin.flush()
    answer: list[dict[str, str]] = json.loads(process.stdout.readline())
    return answer


def on_pre_build(config: MkDocsConfig) -> None:
    equations.clear()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # All the fonts: browsers take the woff2 files, but the stylesheet names the
    # woff and ttf ones too, and a link checker rightly expects them to exist.
    for path in [KATEX_DIST / "katex.min.css", *sorted(KATEX_DIST.glob("fonts/*"))]:
        uri = "assets/katex/" + path.relative_to(KATEX_DIST).as_posix()
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def notebook_math(content: str) -> str:
    """Turn the $-delimited math of notebook Markdown cells into arithmatex markup.

    A paragraph that is only ``$$...$$`` becomes display math; any other
    ``$$...$$`` and every ``$...$`` inside a Markdown cell become inline math.
    Code cells and their outputs are left alone.
    """

    def cell(match: re.Match[str]) -> str:
        body = DISPLAY_PARAGRAPH.sub(
            r'<div class="arithmatex">\\[\1\\]</div>', match[2]
        )
        body = DISPLAY_DOLLARS.sub(
            r'<span class="arithmatex">\\(\\displaystyle \1\\)</span>', body
        )
        body = INLINE_DOLLARS.sub(r'<span class="arithmatex">\\(\1\\)</span>', body)
        return match[1] + body + match[3]

    return MARKDOWN_CELL.sub(cell, NOTEBOOK_MATHJAX.sub("", content))


def on_page_content(
    content: str, page: Page, config: MkDocsConfig, files: Files
) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        content = notebook_math(content)
    found = list(MATH.finditer(content))
    if not found:
        return content
    formulas = []
    for match in found:
        start, end = DELIMITERS[match[1]]
        tex = html.unescape(match[2]).strip()
        if not (tex.startswith(start) and tex.endswith(end)):
            raise PluginError(
                f"{page.file.src_uri}: unexpected math markup {match[0][:80]!r}"
            )
        formulas.append((tex[len(start) : -len(end)].strip(), match[1] == "div"))
    rendered = render_all(formulas)

    pieces, last = [], 0
    for match, (tex, display), result in zip(found, formulas, rendered, strict=True):
        if "error" in result:
            problem = result["error"]
            raise PluginError(
                f"{page.file.src_uri}: KaTeX cannot render {tex!r}: {problem}"
            )
        pieces += [
            content[last : match.start()],
            _wrap(result["html"], tex, display, page),
        ]
        last = match.end()
    pieces.append(content[last:])
    return "".join(pieces)


def _wrap(rendered: str, tex: str, display: bool, page: Page) -> str:
    if not display:
        return f'<span class="arithmatex">{rendered}</span>'
    tags = TAG.findall(tex)
    if not tags:
        return f'<div class="arithmatex">{rendered}</div>'
    if len(tags) > 1:
        raise PluginError(
            f"{page.file.src_uri}: one \\tag per display formula, got {tags}"
        )
    number = tags[0]
    if number in equations:
        raise PluginError(
            f"{page.file.src_uri}: equation ({number}) is already numbered"
            f" on {equations[number]}"
        )
    equations[number] = page.file.src_uri
    anchor = f"eq-{number}"
    if page.present_anchor_ids is not None:
        page.present_anchor_ids.add(anchor)
    return f'<div class="arithmatex" id="{anchor}">{rendered}</div>'


def on_shutdown() -> None:
    global _process
    if _process is not None:
        # Node exits once its input closes; then release the pipes.
        for stream in (_process.stdin, _process.stdout):
            if stream is not None:
                stream.close()
        try:
            _process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _process.kill()
            _process.wait()
        _process = None
