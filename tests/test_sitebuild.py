"""The site's build (sitebuild/): KaTeX typesets, numbering is checked, steps write only changes.

Also the griffe extension that shows the API reference's doctests as console blocks."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import nbformat
import pytest

from sitebuild.equations import link_equations, numbered
from sitebuild.files import BuildError, mirror, write
from sitebuild.griffe_doctests import fence
from sitebuild.katex import KatexError
from sitebuild.notebook import execute, page

EXTENSIONS = ["toc", "pymdownx.arithmatex", "sitebuild.katex"]
CONFIGS = {"pymdownx.arithmatex": {"generic": True}}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)


def test_inline_and_display_math_become_katex_with_mathml() -> None:
    out = render("Let $x < y \\;\\&\\; y$.\n\n$$\ne = c \\cdot d \\tag{1}\n$$\n")
    assert "\\(" not in out
    assert "\\[" not in out
    assert out.count('class="katex"') == 2
    assert out.count("<math") == 2  # MathML for screen readers
    assert '<annotation encoding="application/x-tex">x &lt; y \\;\\&amp;\\; y' in out
    assert '<div class="arithmatex" id="eq-1">' in out
    assert 'class="katex-tag"' in out  # KaTeX draws the number


def test_a_tex_error_fails_the_build_and_names_the_formula() -> None:
    with pytest.raises(KatexError, match=r"KaTeX cannot render '\\\\frac\{1\}\{'"):
        render("Broken: $\\frac{1}{$.")


def test_an_equation_number_is_used_once_on_a_page() -> None:
    with pytest.raises(KatexError, match=r"equation \(7\) is numbered twice"):
        render("$$a = b \\tag{7}$$\n\n$$c = d \\tag{7}$$\n")
    with pytest.raises(KatexError, match=r"Multiple \\tag"):
        render("$$a = b \\tag{7} \\tag{8}$$\n")


def test_an_equation_number_is_used_once_on_the_whole_site(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("$$a = b \\tag{1}$$\n\n```tex\n\\tag{2}\n```\n")
    (tmp_path / "two.md").write_text("$$c \\tag{2}$$\n")
    assert numbered(tmp_path, ["one.md", "two.md"]) == {1: "one.md", 2: "two.md"}
    (tmp_path / "two.md").write_text("$$c \\tag{2}$$ and $$d \\tag{1}$$\n")
    with pytest.raises(
        BuildError, match=r"two\.md: equation \(1\) is already numbered on one\.md"
    ):
        numbered(tmp_path, ["one.md", "two.md"])


def test_eq_mentions_link_to_the_derivation_outside_code() -> None:
    text = '<p>See eqs. (2) and eq. (9); <a href="x">eq. (2)</a></p><pre>eq. (2)</pre>'
    out = link_equations(text, "api.md", {2: "calculus.md", 3: "index.md"})
    assert out.count('href="../calculus/#eq-2"') == 1
    assert "eq. (9)" in out  # no page numbers it: left as text
    assert "<pre>eq. (2)</pre>" in out
    assert (
        link_equations("eq. (3)", "api.md", {3: "index.md"})
        == 'eq. <a href="../#eq-3">(3)</a>'
    )


def test_a_step_writes_a_file_only_when_its_bytes_change(tmp_path: Path) -> None:
    target = tmp_path / "figures" / "a.svg"
    assert write(target, b"<svg/>")
    os.utime(target, (0, 0))
    assert not write(target, b"<svg/>")
    assert target.stat().st_mtime == 0  # untouched: mkdocs serve sees no change
    (tmp_path / "figures" / "old").mkdir()
    (tmp_path / "figures" / "old" / "b.svg").write_bytes(b"")
    assert mirror(tmp_path / "figures", {"a.svg": b"<svg/>", "c/d.svg": b"d"}) == 1
    found = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert found == ["figures", "figures/a.svg", "figures/c", "figures/c/d.svg"]


def test_a_notebook_becomes_a_page_with_its_outputs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lab\n\nRate $\\eta$."),
            nbformat.v4.new_code_cell("print('a < b')\n1 + 1"),
            nbformat.v4.new_code_cell(
                'from IPython.display import HTML\nHTML(\'<img alt="a dot" src="d.svg">\')'
            ),
        ]
    )
    path = tmp_path / "lab.ipynb"
    nbformat.write(nb, path)
    text = page(execute(path), "lab.ipynb")
    assert text.startswith("---\nnotebook: lab.ipynb\n---\n\n# Lab\n\nRate $\\eta$.\n")
    assert "```python\nprint('a < b')\n1 + 1\n```" in text
    assert "<pre><code>a &lt; b</code></pre>" in text
    assert "<pre><code>2</code></pre>" in text
    assert (
        '<div class="notebook-output">\n<img alt="a dot" src="d.svg">\n</div>' in text
    )

    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, path)
    with pytest.raises(BuildError, match=r"lab\.ipynb: a cell failed"):
        execute(path)


def test_doctests_in_docstrings_become_console_blocks() -> None:
    text = "Sum:\n\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n\nDone.\n    >>> x\n    3"
    assert fence(text) == (
        "Sum:\n\n```pycon\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n```"
        "\n\nDone.\n    ```pycon\n    >>> x\n    3\n    ```"
    )
