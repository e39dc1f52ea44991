"""Build hooks: KaTeX typesets; a TeX error or a reused equation number fails."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

HOOKS = Path(__file__).resolve().parent.parent / "hooks"


@pytest.fixture(scope="module")
def katex() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("katex_hook", HOOKS / "katex.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.on_shutdown()


def page(uri: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), present_anchor_ids=set())


def test_inline_and_display_math_become_katex_with_mathml(katex: ModuleType) -> None:
    html = (
        '<p>Let <span class="arithmatex">\\(x &lt; y\\)</span>.</p>\n'
        '<div class="arithmatex">\\[e = c \\cdot d \\tag{1}\\]</div>'
    )
    katex.on_pre_build(None)
    p = page("graphs.md")
    out = katex.on_page_content(html, p, None, None)
    assert "\\(" not in out
    assert "\\[" not in out
    assert out.count('class="katex"') == 2
    assert "<math" in out  # MathML for screen readers
    assert '<div class="arithmatex" id="eq-1">' in out
    assert "eq-1" in p.present_anchor_ids
    assert katex.equations == {"1": "graphs.md"}


def test_a_tex_error_fails_the_build_and_names_the_page(katex: ModuleType) -> None:
    bad = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    with pytest.raises(PluginError, match=r"broken\.md: KaTeX cannot render"):
        katex.on_page_content(bad, page("broken.md"), None, None)


def test_an_equation_number_is_used_once_on_the_whole_site(katex: ModuleType) -> None:
    katex.on_pre_build(None)
    tagged = '<div class="arithmatex">\\[a = b \\tag{7}\\]</div>'
    katex.on_page_content(tagged, page("one.md"), None, None)
    with pytest.raises(
        PluginError, match=r"two\.md: equation \(7\) is already numbered on one\.md"
    ):
        katex.on_page_content(tagged, page("two.md"), None, None)


def test_notebook_math_is_typeset_and_mathjax_dropped(katex: ModuleType) -> None:
    html = (
        "<!-- Load mathjax -->\n<script src=''></script>\n<!-- End of mathjax configuration -->"
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
        "<p>rate $\\eta = 3$ and $a &lt; b$</p><p>$$C = \\frac{1}{n}$$</p></div>"
        '<div class="jp-OutputArea-output"><pre>costs $5 and $6</pre></div>'
    )
    p = page("lab.ipynb")
    out = katex.on_page_content(html, p, None, None)
    assert "mathjax" not in out
    assert out.count('class="katex"') == 3
    assert "katex-display" in out
    assert "costs $5 and $6" in out  # code output is not math


def test_doctests_in_docstrings_become_console_blocks() -> None:
    spec = importlib.util.spec_from_file_location(
        "griffe_doctests", HOOKS / "griffe_doctests.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Sum:\n\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n\nDone.\n    >>> x\n    3"
    assert module.fence(text) == (
        "Sum:\n\n```pycon\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n```"
        "\n\nDone.\n    ```pycon\n    >>> x\n    3\n    ```"
    )
