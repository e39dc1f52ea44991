"""Figures of "What the equations tell us", each measured on a live network.

- ``saturation.svg``: the worked example's second output neuron pushed towards
  saturation; how wrong it is, its gradient, and how many SGD steps it needs.
- ``silent-pixels.svg``: on the digits, how often each pixel is on, and how far
  the weights leaving it move in training.
- ``initialisation.svg``: each layer's weight gradient at the start, with
  N(0, 1/n) and N(0, 1) weights (dots on a log axis), then the first layer's gradient and the test
  accuracy, epoch by epoch, as both train.

Their data come from :mod:`backprop.lessons`, from the very functions whose
results the page's examples print.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from backprop.data import load_digits
from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    REVERSE,
    new_figure,
    styled,
)
from backprop.lessons import (
    BATCH,
    DEEP,
    EPOCHS,
    MARKED,
    RATE,
    initialisation_runs,
    output_steps,
    output_sweep,
    pixel_change,
)

FONT = 11


@styled
def saturation() -> Figure:
    """How wrong output neuron 2 is, and its gradient, as its weighted input grows."""
    z, wrong, gradient = output_sweep()
    marked_z, _, marked_gradient = output_sweep(MARKED)
    fig = new_figure(5.5, 3.9)
    ax = fig.add_subplot()
    ax.plot(z, wrong, color=MUTED, lw=1.6, ls="--", label=r"how wrong: $a^2_2 - y_2$")
    ax.plot(
        z,
        gradient,
        color=REVERSE,
        lw=2.0,
        label=r"its gradient $\partial C/\partial b^2_2 = \delta^2_2$",
    )
    for b, zb, gb in zip(MARKED, marked_z, marked_gradient, strict=True):
        ax.plot([zb], [gb], "o", color=REVERSE, ms=5)
        # Above and to the right: the curve falls to the right of every
        # marked point, so the label clears it (a test checks).
        ax.annotate(
            f"{output_steps(b):,} steps",
            (zb, gb),
            xytext=(3, 3),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=FONT - 0.5,
            color=INK,
        )
    ax.set_xlabel(r"weighted input $z^2_2$ (target $y_2 = 0$)", fontsize=FONT)
    ax.set_yscale("log")
    ax.set_ylim(2e-5, 3)
    ax.set_xlim(z[0], z[-1])
    ax.tick_params(labelsize=FONT - 1)
    ax.legend(loc="lower left", fontsize=FONT - 1, frameon=False)
    ax.set_title(
        "steps of SGD until $a^2_2 < 1/2$, from each marked start", fontsize=FONT
    )
    ax.grid(alpha=0.3)
    return fig


@styled
def silent_pixels() -> Figure:
    """Two 8×8 maps: how bright each pixel is on average, how far its weights moved."""
    mean, change, never = pixel_change(*load_digits()[0].arrays)
    fig = new_figure(5.5, 3.0)
    panels = (
        (mean, "Greys", "mean pixel value\nover the training digits"),
        (change, "Oranges", f"how far its 30 weights\nmoved in {EPOCHS} epochs"),
    )
    for i, (values, cmap, title) in enumerate(panels):
        ax = fig.add_axes((0.02 + 0.5 * i, 0.0, 0.42, 0.78))
        image = ax.imshow(values.reshape(8, 8), cmap=cmap, vmin=0)
        for k in np.flatnonzero(never):
            r, c = divmod(int(k), 8)
            ax.plot(c, r, marker="x", color=FORWARD, ms=9, mew=2.2)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=FONT)
        bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03)
        bar.ax.tick_params(labelsize=FONT - 1)
    fig.text(
        0.5,
        -0.08,
        f"× : the {int(never.sum())} pixels that are 0 in every training digit",
        ha="center",
        fontsize=FONT - 0.5,
        color=FORWARD,
    )
    return fig


@styled
def initialisation() -> Figure:
    """Per-layer gradients at the start; W^1's gradient and test accuracy by epoch."""
    train, test = load_digits()
    found = initialisation_runs(train.arrays, test.labelled)
    tests = len(test)
    colours = {"N(0, 1/n)": FORWARD, "N(0, 1)": HIGHLIGHT}
    fig = new_figure(5.5, 7.6)
    top = fig.add_axes((0.15, 0.74, 0.83, 0.22))
    middle = fig.add_axes((0.15, 0.4, 0.83, 0.22))
    bottom = fig.add_axes((0.15, 0.07, 0.83, 0.29), sharex=middle)
    layers = np.arange(1, len(DEEP))
    # Dots joined by lines, not bars: on a log axis a bar's length would depend
    # on where the axis starts.
    for name, record in found.items():
        top.plot(
            layers,
            record[0].norms,
            "o-",
            color=colours[name],
            ms=5,
            label=f"weights {name}",
        )
        epochs = [r.epoch for r in record]
        first = [r.norms[0] for r in record]
        accuracy = [100 * r.correct / tests for r in record]
        middle.plot(epochs, first, "o-", color=colours[name], ms=4)
        bottom.plot(epochs, accuracy, "o-", color=colours[name], ms=4)
    # Each curve named once, in the bottom panel, beside its end.
    for name, record in found.items():
        end = 100 * record[-1].correct / tests
        above = end < 80
        bottom.text(
            record[-1].epoch - 0.3,
            end + (5 if above else -6),
            f"weights {name}",
            ha="right",
            va="bottom" if above else "top",
            fontsize=FONT - 0.5,
            color=colours[name],
        )
    top.set_yscale("log")
    top.set_xlim(layers[0] - 0.3, layers[-1] + 0.3)
    top.set_xticks(layers, [f"$W^{l}$" for l in layers])
    top.set_ylabel(r"$\|\partial C/\partial W^l\|$", fontsize=FONT)
    top.set_title(f"at the start, network {DEEP}", fontsize=FONT)
    top.legend(fontsize=FONT - 1, frameon=False, loc="upper left")
    middle.set_yscale("log")
    middle.set_ylabel(r"$\|\partial C/\partial W^1\|$", fontsize=FONT)
    middle.set_title(
        f"the first layer's gradient while training (batches of {BATCH}, η = {RATE:g})",
        fontsize=FONT,
    )
    middle.tick_params(labelbottom=False)
    bottom.set_xlabel("epoch", fontsize=FONT)
    bottom.set_ylabel("test digits right (%)", fontsize=FONT)
    bottom.set_ylim(0, 100)
    for ax in (top, middle, bottom):
        ax.tick_params(labelsize=FONT - 1)
        ax.grid(alpha=0.3)
    return fig


FIGURES = {
    "saturation.svg": saturation,
    "silent-pixels.svg": silent_pixels,
    "initialisation.svg": initialisation,
}
