"""Figures of the gradient descent chapter: paths on the cost of :class:`LineFit`."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from backprop.descent import LineFit, gradient_descent, sgd_path
from backprop.figures._phone import layouts, with_phone
from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    REVERSE,
    new_figure,
    styled,
)

START = np.array([-0.5, 2.5])  # (w, b) where every path begins


def _contours(
    ax: Axes, problem: LineFit, box: tuple[float, float, float, float]
) -> None:
    """Log-spaced contours of C(w, b) over box = (w0, w1, b0, b1), and its minimum."""
    w, b = np.meshgrid(
        np.linspace(box[0], box[1], 241), np.linspace(box[2], box[3], 241)
    )
    residual = w[..., None] * problem.x + b[..., None] - problem.y
    cost = np.mean(0.5 * residual**2, axis=-1)
    levels = np.geomspace(cost.min() * 1.05, cost.max(), 14)
    ax.contour(w, b, cost, levels=levels, colors=MUTED, linewidths=0.7)
    ax.plot(
        *problem.minimum(),
        marker="*",
        ms=15,
        color=HIGHLIGHT,
        mec=INK,
        zorder=4,
        label="minimum",
    )
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")


def _path(ax: Axes, path: np.ndarray, colour: str, label: str, lw: float = 1.4) -> None:
    ax.plot(path[:, 0], path[:, 1], "-", color=colour, lw=lw, label=label, zorder=3)
    ax.plot(path[:, 0], path[:, 1], "o", color=colour, ms=3.2, zorder=3)
    ax.plot(*path[0], "s", color=INK, ms=6, zorder=4)


@layouts
def learning_rates(phone: bool) -> Figure:
    """Descent from one start with a small learning rate and with one just too large.

    Side by side; on a phone, one above the other.
    """
    problem = LineFit.sample()
    limit = problem.largest_stable_eta()
    fig = new_figure(5.2, 8.6) if phone else new_figure(10.0, 4.4)
    box = (-1.5, 4.5, -3.5, 3.5)
    for panel, (fraction, steps, colour) in enumerate(
        [(0.4, 40, FORWARD), (1.04, 14, REVERSE)]
    ):
        ax = (
            fig.add_subplot(2, 1, panel + 1)
            if phone
            else fig.add_subplot(1, 2, panel + 1)
        )
        _contours(ax, problem, box)
        eta = fraction * limit
        path = gradient_descent(problem.cost_gradient, START, eta, steps)
        _path(ax, path, colour, rf"$\eta = {eta:.3f}$, {steps} steps")
        verdict = (
            "converges"
            if problem.cost(path[-1]) < problem.cost(path[0])
            else "diverges"
        )
        ax.set_title(
            rf"$\eta = {fraction:g} \times 2/\lambda_{{max}}$: {verdict}", fontsize=12
        )
        ax.legend(loc="lower left", fontsize=10.5 if phone else 9.5, framealpha=0.95)
    fig.tight_layout()
    return fig


@styled
def batch_sizes() -> Figure:
    """Full-batch descent against mini-batch SGD over the same number of epochs."""
    problem = LineFit.sample()
    eta, epochs, m = 0.2, 4, 10
    full = gradient_descent(problem.cost_gradient, START, eta, epochs)
    stochastic = sgd_path(problem, START, eta, m=m, epochs=epochs, seed=2)
    fig = new_figure(6.2, 5.0)
    ax = fig.add_subplot()
    _contours(ax, problem, (-1.0, 3.5, -2.5, 3.0))
    _path(
        ax, full, FORWARD, f"full batch: {len(full) - 1} steps, one per epoch", lw=2.0
    )
    _path(
        ax,
        stochastic,
        REVERSE,
        f"mini-batches of {m}: {len(stochastic) - 1} steps in {epochs} epochs",
        lw=1.0,
    )
    ax.set_title(rf"{epochs} epochs at $\eta = {eta:g}$, n = {problem.n}", fontsize=12)
    ax.legend(loc="lower left", fontsize=10.5, framealpha=0.95)
    return fig


FIGURES = with_phone(
    {"learning-rates.svg": learning_rates, "batch-sizes.svg": batch_sizes},
    "learning-rates.svg",
)
