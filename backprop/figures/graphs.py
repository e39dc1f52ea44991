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

from backprop.figures._phone import layouts, with_phone
from backprop.figures.style import FORWARD, INK, MUTED, NODE, REVERSE, new_figure
from backprop.graph import Var

Show = Literal["structure", "values", "locals", "tangents", "adjoints"]

COLUMN_GAP = 2.6  # inches between columns
ROW_GAP = 1.25  # inches between rows
# On a phone the graph runs downwards: inputs on top, the output at the bottom.
PHONE_COLUMN_GAP = 1.8  # inches between the layers of the graph, top to bottom
PHONE_ROW_GAP = 2.4  # inches between the nodes of one layer, left to right


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


def _term(node: Var, parent: Var, adjoint: float, local: float) -> str:
    """One term of eq. (5), carried back along the edge from `parent` to `node`."""
    return (
        rf"$\bar{{{node.label}}}\,\partial {node.label}/\partial {parent.label}"
        rf" = {adjoint:g} \cdot {local:g}$"
    )


def draw_graph(
    output: Var,
    show: Show = "structure",
    wrt: Var | None = None,
    *,
    phone: bool = False,
) -> Figure:
    """Draw the graph behind `output`, annotated with what `show` names.

    ``"values"`` writes each node's value; ``"locals"`` the local derivative on each
    edge; ``"tangents"`` (with `wrt`) the forward-mode derivative of every node with
    respect to `wrt`; ``"adjoints"`` the reverse-mode derivative of `output` with
    respect to every node, with every edge drawn backwards, from a node to its
    parent, and labelled with the term of eq. (5) it carries back: the node's
    adjoint times its local derivative. Annotations are computed here, from the graph.

    With ``phone=True`` the graph runs from top to bottom, for a narrow screen, and
    each node's derivative is written inside its box.
    """
    if show == "tangents" and wrt is None:
        raise ValueError('show="tangents" needs wrt, the input to differentiate by')
    position = layout(output)
    columns = 1 + max(c for c, _ in position.values())
    low = min(r for _, r in position.values())
    high = max(r for _, r in position.values())
    if phone:
        fig = new_figure(
            PHONE_ROW_GAP * (high - low) + 2.0, PHONE_COLUMN_GAP * (columns - 1) + 1.3
        )
        xy = {
            node: (-r * PHONE_ROW_GAP, -c * PHONE_COLUMN_GAP)
            for node, (c, r) in position.items()
        }
    else:
        fig = new_figure(COLUMN_GAP * (columns - 1) + 2.2, ROW_GAP * (high - low) + 1.6)
        xy = {node: (c * COLUMN_GAP, r * ROW_GAP) for node, (c, r) in position.items()}
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    xs, ys = [x for x, _ in xy.values()], [y for _, y in xy.values()]
    margin = (1.0, 0.65) if phone else (0.55 * COLUMN_GAP, 0.8)
    ax.set_xlim(min(xs) - margin[0], max(xs) + margin[0])
    ax.set_ylim(min(ys) - margin[1], max(ys) + margin[1])

    found: dict[Var, float] = {}
    if show == "tangents" and wrt is not None:
        found = output.tangents(wrt)
    elif show == "adjoints":
        found = output.backward()
    colour = {"tangents": FORWARD, "adjoints": REVERSE}.get(show, MUTED)

    def derivative(node: Var) -> str:
        if show == "tangents" and wrt is not None:
            return _partial(node.label, wrt.label, found[node])
        return _partial(output.label, node.label, found[node])

    boxes = {}
    for node in xy:
        text = _node_text(node, show)
        if phone and found:
            text += "\n" + derivative(node)
        boxes[node] = _draw_node(ax, xy[node], text, colour if found else MUTED)
    for node in xy:
        for k, (parent, local) in enumerate(node.edges):
            repeats = [p for p, _ in node.edges[:k]].count(parent)
            bend = 0.25 * repeats
            if (
                show == "adjoints"
            ):  # the derivative flows from the node back to its parent
                _draw_edge(ax, boxes[node], boxes[parent], colour, bend=-bend)
                label = _term(node, parent, found[node], local)
            else:
                _draw_edge(ax, boxes[parent], boxes[node], colour, bend=bend)
                label = _partial(node.label, parent.label, local)
            if show in ("locals", "tangents", "adjoints"):
                (x0, y0), (x1, y1) = xy[parent], xy[node]
                ax.text(
                    (x0 + x1) / 2,
                    (y0 + y1) / 2,
                    label,
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=colour if show == "adjoints" else INK,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                )

    if found and not phone:
        for node in found:
            _annotate(ax, xy[node], derivative(node), colour)
    return fig


def _draw_node(ax: Axes, xy: tuple[float, float], text: str, edge: str = MUTED) -> Text:
    return ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=12,
        color=INK,
        zorder=3,
        bbox={"boxstyle": "round,pad=0.4", "fc": NODE, "ec": edge, "lw": 1.0},
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


def _b(e: Var) -> Var:
    return next(node for node in e.inputs() if node.name == "b")


@layouts
def expression(phone: bool) -> Figure:
    """The graph of e = (a + b)·(b + 1): inputs a and b, intermediate nodes c and d."""
    return draw_graph(example(), "structure", phone=phone)


@layouts
def values(phone: bool) -> Figure:
    """The same graph evaluated at a = 2, b = 1: every node shows its value."""
    return draw_graph(example(), "values", phone=phone)


@layouts
def local_derivatives(phone: bool) -> Figure:
    """Each edge labelled with the derivative of its head with respect to its tail."""
    return draw_graph(example(), "locals", phone=phone)


@layouts
def forward_mode(phone: bool) -> Figure:
    """Forward mode from b: every node shows its derivative with respect to b."""
    e = example()
    return draw_graph(e, "tangents", wrt=_b(e), phone=phone)


@layouts
def reverse_mode(phone: bool) -> Figure:
    """Reverse mode from e: the adjoints flow back along every edge, output to inputs."""
    return draw_graph(example(), "adjoints", phone=phone)


FIGURES = with_phone(
    {
        "expression.svg": expression,
        "values.svg": values,
        "local-derivatives.svg": local_derivatives,
        "forward-mode.svg": forward_mode,
        "reverse-mode.svg": reverse_mode,
    },
    "expression.svg",
    "values.svg",
    "local-derivatives.svg",
    "forward-mode.svg",
    "reverse-mode.svg",
)
