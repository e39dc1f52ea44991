"""Figures of the worked example: the 2-2-2 network with every number of one step.

Both figures draw :func:`backprop.worked.work` on the page's network: the forward
pass (weights on the edges; bias, weighted input and activation in each neuron)
and the backward pass (the error of each neuron, the gradient of each weight).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from backprop.activations import sigmoid_prime
from backprop.figures.style import (
    FORWARD,
    INK,
    MUTED,
    NODE,
    REVERSE,
    new_figure,
    styled,
)
from backprop.worked import example, r4, work

# Sizes in inches (the axes' data units are inches too), small enough that at a
# phone's width of the page the 11-point text still reads at about 9 CSS pixels.
WIDTH, HEIGHT = 5.5, 4.15
COLUMNS = (0.6, 2.75, 4.8)  # x of layers 0, 1, 2
ROWS = (2.85, 1.6)  # y of neurons 1 and 2; each neuron's numbers sit outside
RADIUS = 0.12
FONT = 11


def _minus(text: str) -> str:
    """A typographic minus sign, as mathtext sets it in the neurons' labels."""
    return text.replace("-", "\N{MINUS SIGN}")


def _canvas() -> tuple[Figure, Axes]:
    fig = new_figure(WIDTH, HEIGHT)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, HEIGHT)
    ax.set_aspect("equal")
    return fig, ax


def _neuron(ax: Axes, l: int, j: int, text: str, edge: str = MUTED) -> None:
    """Neuron j (0-based) of layer l, its numbers above it (j = 0) or below."""
    x, y = COLUMNS[l], ROWS[j]
    ax.add_patch(
        Circle(
            (x, y), RADIUS, fc=NODE if l > 0 else "#f2f2f2", ec=edge, lw=1.2, zorder=3
        )
    )
    ax.text(
        x,
        y + (RADIUS + 0.08) * (1 if j == 0 else -1),
        text,
        ha="center",
        va="bottom" if j == 0 else "top",
        fontsize=FONT,
        linespacing=1.5,
        zorder=4,
    )


def _edges(ax: Axes, labels: list[list[list[str]]], colour: str) -> None:
    """Every weight as a line between neurons, labelled on the line.

    ``labels[l - 1][j][k]`` is the label of the weight from neuron k of layer
    l − 1 to neuron j of layer l. The two level edges are labelled at their
    middle, the two crossing ones nearer their tail, so that no label sits on
    the crossing.
    """
    for l in (1, 2):
        x0, x1 = COLUMNS[l - 1], COLUMNS[l]
        for j in (0, 1):
            for k in (0, 1):
                y0, y1 = ROWS[k], ROWS[j]
                ax.plot([x0, x1], [y0, y1], color=colour, lw=1.1, zorder=1)
                t = 0.5 if j == k else 0.3
                ax.text(
                    x0 + t * (x1 - x0),
                    y0 + t * (y1 - y0),
                    labels[l - 1][j][k],
                    ha="center",
                    va="center",
                    fontsize=FONT - 0.5,  # 10.5 points
                    color=colour,
                    zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
                )


def _layer_names(ax: Axes) -> None:
    for l, name in enumerate(("input", "layer 1", "output")):
        ax.text(
            COLUMNS[l],
            HEIGHT - 0.02,
            name,
            ha="center",
            va="top",
            fontsize=FONT - 0.5,
            color=MUTED,
        )


@styled
def forward() -> Figure:
    """The forward pass: weights on the edges, b, z and a in every neuron."""
    ex = work(*example())
    fig, ax = _canvas()
    weights = [
        [[_minus(r4(W[j, k])) for k in range(2)] for j in range(2)]
        for W in ex.net.weights
    ]
    _edges(ax, weights, FORWARD)
    _layer_names(ax)
    for j in range(2):
        _neuron(ax, 0, j, f"$a^0_{j + 1} = {r4(ex.x[j, 0])}$")
        for l in (1, 2):
            _neuron(
                ax,
                l,
                j,
                f"$b^{l}_{j + 1} = {r4(ex.net.biases[l - 1][j, 0])}$\n"
                f"$z^{l}_{j + 1} = {r4(ex.zs[l - 1][j, 0])}$\n"
                f"$a^{l}_{j + 1} = {r4(ex.activations[l][j, 0])}$",
            )
    targets = ", ".join(r4(v) for v in ex.y[:, 0])
    ax.text(
        WIDTH / 2,
        0.0,
        f"on each edge: the weight $w^l_{{jk}}$\n"
        f"target $y = ({targets})$,   cost $C = \\frac{{1}}{{2}}\\|y - a^2\\|^2"
        f" = {r4(ex.cost)}$",
        ha="center",
        va="bottom",
        fontsize=FONT,
        linespacing=1.6,
    )
    return fig


@styled
def backward() -> Figure:
    """The backward pass: δ in every neuron, ∂C/∂w on every edge, and the step's effect."""
    ex = work(*example())
    fig, ax = _canvas()
    gradients = [
        [[_minus(r4(g[j, k])) for k in range(2)] for j in range(2)] for g in ex.nabla_w
    ]
    _edges(ax, gradients, REVERSE)
    _layer_names(ax)
    for j in range(2):
        _neuron(ax, 0, j, f"$a^0_{j + 1} = {r4(ex.x[j, 0])}$")
        for l in (1, 2):
            _neuron(
                ax,
                l,
                j,
                f"$a^{l}_{j + 1} = {r4(ex.activations[l][j, 0])}$\n"
                f"$\\sigma'(z^{l}_{j + 1}) = {r4(sigmoid_prime(ex.zs[l - 1][j, 0]))}$\n"
                f"$\\delta^{l}_{j + 1} = {r4(ex.deltas[l - 1][j, 0])}$",
                edge=REVERSE,
            )
    ax.text(
        WIDTH / 2,
        0.0,
        f"on each edge: $\\partial C/\\partial w^l_{{jk}} = \\delta^l_j\\, a^{{l-1}}_k$\n"
        f"after one step with $\\eta = {r4(ex.eta)}$: "
        f"$C = {r4(ex.cost)} \\to {r4(ex.cost_after)}$",
        ha="center",
        va="bottom",
        fontsize=FONT,
        linespacing=1.6,
        color=INK,
    )
    return fig


FIGURES = {"forward.svg": forward, "backward.svg": backward}
