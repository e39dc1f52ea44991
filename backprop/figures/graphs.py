"""Figures of chapter 1: a computational graph and its derivatives, from a live graph.

:func:`draw_graph` lays out any :class:`~backprop.graph.Var` graph in columns (inputs
on the left, the output on the right) and writes on it what the graph itself
computes: values, local derivatives, forward-mode tangents or reverse-mode adjoints.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from backprop.figures.style import (
    FORWARD,
    INK,
    MUTED,
    NODE,
    REVERSE,
    new_figure,
    styled,
)
from backprop.graph import Var

Show = Literal["structure", "values", "locals", "tangents", "adjoints"]

COLUMN_GAP = 2.6  # inches between columns
ROW_GAP = 1.25  # inches between rows


def example(a: float = 2.0, b: float = 1.0) -> Var:
    """The running example e = (a + b)·(b + 1), with c = a + b and d = b + 1 named.

    >>> example().value
    6.0
    """
    a_, b_ = Var(a, name="a"), Var(b, name="b")
    c = (a_ + b_).named("c")
    d = (b_ + 1).named("d")
    return (c * d).named("e")


def layout(output: Var) -> dict[Var, tuple[float, float]]:
    """A position (column, row) for every node of the graph behind `output`.

    A node's column is the length of the longest path to it from an input; within
    a column, nodes are ordered by the mean row of their parents, top to bottom.

    >>> e = example()
    >>> {node.name: position for node, position in layout(e).items()}
    {'a': (0, 0.5), 'b': (0, -0.5), 'c': (1, 0.5), 'd': (1, -0.5), 'e': (2, 0.0)}
    """
    column: dict[Var, int] = {}
    by_column: dict[int, list[Var]] = defaultdict(list)
    for node in output.nodes():
        column[node] = 1 + max((column[parent] for parent, _ in node.edges), default=-1)
        by_column[column[node]].append(node)
    row: dict[Var, float] = {}
    for c in sorted(by_column):
        nodes = by_column[c]
        if c > 0:
            nodes.sort(key=lambda n: -fmean(row[parent] for parent, _ in n.edges))
        for i, node in enumerate(nodes):
            row[node] = (len(nodes) - 1) / 2 - i
    return {node: (column[node], row[node]) for node in column}


def _node_text(node: Var, show: Show) -> str:
    text = node.label if not node.edges else f"{node.label} = {node.formula}"
    if node.name is None and node.edges:
        text = node.formula
    if show == "values":
        text += f"\n= {node.value:g}"
    return text


def _partial(top: str, bottom: str, value: float) -> str:
    return rf"$\partial {top}/\partial {bottom} = {value:g}$"


def draw_graph(output: Var, show: Show = "structure", wrt: Var | None = None) -> Figure:
    """Draw the graph behind `output`, annotated with what `show` names.

    ``"values"`` writes each node's value; ``"locals"`` the local derivative on each
    edge; ``"tangents"`` (with `wrt`) the forward-mode derivative of every node with
    respect to `wrt`; ``"adjoints"`` the reverse-mode derivative of `output` with
    respect to every node. Annotations are computed here, from the graph.
    """
    position = layout(output)
    columns = 1 + max(c for c, _ in position.values())
    rows = (
        max(r for _, r in position.values()) - min(r for _, r in position.values()) + 1
    )
    fig = new_figure(COLUMN_GAP * (columns - 1) + 2.2, ROW_GAP * (rows - 1) + 1.6)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-0.55 * COLUMN_GAP, (columns - 0.45) * COLUMN_GAP)
    ax.set_ylim(
        min(r for _, r in position.values()) * ROW_GAP - 0.8,
        max(r for _, r in position.values()) * ROW_GAP + 0.8,
    )

    xy = {node: (c * COLUMN_GAP, r * ROW_GAP) for node, (c, r) in position.items()}
    boxes = {node: _draw_node(ax, xy[node], _node_text(node, show)) for node in xy}
    colour = {"tangents": FORWARD, "adjoints": REVERSE}.get(show, MUTED)
    for node in xy:
        for k, (parent, local) in enumerate(node.edges):
            repeats = [p for p, _ in node.edges[:k]].count(parent)
            _draw_edge(ax, boxes[parent], boxes[node], colour, bend=0.25 * repeats)
            if show in ("locals", "tangents", "adjoints"):
                (x0, y0), (x1, y1) = xy[parent], xy[node]
                ax.text(
                    (x0 + x1) / 2,
                    (y0 + y1) / 2,
                    _partial(node.label, parent.label, local),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=INK,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                )

    if show == "tangents":
        if wrt is None:
            raise ValueError('show="tangents" needs wrt, the input to differentiate by')
        for node, tangent in output.tangents(wrt).items():
            _annotate(ax, xy[node], _partial(node.label, wrt.label, tangent), FORWARD)
    elif show == "adjoints":
        for node, adjoint in output.backward().items():
            _annotate(
                ax, xy[node], _partial(output.label, node.label, adjoint), REVERSE
            )
    return fig


def _draw_node(ax: Axes, xy: tuple[float, float], text: str) -> Text:
    return ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=12,
        color=INK,
        zorder=3,
        bbox={"boxstyle": "round,pad=0.4", "fc": NODE, "ec": MUTED, "lw": 1.0},
    )


def _draw_edge(ax: Axes, start: Text, end: Text, colour: str, bend: float) -> None:
    ax.annotate(
        "",
        xy=end.get_position(),
        xytext=start.get_position(),
        zorder=1,
        arrowprops={
            "arrowstyle": "-|>",
            "color": colour,
            "lw": 1.4,
            "mutation_scale": 14,
            "shrinkA": 2,
            "shrinkB": 2,
            "patchA": start.get_bbox_patch(),
            "patchB": end.get_bbox_patch(),
            "connectionstyle": f"arc3,rad={bend}",
        },
    )


def _annotate(ax: Axes, xy: tuple[float, float], text: str, colour: str) -> None:
    ax.annotate(
        text,
        xy,
        xytext=(0, -30),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=10.5,
        color=colour,
        zorder=4,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "lw": 0.8},
    )


@styled
def expression() -> Figure:
    """The graph of e = (a + b)·(b + 1): inputs a and b, intermediate nodes c and d."""
    return draw_graph(example(), "structure")


@styled
def values() -> Figure:
    """The same graph evaluated at a = 2, b = 1: every node shows its value."""
    return draw_graph(example(), "values")


@styled
def local_derivatives() -> Figure:
    """Each edge labelled with the derivative of its head with respect to its tail."""
    return draw_graph(example(), "locals")


@styled
def forward_mode() -> Figure:
    """Forward mode from b: every node shows its derivative with respect to b."""
    e = example()
    b = next(node for node in e.inputs() if node.name == "b")
    return draw_graph(e, "tangents", wrt=b)


@styled
def reverse_mode() -> Figure:
    """Reverse mode from e: every node shows the derivative of e with respect to it."""
    return draw_graph(example(), "adjoints")


FIGURES = {
    "expression.svg": expression,
    "values.svg": values,
    "local-derivatives.svg": local_derivatives,
    "forward-mode.svg": forward_mode,
    "reverse-mode.svg": reverse_mode,
}
