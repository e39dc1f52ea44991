"""Figures of the performance page, drawn from the benchmark records in the repository.

The records are written by the scripts in ``benchmarks/`` (run on purpose, never
during a build) and read here; these figures therefore need a clone of the
repository, not just the installed package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    REVERSE,
    new_figure,
    styled,
)

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results"


def record(name: str) -> dict[str, Any]:
    """A benchmark record from benchmarks/results/, by file name."""
    path = RESULTS / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run the script in benchmarks/ that writes it"
        )
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def power_law(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(c, k) of the least-squares fit y ≈ c·x^k on a log-log scale.

    >>> c, k = power_law(np.array([1.0, 10.0, 100.0]), np.array([3.0, 30.0, 300.0]))
    >>> round(c, 6), round(k, 6)
    (3.0, 1.0)
    """
    k, log_c = np.polyfit(np.log(x), np.log(y), 1)
    return float(np.exp(log_c)), float(k)


def _measured(
    ax: Axes, x: np.ndarray, y: np.ndarray, sampled: np.ndarray, full: str, partial: str
) -> None:
    """Measured points: filled where every unit was timed, hollow where a sample was."""
    ax.loglog(x[~sampled], y[~sampled], "o", color=REVERSE, ms=7, label=full)
    ax.loglog(
        x[sampled],
        y[sampled],
        "o",
        mfc="white",
        mec=REVERSE,
        mew=1.6,
        ms=7,
        label=partial,
    )


@styled
def gradient_cost() -> Figure:
    """Finite differences over backprop, measured, against the number of parameters."""
    cases = record("gradient_cost.json")["cases"]
    P = np.array([c["parameters"] for c in cases], dtype=float)
    ratio = np.array(
        [
            c["finite_differences_seconds"] / c["backprop_seconds"]["median"]
            for c in cases
        ]
    )
    sampled = np.array([c["sampled"] for c in cases])
    c, k = power_law(P, ratio)
    fig = new_figure(6.8, 4.4)
    ax = fig.add_subplot()
    ax.loglog(
        P,
        P + 1,
        "--",
        color=MUTED,
        lw=1.2,
        label="$P + 1$: forward passes that finite differences need",
    )
    grid = np.geomspace(P.min(), 1e7, 50)
    ax.loglog(
        grid,
        c * grid**k,
        ":",
        color=REVERSE,
        lw=1.4,
        label=rf"fit: ${c:.2f}\,P^{{{k:.2f}}}$, extended to $10^7$",
    )
    _measured(
        ax,
        P,
        ratio,
        sampled,
        "measured, every parameter",
        "measured, sampled parameters",
    )
    ax.set(
        xlabel="parameters $P$ of the network [784, h, 10]",
        ylabel="time of finite differences\n/ time of backprop",
    )
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8.5, loc="upper left")
    return fig


@styled
def modes() -> Figure:
    """Forward mode over reverse mode, measured, against the number of inputs."""
    cases = record("modes.json")["cases"]
    n = np.array([c["n"] for c in cases], dtype=float)
    vec = np.array(
        [
            c["vectorised"]["forward_seconds"] / c["vectorised"]["reverse_seconds"]
            for c in cases
        ]
    )
    sampled = np.array([c["vectorised"]["sampled"] for c in cases])
    graph = [
        (c["n"], c["graph"]["forward_seconds"] / c["graph"]["reverse_seconds"])
        for c in cases
        if "graph" in c
    ]
    fig = new_figure(6.8, 4.4)
    ax = fig.add_subplot()
    grid = np.geomspace(n.min(), 1e6, 50)
    ax.loglog(
        grid,
        grid,
        "--",
        color=MUTED,
        lw=1.2,
        label="$n$: passes that forward mode needs",
    )
    ax.loglog(
        *zip(*graph, strict=True),
        "s",
        color=FORWARD,
        ms=6,
        label="graph engine (backprop.graph)",
    )
    _measured(
        ax,
        n,
        vec,
        sampled,
        "vectorised, every pass timed",
        "vectorised, sampled passes",
    )
    ax.loglog(
        [1e6],
        [5e5],
        "*",
        color=HIGHLIGHT,
        mec=INK,
        ms=15,
        label="the essay: 500,000 for $10^6$ inputs",
    )
    ax.set(
        xlabel="inputs $n$ of $f(x) = \\sum_i \\sigma(x_i x_{i+1})$",
        ylabel="time of forward mode\n/ time of reverse mode",
    )
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8.5, loc="upper left")
    return fig


@styled
def speed() -> Figure:
    """Milliseconds per SGD step of each implementation, for the three benchmark cases."""
    data = record("speed.json")
    names = ["loop", "ours-f64", "ours-f32", "torch-f64", "jax-f64"]
    colours = [MUTED, REVERSE, "#e69f00", FORWARD, HIGHLIGHT]
    fig = new_figure(8.6, 3.8)
    axes = fig.subplots(1, len(data["cases"]))
    for ax, case in zip(axes, data["cases"], strict=True):
        present = [
            (name, colour)
            for name, colour in zip(names, colours, strict=True)
            if name in case["times"]
        ]
        medians = [1e3 * case["times"][name]["median"] for name, _ in present]
        lows = [
            m - 1e3 * case["times"][name]["min"]
            for m, (name, _) in zip(medians, present, strict=True)
        ]
        highs = [
            1e3 * case["times"][name]["max"] - m
            for m, (name, _) in zip(medians, present, strict=True)
        ]
        ax.bar(
            range(len(present)),
            medians,
            color=[c for _, c in present],
            yerr=[lows, highs],
            capsize=3,
            ecolor=INK,
        )
        ax.set_yscale("log")
        ax.set_xticks(
            range(len(present)),
            [name for name, _ in present],
            rotation=45,
            ha="right",
            fontsize=9,
        )
        ax.set_title(f"{case['sizes']}\nbatch {case['batch']}", fontsize=10)
        ax.grid(axis="y", alpha=0.3, which="both")
    axes[0].set_ylabel("ms per SGD step (median;\nbars: fastest to slowest repeat)")
    fig.tight_layout()
    return fig


FIGURES = {"gradient-cost.svg": gradient_cost, "modes.svg": modes, "speed.svg": speed}
