"""Why the transpose: one weight carries a^{l-1}_k forward and δ^l_j back.

Drawn on the worked example's network (:mod:`backprop.worked`), for the weight
w^2_12 from neuron 2 of layer 1 to neuron 1 of layer 2. Forward, it multiplies
a^1_2 into z^2_1, and in the matrix W^2 it sits in row 1, the row that makes
z^2_1. Backward, it multiplies δ^2_1 into entry 2 of (W^2)ᵀ δ^2, and in (W^2)ᵀ
it sits in row 2, which is column 2 of W^2: the weights leaving neuron 2.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    NODE,
    REVERSE,
    new_figure,
    styled,
)
from backprop.worked import Worked, example, r4, work

# The weight drawn, in the page's 1-based indices: w^L_{JK}.
L, J, K = 2, 1, 2
WIDTH, PANEL = 5.05, 2.2  # inches; the axes' data units are inches too
FONT = 11
LEFT, RIGHT = 0.4, 1.95  # x of layer L − 1 and layer L
ROWS = (1.3, 0.55)  # y of neurons 1 and 2, within a panel
CELL_W, CELL_H = 0.62, 0.34  # one matrix entry


def _m(value: float) -> str:
    return r4(value).replace("-", "\N{MINUS SIGN}")


def _network(ax: Axes, base: float, colour: str, backward: bool) -> None:
    """Layers L − 1 and L, every weight grey and w^L_JK as an arrow in `colour`."""
    for j in (0, 1):
        for k in (0, 1):
            if (j + 1, k + 1) != (J, K):
                ax.plot(
                    [LEFT, RIGHT],
                    [base + ROWS[k], base + ROWS[j]],
                    color="#c8c8c8",
                    lw=1.0,
                    zorder=1,
                )
    tail, head = (LEFT, base + ROWS[K - 1]), (RIGHT, base + ROWS[J - 1])
    ax.add_patch(
        FancyArrowPatch(
            head if backward else tail,
            tail if backward else head,
            arrowstyle="-|>,head_length=7,head_width=4",
            color=colour,
            lw=2.4,
            shrinkA=9,
            shrinkB=9,
            zorder=2,
        )
    )
    for x in (LEFT, RIGHT):
        for y in ROWS:
            ax.add_patch(
                Circle((x, base + y), 0.1, fc=NODE, ec=MUTED, lw=1.1, zorder=3)
            )


def _matrix(
    ax: Axes,
    x: float,
    y: float,
    values: list[list[str]],
    row: int | None,
    chosen: tuple[int, int] | None,
    colour: str,
    width: float = CELL_W,
) -> float:
    """A bracketed matrix of `values` with its top left at (x, y); return its right edge.

    Row `row` is tinted in `colour`, and the entry `chosen` is framed.
    """
    rows, cols = len(values), len(values[0])
    for i in range(rows):
        for k in range(cols):
            cx, cy = x + (k + 0.5) * width, y - (i + 0.5) * CELL_H
            if row == i:
                ax.add_patch(
                    Rectangle(
                        (x + k * width, y - (i + 1) * CELL_H),
                        width,
                        CELL_H,
                        fc=colour,
                        alpha=0.15,
                        ec="none",
                    )
                )
            if chosen == (i, k):
                ax.add_patch(
                    Rectangle(
                        (x + k * width + 0.03, y - (i + 1) * CELL_H + 0.03),
                        width - 0.06,
                        CELL_H - 0.06,
                        fc="none",
                        ec=HIGHLIGHT,
                        lw=2.0,
                    )
                )
            ax.text(cx, cy, values[i][k], ha="center", va="center", fontsize=FONT)
    right, bottom = x + cols * width, y - rows * CELL_H
    for edge, sign in ((x, 1), (right, -1)):
        ax.plot(
            [edge + sign * 0.06, edge, edge, edge + sign * 0.06],
            [y, y, bottom, bottom],
            color=INK,
            lw=1.1,
        )
    return right


def _panel(ax: Axes, base: float, ex: Worked, backward: bool) -> None:
    """One direction: the network with the weight's arrow, and the matrix product."""
    W = ex.net.weights[L - 1]
    w = float(W[J - 1, K - 1])
    colour = REVERSE if backward else FORWARD
    _network(ax, base, colour, backward)
    ax.text(
        (LEFT + RIGHT) / 2,
        base + (ROWS[0] + ROWS[1]) / 2,
        _m(w),
        ha="center",
        va="center",
        fontsize=FONT,
        color=HIGHLIGHT,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": HIGHLIGHT, "lw": 1.0},
        zorder=4,
    )
    if backward:
        carried = float(ex.deltas[L - 1][J - 1, 0])
        at_head = f"$\\delta^{L}_{J} = {_m(carried)}$"
        at_tail = f"$\\partial C/\\partial a^{L - 1}_{K}$"
        title = f"backward: $w^{L}_{{{J}{K}}}$ carries $\\delta^{L}_{J}$ back to neuron {K} of layer {L - 1}"
        product = f"$(W^{L})^\\top \\delta^{L}$"
        values = [[_m(W[i, k]) for i in range(2)] for k in range(2)]  # (W^L)ᵀ
        vector = [[_m(v)] for v in ex.deltas[L - 1][:, 0]]
        row, chosen = K - 1, (K - 1, J - 1)
        sum_line = (
            f"$w^{L}_{{{J}{K}}}\\,\\delta^{L}_{J} = {_m(w)} \\times ({_m(carried)})$\n"
            f"$= {_m(w * carried)}$, a term of $\\partial C/\\partial a^{L - 1}_{K}$"
        )
    else:
        carried = float(ex.activations[L - 1][K - 1, 0])
        at_head = f"$z^{L}_{J}$"
        at_tail = f"$a^{L - 1}_{K} = {_m(carried)}$"
        title = f"forward: $w^{L}_{{{J}{K}}}$ carries $a^{L - 1}_{K}$ to neuron {J} of layer {L}"
        product = f"$W^{L} a^{L - 1}$"
        values = [[_m(W[j, k]) for k in range(2)] for j in range(2)]
        vector = [[_m(v)] for v in ex.activations[L - 1][:, 0]]
        row, chosen = J - 1, (J - 1, K - 1)
        sum_line = (
            f"$w^{L}_{{{J}{K}}}\\,a^{L - 1}_{K} = {_m(w)} \\times {_m(carried)}$\n"
            f"$= {_m(w * carried)}$, a term of $z^{L}_{J}$"
        )
    ax.text(
        0.0,
        base + PANEL - 0.02,
        title,
        ha="left",
        va="top",
        fontsize=FONT,
        color=colour,
    )
    ax.text(
        RIGHT + 0.12,
        base + ROWS[J - 1] + 0.17,
        at_head,
        ha="right",
        va="bottom",
        fontsize=FONT,
    )
    ax.text(
        LEFT - 0.12,
        base + ROWS[K - 1] - 0.17,
        at_tail,
        ha="left",
        va="top",
        fontsize=FONT,
    )
    # The matrix product that does this for every weight at once.
    mx, my = 2.4, base + ROWS[0] + 0.2
    ax.text(mx, my + 0.06, product + " =", ha="left", va="bottom", fontsize=FONT)
    right = _matrix(ax, mx, my, values, row, chosen, colour)
    _matrix(ax, right + 0.1, my, vector, None, None, colour, width=0.78)
    ax.text(
        mx,
        my - 2 * CELL_H - 0.12,
        sum_line,
        ha="left",
        va="top",
        fontsize=FONT,
        color=colour,
        linespacing=1.5,
    )


@styled
def one_weight() -> Figure:
    """The weight w^2_12 of the worked example, forward above and backward below."""
    ex = work(*example())
    height = 2 * PANEL + 0.1
    fig = new_figure(WIDTH, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    _panel(ax, PANEL + 0.1, ex, backward=False)
    _panel(ax, 0.0, ex, backward=True)
    return fig


FIGURES = {"one-weight.svg": one_weight}
