"""Figures are drawn from live objects, reproducibly, and every page's figure exists."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.text import Annotation

from backprop.figures import backprop as backprop_figures
from backprop.figures import figures, to_svg, write_all
from backprop.figures._phone import SUFFIX, phone_name
from backprop.figures.graphs import draw_graph, example
from backprop.figures.network import diagram
from backprop.figures.performance import read_records
from backprop.figures.style import new_figure
from sitebuild.phone import PHONE_MEDIA, phone_layout

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RECORDS = read_records(ROOT / "benchmarks" / "results")
FIGURES = figures(RECORDS)


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_draws_as_svg_without_a_date(name: str) -> None:
    """Each figure draws, once: tests/browser/test_reproducible.py draws them all
    again in a second build, in a new process from an empty cache, and compares
    the bytes, which is the stronger test of reproducibility."""
    first = to_svg(FIGURES[name]())
    assert first.startswith(b"<?xml")
    assert b"<svg" in first
    assert b"<dc:date>" not in first
    if name.endswith(SUFFIX) or phone_name(name) not in FIGURES:  # what phones get
        small = [(px, text) for px, text in text_sizes(first) if px < PHONE_MIN_PX]
        assert not small, f"{name}: text below {PHONE_MIN_PX} px on a phone: {small}"


# A phone shows a figure at most PHONE_PX CSS px wide (390 px less Material's
# margins); its text must not come out smaller than PHONE_MIN_PX there. The
# browser test tests/browser/test_figure_text.py measures the built pages.
PHONE_PX = 358
PHONE_MIN_PX = 9.0
VIEWBOX = re.compile(rb'viewBox="0 0 ([\d.]+) [\d.]+"')
# Matplotlib writes each text as a comment, then a group scaled to its font
# size in hundredths: scale(0.105 -0.105) is 10.5 pt (svg.fonttype "path").
TEXT = re.compile(
    rb'<!-- (.*?) -->\s*<g [^>]*transform="[^"]*scale\(([\d.]+) -[\d.]+\)"'
)


def text_sizes(svg: bytes) -> list[tuple[float, str]]:
    """(CSS px, text) of every text of the SVG, shown as wide as a phone allows.

    The SVG's units are points; shown at its natural size a point is 4/3 px,
    and no wider than PHONE_PX.
    """
    found = VIEWBOX.search(svg)
    assert found is not None
    width = float(found[1])
    scale = min(4 / 3, PHONE_PX / width)
    return [
        (100 * float(size) * scale, text.decode()) for text, size in TEXT.findall(svg)
    ]


def test_text_sizes_reads_matplotlib_svg() -> None:
    """Text sizes from the SVG: natural size (4/3 px a point), or squeezed to PHONE_PX."""
    for inches, squeeze in ((2.0, 4 / 3), (8.0, PHONE_PX / (8.0 * 72))):
        fig = new_figure(inches, 1.0)
        fig.text(0.0, 0.5, "ten point", fontsize=10, ha="left")
        fig.text(1.0, 0.5, "$x^2$", fontsize=20, ha="right")
        found = {text: px for px, text in text_sizes(to_svg(fig))}
        assert found.keys() == {"ten point", "$x^2$"}
        # The white background keeps the SVG as wide as the figure, give or take
        # the 0.05 in of padding around it.
        assert found["ten point"] == pytest.approx(10 * squeeze, rel=0.03)
        assert found["$x^2$"] == pytest.approx(20 * squeeze, rel=0.03)


def test_graph_annotations_come_from_the_graph() -> None:
    """Change the inputs and every number on the figures changes with them."""
    e = example(a=2.0, b=1.0)
    assert "= 6" in "\n".join(texts(draw_graph(e, "values")))
    assert r"$\partial e/\partial b = 5$" in texts(draw_graph(e, "adjoints"))

    other = example(a=-1.5, b=3.0)  # c = 1.5, d = 4, e = 6; de/db = d + c = 5.5
    assert "= -1.5" in "\n".join(texts(draw_graph(other, "values")))
    adjoints = texts(draw_graph(other, "adjoints"))
    assert r"$\partial e/\partial b = 5.5$" in adjoints
    assert r"$\partial e/\partial a = 4$" in adjoints
    b = next(node for node in other.inputs() if node.name == "b")
    assert r"$\partial e/\partial b = 5.5$" in texts(
        draw_graph(other, "tangents", wrt=b)
    )


def test_tangents_need_an_input() -> None:
    with pytest.raises(ValueError, match="needs wrt"):
        draw_graph(example(), "tangents")


def test_write_all_writes_each_figure_at_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files written, with the drawing left out (the test above draws each)."""
    import backprop.figures as package

    monkeypatch.setattr(
        package, "figures", lambda records: {name: Figure for name in FIGURES}
    )
    monkeypatch.setattr(package, "to_svg", lambda fig: b"<svg/>")
    paths = write_all(tmp_path, RECORDS)
    assert {p.relative_to(tmp_path).as_posix() for p in paths} == set(FIGURES)
    assert all(p.read_bytes() == b"<svg/>" for p in paths)


def test_pages_name_only_figures_that_exist() -> None:
    for page in DOCS.rglob("*.md"):
        for target in re.findall(
            r"\]\((figures/[^)\s]+)\)", page.read_text(encoding="utf-8")
        ):
            assert target.removeprefix("figures/") in FIGURES, (
                f"{page.name} names {target}"
            )


def test_every_figure_is_used_by_a_page() -> None:
    """Every figure is on a page; a phone layout only beside its figure."""
    used = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    for name in FIGURES:
        if name.endswith(SUFFIX):
            wide = name.removesuffix(SUFFIX) + ".svg"
            assert wide in FIGURES, f"{name} is the phone layout of no figure"
            assert f"figures/{name}" not in used, f"a page names {name} itself"
        else:
            assert f"figures/{name}" in used, f"no page shows {name}"


def test_a_phone_layout_is_narrower_than_its_figure() -> None:
    """A phone layout exists to show its text larger on a narrow screen."""
    for name, draw in FIGURES.items():
        if name.endswith(SUFFIX):
            wide = FIGURES[name.removesuffix(SUFFIX) + ".svg"]()
            phone = draw()
            assert phone.get_size_inches()[0] < 0.8 * wide.get_size_inches()[0], name


def edges_drawn(fig: Figure) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """(tail, head) of every arrow of a graph figure, in data coordinates."""
    return [
        (t.xyann, t.xy)
        for t in fig.axes[0].texts
        if isinstance(t, Annotation) and t.arrow_patch is not None
    ]


@pytest.mark.parametrize("phone", [False, True])
def test_reverse_mode_arrows_run_from_the_output_back_to_the_inputs(
    phone: bool,
) -> None:
    """Forward mode draws each edge parent to child; reverse mode child to parent."""
    e = example()
    b = next(node for node in e.inputs() if node.name == "b")
    forward = edges_drawn(draw_graph(e, "tangents", wrt=b, phone=phone))
    reverse = edges_drawn(draw_graph(e, "adjoints", phone=phone))
    assert len(forward) == len(reverse) == 5
    assert sorted(reverse) == sorted((head, tail) for tail, head in forward)
    # Every backward arrow carries its term of eq. (5): adjoint of the child
    # times the local derivative; b collects 2·1 from c and 3·1 from d.
    labels = texts(draw_graph(e, "adjoints", phone=phone))
    assert r"$\bar{c}\,\partial c/\partial b = 2 \cdot 1$" in labels
    assert r"$\bar{d}\,\partial d/\partial b = 3 \cdot 1$" in labels


def test_every_figure_on_a_page_has_alt_text() -> None:
    for page in DOCS.rglob("*.md"):
        for alt, target in re.findall(
            r"!\[([^\]]*)\]\(([^)\s]+\.svg)\)", page.read_text()
        ):
            assert len(alt.split()) >= 6, (
                f"{page.name}: {target} needs alt text saying what it shows"
            )


Point = tuple[float, float]


def _cross(o: Point, p: Point, q: Point) -> float:
    return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd share a point (touching counts)."""
    d1, d2 = _cross(c, d, a), _cross(c, d, b)
    d3, d4 = _cross(a, b, c), _cross(a, b, d)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 * d2 and d3 * d4:
        return True
    return any(
        abs(_cross(p, q, r)) < 1e-12
        and min(p[0], q[0]) - 1e-12 <= r[0] <= max(p[0], q[0]) + 1e-12
        and min(p[1], q[1]) - 1e-12 <= r[1] <= max(p[1], q[1]) + 1e-12
        for p, q, r in ((c, d, a), (c, d, b), (a, b, c), (a, b, d))
    )


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    ab = np.subtract(b, a)
    t = np.clip(np.dot(np.subtract(p, a), ab) / np.dot(ab, ab), 0.0, 1.0)
    return float(np.hypot(*(np.add(a, t * ab) - p)))


def test_segment_geometry() -> None:
    assert segments_cross((0, 0), (2, 2), (0, 2), (2, 0))
    assert not segments_cross((0, 0), (1, 1), (0, 2), (0.9, 1.1))
    assert segments_cross((0, 0), (1, 0), (1, 0), (1, 5))  # touching at an end
    assert distance_to_segment((0, 1), (-1, 0), (1, 0)) == 1.0
    assert distance_to_segment((3, 4), (-1, 0), (0, 0)) == 5.0


@pytest.mark.parametrize("phone", [False, True])
def test_notation_leaders_cross_no_connection_and_no_neuron(phone: bool) -> None:
    """Each leader line runs from its label to what it names through open space.

    It may end on the connection or neuron it names, and nowhere else may it
    meet a connection (a line of the axes) or a neuron (a circle).
    """
    ax = diagram(phone=phone).axes[0]
    leaders = [
        (t.xyann, t.xy) for t in ax.texts if isinstance(t, Annotation) and t.arrowprops
    ]
    connections: list[tuple[Point, Point]] = []
    for line in ax.lines:
        (x0, y0), (x1, y1) = np.asarray(line.get_xydata(), dtype=float)
        connections.append(((float(x0), float(y0)), (float(x1), float(y1))))
    neurons = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(leaders) == 2
    assert len(connections) == 3 * 4 + 4 * 2
    assert len(neurons) == 3 + 4 + 2
    for start, end in leaders:
        for c, d in connections:
            if distance_to_segment(end, c, d) < 1e-9:
                continue  # the connection this leader names
            assert not segments_cross(start, end, c, d), (start, end, c, d)
        for circle in neurons:
            gap = distance_to_segment(circle.center, start, end) - circle.radius
            assert gap > -1e-9, f"leader {start}->{end} runs through a neuron"
            assert gap > 0.05 or np.hypot(*np.subtract(end, circle.center)) < (
                circle.radius + 1e-9
            ), f"leader {start}->{end} grazes a neuron it does not name"


@pytest.mark.parametrize("phone", [False, True])
def test_backward_flow_shows_eq_34_with_its_brackets(phone: bool) -> None:
    """δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l): the product is bracketed before ⊙."""
    shown = texts(backprop_figures.backward_flow(phone=phone))
    for l in (1, 2):
        assert (
            rf"$\delta^{{{l}}} = \left((W^{{{l + 1}}})^{{\top}}\delta^{{{l + 1}}}\right)"
            rf"\odot\sigma'(z^{{{l}}})$"
        ) in shown
    assert r"$\delta^{3} = (a^{3} - y)\odot\sigma'(z^{3})$" in shown


def test_backward_flow_errors_are_the_bias_gradients_of_backprop() -> None:
    """The δ the figure writes on each neuron is ∂C/∂b for that neuron (eq. 35)."""
    net, x, y = backprop_figures.example()
    nabla_b, _ = net.backprop(x, y)
    for delta, gradient in zip(
        backprop_figures.deltas(net, x, y), nabla_b, strict=True
    ):
        np.testing.assert_allclose(delta, gradient, rtol=1e-12, atol=1e-15)
    shown = texts(backprop_figures.backward_flow())
    for delta in backprop_figures.deltas(net, x, y):
        for value in delta[:, 0]:
            assert f"{value:+.4f}" in shown


def test_extension_serves_the_phone_layout_where_there_is_one(tmp_path: Path) -> None:
    """<img> of a figure with a phone layout goes into a <picture>; others stay."""
    for name in (
        "figures/graphs/values.svg",
        "figures/graphs/values.phone.svg",
        "x.svg",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<svg/>")
    # MkDocs has made the address relative to the page's URL (graphs/) ...
    assert phone_layout("../figures/graphs/values.svg", "graphs.md", tmp_path) == (
        "../figures/graphs/values.phone.svg"
    )
    # ... or it is still relative to the page's source file.
    assert phone_layout("figures/graphs/values.svg", "index.md", tmp_path) == (
        "figures/graphs/values.phone.svg"
    )
    for src in ("../x.svg", "https://example.org/figures/graphs/values.svg", "a.png"):
        assert phone_layout(src, "graphs.md", tmp_path) is None
    html = markdown.markdown(
        "text ![values](figures/graphs/values.svg) after",
        extensions=["sitebuild.phone"],
    )
    if (DOCS / "figures/graphs/values.phone.svg").is_file():
        assert html == (
            f'<p>text <picture><source media="{PHONE_MEDIA}"'
            ' srcset="figures/graphs/values.phone.svg" />'
            '<img alt="values" src="figures/graphs/values.svg" /></picture> after</p>'
        )
