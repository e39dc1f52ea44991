"""Figures of the network chapter, from a live :class:`backprop.network.Network`."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from backprop.activations import sigmoid
from backprop.figures._phone import layouts, with_phone
from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    NODE,
    REVERSE,
    new_figure,
)
from backprop.network import Network, neuron_activation

SIZES = [3, 4, 2]
SEED = 3
X = np.array([[0.9], [0.2], [0.6]])  # the input the neuron figure feeds in
# One weight, one neuron and its bias to label, in the page's 1-based indices. Both
# lie on the network's edge (the lowest connection into the output layer, the top
# hidden neuron), so that a leader line reaches each from outside the network
# without crossing a connection or a neuron.
WEIGHT = (2, 2, 4)  # w^2_{24}: from neuron 4 of layer 1 to neuron 2 of layer 2
NEURON = (1, 1)  # neuron 1 of layer 1, with activation a^1_1 and bias b^1_1
RADIUS = 0.2  # of a neuron's circle, in the units of positions()


def example_network() -> Network:
    """The small network the chapter draws: sizes [3, 4, 2], seed 3."""
    return Network(SIZES, seed=SEED)


def positions(sizes: list[int], gap: float = 2.2) -> list[list[tuple[float, float]]]:
    """Centre of every neuron: layer l at x = l·gap, its neurons spread around y = 0.

    >>> positions([1, 2], gap=1.0)
    [[(0.0, 0.0)], [(1.0, 0.5), (1.0, -0.5)]]
    """
    return [[(l * gap, (n - 1) / 2 - j) for j in range(n)] for l, n in enumerate(sizes)]


def _neuron(
    ax: Axes, xy: tuple[float, float], colour: str = NODE, edge: str = MUTED
) -> None:
    ax.add_patch(Circle(xy, RADIUS, facecolor=colour, edgecolor=edge, lw=1.2, zorder=3))


def _leader(
    ax: Axes,
    text: str,
    target: tuple[float, float],
    at: tuple[float, float],
    colour: str,
    **placement: str,
) -> None:
    """`text` at `at`, outside the network, with a straight leader line to `target`."""
    ax.annotate(
        text,
        target,
        xytext=at,
        color=colour,
        fontsize=10.5,
        arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.9, "shrinkA": 3},
        **placement,  # type: ignore[arg-type]
    )


@layouts
def diagram(phone: bool) -> Figure:
    """Every neuron and weight of a [3, 4, 2] network, one of each named.

    The labels sit outside the network, each joined to what it names by a
    leader line that crosses no connection and no neuron (a test checks this).
    On a phone the layers stand closer and the labels go above and below.
    """
    net = example_network()
    gap = 1.5 if phone else 2.2
    where = positions(net.sizes, gap=gap)
    right = where[-1][0][0]
    fig = new_figure(4.2, 5.9) if phone else new_figure(7.3, 4.9)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_aspect("equal")
    if phone:
        ax.set_xlim(-0.75, right + 0.75)
        ax.set_ylim(-3.95, 2.75)
    else:
        ax.set_xlim(-0.7, right + 2.75)
        ax.set_ylim(-2.95, 2.5)

    l, j, k = WEIGHT
    for layer, W in enumerate(net.weights, start=1):
        for row in range(W.shape[0]):
            for col in range(W.shape[1]):
                (x0, y0), (x1, y1) = where[layer - 1][col], where[layer][row]
                chosen = (layer, row + 1, col + 1) == WEIGHT
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=FORWARD if chosen else "#c4c4c4",
                    lw=2.8 if chosen else 0.9,
                    zorder=2 if chosen else 1,
                    solid_capstyle="butt",
                )
    for layer, column in enumerate(where):
        for row, xy in enumerate(column):
            chosen = (layer, row + 1) == NEURON
            _neuron(ax, xy, HIGHLIGHT if chosen else NODE, INK if chosen else MUTED)

    (x0, y0), (x1, y1) = where[l - 1][k - 1], where[l][j - 1]
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    value = net.weights[l - 1][j - 1, k - 1]
    weight = (
        rf"weight $w^{{{l}}}_{{{j}{k}}} = {value:.2f}$" + "\n"
        f"from neuron {k} of layer {l - 1}\nto neuron {j} of layer {l}"
    )
    nl, nj = NEURON
    xn, yn = where[nl][nj - 1]
    bias = net.biases[nl - 1][nj - 1, 0]
    neuron = (
        rf"neuron {nj} of layer {nl}: activation $a^{{{nl}}}_{{{nj}}}$,"
        + "\n"
        + rf"bias $b^{{{nl}}}_{{{nj}}} = {bias:.2f}$"
    )
    # The neuron is the top one of its layer: straight up from it is open.
    _leader(ax, neuron, (xn, yn + RADIUS), (xn, 2.05), INK, ha="center", va="bottom")
    if phone:  # straight down from the lowest connection, below the layer names
        _leader(ax, weight, middle, (middle[0], -3.0), FORWARD, ha="center", va="top")
    else:  # down and to the right, clear of the output layer
        _leader(
            ax, weight, middle, (right + 0.45, -1.55), FORWARD, ha="left", va="center"
        )
    for layer, n in enumerate(net.sizes):
        name = (
            "input"
            if layer == 0
            else "output"
            if layer == len(net.sizes) - 1
            else "hidden"
        )
        ax.text(
            where[layer][0][0],
            -2.45 if phone else -2.55,
            f"{name}\n$n_{{{layer}}} = {n}$"
            if phone
            else f"layer {layer}, {name}\n$n_{{{layer}}} = {n}$",
            ha="center",
            va="center",
            fontsize=10.5,
            color=MUTED,
        )
    return fig


@layouts
def neuron(phone: bool) -> Figure:
    """One neuron of layer 1: inputs times weights plus bias, summed to z, then σ(z).

    The plot of σ stands beside the neuron, or below it on a phone.
    """
    net = example_network()
    j = 1  # neuron 1 of layer 1
    w, b = net.weights[0][j - 1], float(net.biases[0][j - 1, 0])
    x = X[:, 0]
    z = float(w @ x + b)
    a = neuron_activation(w.tolist(), x.tolist(), b)

    if phone:
        fig = new_figure(4.7, 4.8)
        ax = fig.add_axes((0.0, 0.33, 1.0, 0.67))
    else:
        fig = new_figure(8.2, 3.5)
        ax = fig.add_axes((0.0, 0.0, 0.7, 1.0))
    ax.set_axis_off()
    ax.set_xlim(-1.35 if phone else -0.6, 5.0 if phone else 4.85)
    ax.set_ylim(-1.75, 1.6)
    ax.set_aspect("equal", adjustable="box" if phone else "datalim")
    box = {"boxstyle": "round,pad=0.45", "fc": NODE, "ec": MUTED}
    # Where the weighted input z and the activation a stand: z far enough to
    # the right that the weights' labels keep clear of its box (a test checks).
    zx, ax_ = (2.5, 4.45) if phone else (2.3, 4.4)
    for k, (xk, wk) in enumerate(zip(x, w, strict=True), start=1):
        y = 1.1 - 1.1 * (k - 1)
        _neuron(ax, (0, y))
        ax.text(-0.25, y, rf"$a^0_{k} = {xk:g}$", ha="right", va="center", fontsize=11)
        ax.annotate(
            "",
            (zx - 0.45, 0.0),
            (0.18, y),
            arrowprops={
                "arrowstyle": "-|>",
                "color": FORWARD,
                "lw": 1.2,
                "shrinkB": 28,
            },
        )
        ax.text(
            0.85,
            y * 0.62 + 0.13,
            rf"$w^1_{{{j}{k}}} = {wk:.2f}$",
            ha="center",
            fontsize=10.5,
            color=FORWARD,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
        )
    ax.text(
        zx,
        0.0,
        rf"$z^1_{j} = \sum_k w^1_{{{j}k}}\, a^0_k$"
        + ("\n" if phone else " ")
        + rf"$+\, b^1_{j}$"
        + "\n"
        + f"$= {z:.3f}$",
        ha="center",
        va="center",
        fontsize=10.5 if phone else 11,
        bbox=box,
    )
    ax.text(
        zx,
        -1.25,
        rf"$b^1_{j} = {b:.2f}$",
        ha="center",
        va="center",
        fontsize=10.5,
        color=REVERSE,
    )
    ax.annotate(
        "",
        (zx, -0.5 if phone else -0.42),
        (zx, -1.05),
        arrowprops={"arrowstyle": "-|>", "color": REVERSE},
    )
    ax.annotate(
        "",
        (ax_ - 0.45, 0.0),
        (zx + 0.95, 0.0),
        arrowprops={"arrowstyle": "-|>", "color": INK},
    )
    ax.text(
        (zx + ax_) / 2 + (0.1 if phone else 0.25),
        0.16,
        r"$\sigma$",
        ha="center",
        fontsize=13,
    )
    ax.text(
        ax_,
        0.0,
        rf"$a^1_{j}$" + "\n" + f"$= {a:.3f}$",
        ha="center",
        va="center",
        fontsize=11,
        bbox={**box, "fc": "#d7efe6", "ec": HIGHLIGHT},
    )

    inset = fig.add_axes((0.25, 0.1, 0.6, 0.24) if phone else (0.76, 0.22, 0.22, 0.62))
    grid = np.linspace(-6, 6, 241)
    inset.plot(grid, sigmoid(grid), color=INK, lw=1.4)
    inset.plot([z], [a], "o", color=HIGHLIGHT, ms=7)
    inset.axvline(z, color=HIGHLIGHT, lw=0.8, ls=":")
    inset.set_xlabel("$z$")
    inset.set_title(r"$a = \sigma(z)$", fontsize=11)
    inset.set_yticks([0, 0.5, 1])
    inset.grid(alpha=0.3)
    return fig


FIGURES = with_phone(
    {"diagram.svg": diagram, "neuron.svg": neuron}, "diagram.svg", "neuron.svg"
)
