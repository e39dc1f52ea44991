"""Figures keep their text clear: no label touches another or a curve it sits beside.

Measured in the drawn figure, in display units (points at the figure's dpi), from
the extents matplotlib itself computes for each text and its box.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Bbox

from backprop.figures.lessons import initialisation, saturation
from backprop.figures.network import neuron
from backprop.figures.performance import read_records, speed

ROOT = Path(__file__).resolve().parent.parent

# The least room between two texts, in points: at 8 pt a label reads as apart
# from the text beside it, even shrunk on a phone.
GAP = 8.0
# The least room between a label and a curve, in points: a label stands next
# to the point it names, so it comes close to that point's curve, but no curve
# may run through it.
CURVE_GAP = 2.0


def drawn(fig: Figure) -> Figure:
    """`fig`, drawn once on an Agg canvas, so that every extent is known."""
    FigureCanvasAgg(fig).draw()
    return fig


def extent(text: Text, fig: Figure) -> Bbox:
    """Where `text` is drawn, its box included, in points."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box.transformed(Affine2D().scale(72 / fig.dpi))


def labels(ax: Axes) -> list[Text]:
    return [t for t in ax.texts if t.get_text().strip() and t.get_visible()]


def gap(a: Bbox, b: Bbox) -> float:
    """The distance between two boxes, in points; negative where they overlap."""
    dx = max(a.x0 - b.x1, b.x0 - a.x1)
    dy = max(a.y0 - b.y1, b.y0 - a.y1)
    return max(dx, dy)


def test_gap_measures_boxes() -> None:
    a = Bbox.from_extents(0, 0, 10, 10)
    assert gap(a, Bbox.from_extents(13, 0, 20, 10)) == 3
    assert gap(a, Bbox.from_extents(5, 5, 20, 20)) < 0


def meets(box: Bbox, xy: np.ndarray) -> bool:
    """Whether the polyline `xy` (points) comes within CURVE_GAP of `box`."""
    grown = box.padded(CURVE_GAP)
    # Sample each segment finely: the curves here are drawn as short segments.
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        t = np.linspace(0, 1, 20)
        xs, ys = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        inside = (xs > grown.x0) & (xs < grown.x1) & (ys > grown.y0) & (ys < grown.y1)
        if inside.any():
            return True
    return False


def test_meets_finds_a_line_through_a_box() -> None:
    box = Bbox.from_extents(0, 0, 10, 10)
    assert meets(box, np.array([[-5.0, 5.0], [15.0, 5.0]]))
    assert not meets(box, np.array([[-5.0, 20.0], [15.0, 20.0]]))


@pytest.mark.parametrize("phone", [False, True])
def test_neuron_labels_touch_nothing(phone: bool) -> None:
    """Every text of the neuron figure, weights and sums in their boxes, stands apart."""
    fig = drawn(neuron(phone=phone))
    ax = fig.axes[0]
    found = [(t.get_text(), extent(t, fig)) for t in labels(ax)]
    assert len(found) >= 8  # three inputs, three weights, z, b, σ, a
    for i, (one, a) in enumerate(found):
        for other, b in found[i + 1 :]:
            assert gap(a, b) >= GAP, (
                f"{one!r} and {other!r} are {gap(a, b):.1f} pt apart"
            )


def curve_points(ax: Axes, fig: Figure) -> list[np.ndarray]:
    """Each line of `ax` with more than two points, in points on the page."""
    to_points = Affine2D().scale(72 / fig.dpi)
    return [
        to_points.transform(ax.transData.transform(line.get_xydata()))
        for line in ax.lines
        if len(line.get_xydata()) > 2
    ]


def test_saturation_labels_clear_both_curves() -> None:
    fig = drawn(saturation())
    ax = fig.axes[0]
    curves = curve_points(ax, fig)
    assert len(curves) == 2  # how wrong, and the gradient
    steps = [t for t in labels(ax) if t.get_text().endswith("steps")]
    assert len(steps) == 4
    for text in steps:
        box = extent(text, fig)
        for curve in curves:
            assert not meets(box, curve), f"a curve crosses {text.get_text()!r}"


def test_initialisation_top_panel_has_no_bars_on_its_log_axis() -> None:
    """A bar's length on a log axis depends on where the axis starts: dots instead."""
    top = initialisation().axes[0]
    assert top.get_yscale() == "log"
    bars = [p for p in top.patches if isinstance(p, Rectangle)]
    assert not bars
    assert len(top.lines) == 2  # one line of dots per initialisation


@pytest.mark.parametrize("phone", [False, True])
def test_speed_titles_keep_the_sizes_on_one_line(phone: bool) -> None:
    """Each panel's title starts with the case's layer sizes, whole, as the record has them."""
    data = read_records(ROOT / "benchmarks" / "results")["speed.json"]
    cases = data["conditions"]["quiet"]["cases"]
    titles = [ax.get_title() for ax in speed(data, phone=phone).axes]
    for title, case in zip(titles, cases, strict=True):
        first = title.split("\n")[0]
        sizes = "[" + ", ".join(map(str, case["sizes"])) + "]"
        assert first.startswith(sizes), title
        assert f"batch {case['batch']}" in title, title
