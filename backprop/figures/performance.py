"""Figures of the performance page, drawn from the benchmark records they are given.

The records are written by the scripts in ``benchmarks/`` (run on purpose, never
during a build) into ``benchmarks/results/`` of the repository, which an
installed package does not have. So every figure here takes its record as an
argument; the site's pre-build reads the folder (:func:`read_records`) and
passes the records in (:func:`figures`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from backprop.figures._phone import layouts, with_phone
from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    REVERSE,
    new_figure,
)

#: The records the figures are drawn from, by file name in ``benchmarks/results/``.
RECORDS = ("gradient_cost.json", "modes.json", "speed.json")


def read_records(folder: Path) -> dict[str, dict[str, Any]]:
    """The records of :data:`RECORDS`, read from `folder`, by file name."""
    found = {}
    for name in RECORDS:
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: run the script in benchmarks/ that writes it"
            )
        found[name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _measured(
    ax: Axes, x: np.ndarray, y: np.ndarray, sampled: np.ndarray, full: str, partial: str
) -> None:
    """Measured points: filled where every unit was timed, hollow where a sample was."""
    ax.loglog(x[~sampled], y[~sampled], "o", color=REVERSE, ms=7, label=full)
    if sampled.any():
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


#: The labels of the two runs of benchmarks/gradient_cost.py: the record, whose
#: C library keeps freed memory, and the same measurement with glibc as it comes.
KEPT = "measured, freed memory kept"
GLIBC = "measured, glibc's defaults"


@layouts
def gradient_cost(timed: Mapping[str, Any], phone: bool) -> Figure:
    """Central differences over backprop, and one backprop in forward passes, against P.

    Right (below, on a phone): what one backprop call costs in forward passes,
    k, measured and counted. Left (above): the ratio of the whole gradient's
    time that follows from it, central differences (2P forward passes) over
    one backprop call, 2P / k, beside the ratio the multiply-add count gives.
    Filled points are the record (a heap that keeps freed memory), rings the
    same measurement with glibc's default settings.
    """
    cases = timed["cases"]
    P = np.array([c["parameters"] for c in cases], dtype=float)
    in_passes = np.array([c["backprop_in_forward_passes"] for c in cases])
    counted = np.array([c["counted_backprop_in_forward_passes"] for c in cases])
    default = np.array(
        [c["glibc_default"]["backprop_in_forward_passes"] for c in cases]
    )
    fig = new_figure(5.0, 8.4) if phone else new_figure(8.6, 4.0)
    left, right = fig.subplots(2, 1) if phone else fig.subplots(1, 2)
    small = 10.5 if phone else 8.5
    left.loglog(
        P,
        2 * P / counted,
        "--",
        color=MUTED,
        lw=1.2,
        label=r"counted: $2P \cdot F / (F + B)$",
    )
    left.loglog(P, 2 * P / in_passes, "o", color=REVERSE, ms=7, label=KEPT)
    left.loglog(P, 2 * P / default, "o", mfc="none", mec=FORWARD, ms=10, label=GLIBC)
    left.set(
        xlabel="parameters $P$ of the network [784, h, 10]",
        ylabel="central differences / backprop",
    )
    left.grid(alpha=0.3, which="both")
    left.legend(fontsize=small, loc="upper left")
    right.semilogx(P, counted, "--", color=MUTED, lw=1.2, label="counted: $(F + B)/F$")
    right.semilogx(P, in_passes, "o", color=REVERSE, ms=7, label=KEPT)
    right.semilogx(P, default, "o", mfc="none", mec=FORWARD, ms=10, label=GLIBC)
    right.set(
        xlabel="parameters $P$",
        ylabel="one backprop call,\nin forward passes",
        ylim=(0, max(4.0, float(max(in_passes.max(), default.max())) * 1.15)),
    )
    right.grid(alpha=0.3, which="both")
    right.legend(fontsize=small, loc="lower right")
    fig.tight_layout()
    return fig


@layouts
def modes(timed: Mapping[str, Any], phone: bool) -> Figure:
    """Forward mode over reverse mode, measured, against the number of inputs."""
    cases = timed["cases"]
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
    fig = new_figure(5.0, 6.6) if phone else new_figure(6.8, 4.4)
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
    parts = timed.get("parts")
    if parts is not None:
        ax.loglog(
            [parts["n"]],
            [parts["ratio"]],
            "D",
            color=REVERSE,
            mec=INK,
            ms=7,
            label="vectorised, from its measured parts",
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
    if phone:  # below the plot, where it hides no point
        ax.legend(fontsize=10.5, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    else:
        ax.legend(fontsize=8.5, loc="upper left")
    fig.tight_layout()
    return fig


@layouts
def speed(data: Mapping[str, Any], phone: bool) -> Figure:
    """Milliseconds per SGD step of each implementation, for the three benchmark cases.

    One point per implementation, with whiskers from its fastest to its slowest
    repeat: on a logarithmic axis the length of a bar would mean nothing.
    Three panels side by side; on a phone, one above the other.
    """
    cases = data["conditions"]["quiet"]["cases"]
    names = ["loop", "literal-f64", "numpy-f64", "trainer-f64", "trainer-f32"]
    names += ["torch-f64", "jax-f64"]
    colours = [MUTED, MUTED, REVERSE, REVERSE, "#e69f00", FORWARD, HIGHLIGHT]
    count = len(cases)
    fig = new_figure(5.0, 3.6 * count) if phone else new_figure(8.6, 3.8)
    axes = fig.subplots(count, 1) if phone else fig.subplots(1, count)
    for ax, case in zip(axes, cases, strict=True):
        present = [
            (name, colour)
            for name, colour in zip(names, colours, strict=True)
            if name in case["times"]
        ]
        for i, (name, colour) in enumerate(present):
            t = case["times"][name]
            median = 1e3 * t["median"]
            ax.errorbar(
                [i],
                [median],
                yerr=[[median - 1e3 * t["min"]], [1e3 * t["max"] - median]],
                fmt="o",
                ms=7,
                color=colour,
                mec=INK,
                ecolor=INK,
                capsize=3,
            )
        ax.set_yscale("log")
        ax.set_xlim(-0.6, len(present) - 0.4)
        ax.set_xticks(
            range(len(present)),
            [name for name, _ in present],
            rotation=30 if phone else 45,
            ha="right",
            fontsize=10.5 if phone else 9,
        )
        # Wide: the sizes on one line and the batch below them.
        sizes = "[" + ", ".join(map(str, case["sizes"])) + "]"
        joint = ", " if phone else "\n"
        ax.set_title(f"{sizes}{joint}batch {case['batch']}", fontsize=10.5)
        ax.grid(axis="y", alpha=0.3, which="both")
        if phone:
            ax.set_ylabel("ms per SGD step")
    if not phone:
        axes[0].set_ylabel(
            "ms per SGD step (median;\nwhiskers: fastest to slowest repeat)"
        )
    fig.tight_layout()
    return fig


def figures(
    records: Mapping[str, Mapping[str, Any]],
) -> dict[str, Callable[[], Figure]]:
    """The page's figures, each bound to its record; `records` maps file names to records."""
    drawn = {
        "gradient-cost.svg": functools.partial(
            gradient_cost, records["gradient_cost.json"]
        ),
        "modes.svg": functools.partial(modes, records["modes.json"]),
        "speed.svg": functools.partial(speed, records["speed.json"]),
    }
    return with_phone(drawn, *drawn)
