"""Figures of the backpropagation chapter, from a live network, input and target."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.colors import SymLogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from backprop.figures._phone import layouts, with_phone
from backprop.figures.network import positions
from backprop.figures.style import INK, MUTED, REVERSE, new_figure
from backprop.gradcheck import parameter_errors
from backprop.network import Network, hidden_error, output_error

SIZES = [3, 4, 3, 2]
SEED = 1


def example() -> tuple[Network, np.ndarray, np.ndarray]:
    """The chapter's network [3, 4, 3, 2] (seed 1), one input x and its target y."""
    net = Network(SIZES, seed=SEED)
    x = np.array([[0.9], [0.2], [0.6]])
    y = np.array([[1.0], [0.0]])
    return net, x, y


def deltas(net: Network, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """δ^1, …, δ^L for one example, by eqs. (33) and (34)."""
    zs, activations = net.forward(x)
    found = [output_error(activations[-1], y, zs[-1])]
    for l in range(len(activations) - 2, 0, -1):
        found.insert(0, hidden_error(net.weights[l], found[0], zs[l - 1]))
    return found


def rule(l: int, L: int) -> str:
    r"""The equation that gives δ^l, eq. (33) for the output layer, else eq. (34).

    >>> print(rule(2, 3))
    $\delta^{2} = \left((W^{3})^{\top}\delta^{3}\right)\odot\sigma'(z^{2})$
    """
    if l == L:
        return rf"$\delta^{{{L}}} = (a^{{{L}}} - y)\odot\sigma'(z^{{{L}}})$"
    return (
        rf"$\delta^{{{l}}} = \left((W^{{{l + 1}}})^{{\top}}\delta^{{{l + 1}}}\right)"
        rf"\odot\sigma'(z^{{{l}}})$"
    )


@layouts
def backward_flow(phone: bool) -> Figure:
    """δ on every neuron, travelling from the output layer back to the first hidden one.

    Under each layer, the equation that gives its δ; on a phone the layers stand
    closer, and the equations and the colour bar go below the network.
    """
    net, x, y = example()
    errors = deltas(net, x, y)
    L = len(net.sizes) - 1
    where = positions(net.sizes, gap=1.3 if phone else 2.4)
    right = where[-1][0][0]
    top = max(float(np.max(np.abs(d))) for d in errors)
    # Errors shrink layer by layer; a symmetric log scale keeps the small ones visible.
    norm = SymLogNorm(linthresh=1e-4, vmin=-top, vmax=top)
    cmap = "PuOr"
    if phone:
        fig = new_figure(4.6, 6.4)
        ax = fig.add_axes((0, 0.17, 1, 0.83))
        ax.set_xlim(-1.15, right + 1.0)
        ax.set_ylim(-4.0, 2.45)
    else:
        fig = new_figure(9.0, 4.9)
        ax = fig.add_axes((0, 0.1, 0.9, 0.9))
        ax.set_xlim(-1.0, right + 1.6)
        ax.set_ylim(-2.9, 2.35)
    ax.set_axis_off()
    ax.set_aspect("equal")
    for l in range(1, len(net.sizes)):
        for x1, y1 in where[l]:
            for x0, y0 in where[l - 1]:
                ax.plot([x0, x1], [y0, y1], color="#d4d4d4", lw=0.8, zorder=1)
        ax.annotate(
            "",
            xy=(where[l - 1][0][0] + 0.45, 2.05),
            xytext=(where[l][0][0] - 0.45, 2.05),
            arrowprops={"arrowstyle": "-|>", "color": REVERSE, "lw": 1.6},
        )
    radius = 0.25 if phone else 0.3
    for l, column in enumerate(where):
        for j, (cx, cy) in enumerate(column):
            if l == 0:
                ax.add_patch(Circle((cx, cy), radius, fc="#f2f2f2", ec=MUTED, zorder=3))
                ax.text(
                    cx - radius - 0.1,
                    cy,
                    f"$x_{j + 1} = {x[j, 0]:g}$",
                    ha="right",
                    va="center",
                    fontsize=10.5 if phone else 10,
                )
                continue
            value = errors[l - 1][j, 0]
            ax.add_patch(
                Circle(
                    (cx, cy),
                    radius,
                    fc=_rgba(cmap, norm(value)),
                    ec=INK,
                    lw=0.9,
                    zorder=3,
                )
            )
            ax.text(
                cx,
                cy - radius - 0.12,
                f"{value:+.4f}",
                ha="center",
                va="top",
                fontsize=10 if phone else 9.5,
                color=INK,
                zorder=4,
            )
        if l > 0 and not phone:
            ax.text(
                column[0][0], -2.45, rule(l, L), ha="center", va="center", fontsize=10.5
            )
    if phone:  # one equation a line, below the network, the output layer's first
        for i, l in enumerate(range(L, 0, -1)):
            ax.text(
                -1.1, -2.75 - 0.5 * i, rule(l, L), ha="left", va="center", fontsize=11
            )
    for j, (cx, cy) in enumerate(where[-1]):
        ax.text(
            cx + radius + 0.12,
            cy,
            f"$y_{j + 1} = {y[j, 0]:g}$",
            ha="left",
            va="center",
            fontsize=10.5 if phone else 10,
        )
    if not phone:
        ax.text(
            where[0][0][0],
            -2.45,
            "input layer",
            ha="center",
            va="center",
            fontsize=10.5,
            color=MUTED,
        )
    ax.text(
        right / 2,
        2.3,
        "errors flow backwards",
        ha="center",
        va="bottom",
        fontsize=10.5,
        color=REVERSE,
    )
    mappable = ax.scatter([], [], c=[], cmap=cmap, norm=norm)
    if phone:
        bar = fig.colorbar(
            mappable,
            cax=fig.add_axes((0.08, 0.1, 0.84, 0.025)),
            orientation="horizontal",
        )
        bar.set_ticks([-1e-1, -1e-3, 0, 1e-3, 1e-1])  # every other decade
        bar.ax.tick_params(labelsize=10)
    else:
        bar = fig.colorbar(mappable, ax=ax, fraction=0.035, pad=0.01)
    bar.set_label(r"$\delta^l_j = \partial C_x / \partial z^l_j$")
    return fig


def _rgba(cmap: str, value: float) -> tuple[float, float, float, float]:
    colour: tuple[float, float, float, float] = mpl.colormaps[cmap](value)
    return colour


@layouts
def gradient_check(phone: bool) -> Figure:
    """Per-parameter disagreement of backprop and central differences, on a log scale."""
    net, _, _ = example()
    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, (net.sizes[0], 5))
    Y = rng.uniform(0.0, 1.0, (net.sizes[-1], 5))
    found = parameter_errors(net, X, Y)
    fig = new_figure(4.8, 4.4) if phone else new_figure(7.6, 4.0)
    ax = fig.add_subplot()
    floor = 1e-17
    for i, (label, errors) in enumerate(found):
        jitter = np.random.default_rng(i).uniform(-0.25, 0.25, errors.size)
        ax.scatter(
            i + jitter,
            np.maximum(errors, floor),
            s=14,
            alpha=0.8,
            color=REVERSE if label.startswith("W") else INK,
        )
    ax.axhline(1e-7, color=MUTED, ls="--", lw=1.0)
    ax.text(
        len(found) - 0.6,
        1.4e-7,
        "tolerance $10^{-7}$",
        ha="right",
        va="bottom",
        fontsize=10.5,
        color=MUTED,
    )
    ax.set_yscale("log")
    ax.set_ylim(floor / 3, 1e-5)
    ax.set_xticks(range(len(found)), [f"${label}$" for label, _ in found])
    ax.set_ylabel("|backprop − finite difference|\n/ largest |entry| of the array")
    ax.set_title(
        f"{sum(e.size for _, e in found)} parameters of a {net.sizes} network,"
        + ("\n" if phone else " ")
        + f"{X.shape[1]} examples",
        fontsize=11.5,
    )
    ax.grid(axis="y", alpha=0.3)
    return fig


FIGURES = with_phone(
    {"backward-flow.svg": backward_flow, "gradient-check.svg": gradient_check},
    "backward-flow.svg",
    "gradient-check.svg",
)
