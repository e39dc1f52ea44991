"""Figure of the cost chapter: the quadratic cost as a function of the output layer."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from backprop.costs import example_costs
from backprop.figures.network import example_network
from backprop.figures.style import FORWARD, INK, REVERSE, new_figure, styled

TARGET = np.array([[1.0], [0.0]])
INPUTS_SEED = 5


@styled
def output_cost() -> Figure:
    """Contours of C_x = ½‖y − a‖² over two outputs, and a live network's outputs."""
    net = example_network()
    grid = np.linspace(0.0, 1.0, 201)
    a1, a2 = np.meshgrid(grid, grid)
    outputs = np.vstack([a1.ravel(), a2.ravel()])
    cost = example_costs(outputs, np.repeat(TARGET, outputs.shape[1], axis=1)).reshape(
        a1.shape
    )

    X = np.random.default_rng(INPUTS_SEED).uniform(-4.0, 4.0, (net.sizes[0], 8))
    A = net.feedforward(X)
    costs = example_costs(A, np.repeat(TARGET, A.shape[1], axis=1))

    fig = new_figure(6.2, 5.0)
    ax = fig.add_subplot()
    levels = np.linspace(0.0, 1.0, 11)
    filled = ax.contourf(a1, a2, cost, levels=levels, cmap="YlGnBu", alpha=0.9)
    lines = ax.contour(a1, a2, cost, levels=levels[1:], colors=INK, linewidths=0.5)
    ax.clabel(lines, fmt="%.1f", fontsize=10.5, colors=INK)
    fig.colorbar(filled, ax=ax, label=r"$C_x = \frac{1}{2}\,\Vert y - a^L \Vert^2$")
    ax.plot(
        *TARGET[:, 0],
        marker="*",
        ms=18,
        color=REVERSE,
        mec=INK,
        clip_on=False,
        label=f"target $y = ({TARGET[0, 0]:g}, {TARGET[1, 0]:g})$",
    )
    ax.scatter(
        A[0],
        A[1],
        s=36,
        color=FORWARD,
        edgecolor="white",
        zorder=3,
        label="outputs $a^L$ of the network for 8 inputs",
    )
    best = int(np.argmin(costs))
    ax.annotate(
        rf"$C_x = {costs[best]:.3f}$",
        (A[0, best], A[1, best]),
        xytext=(12, -4),
        textcoords="offset points",
        fontsize=10.5,
        color=INK,
    )
    ax.set_xlabel("$a^L_1$")
    ax.set_ylabel("$a^L_2$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=10.5, framealpha=0.95)
    return fig


FIGURES = {"output-cost.svg": output_cost}
