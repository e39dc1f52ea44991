"""Plots for the training lab: learning curves, predictions on test digits, confusions.

These take the results of a training run (the history from
:meth:`~backprop.network.Network.SGD`, the test images, labels and predictions)
and return a matplotlib figure, so a notebook shows them and a test can check them.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from backprop.figures.style import (
    FORWARD,
    INK,
    MUTED,
    REVERSE,
    new_figure,
    styled,
    to_svg,
)
from backprop.network import EpochReport


class Picture:
    """A figure as an SVG image with alt text, for notebooks: ``Picture(fig, "what it shows")``.

    Jupyter shows it through ``_repr_html_`` as an ``<img>`` whose source is the
    reproducible SVG of :func:`~backprop.figures.style.to_svg`, so the image is
    crisp, identical from one build to the next, and described for screen readers.

    >>> fig = new_figure(1, 1)
    >>> html = Picture(fig, 'an "empty" figure')._repr_html_()
    >>> html.startswith('<img alt="an &quot;empty&quot; figure" src="data:image/svg+xml;base64,')
    True
    """

    def __init__(self, fig: Figure, alt: str) -> None:
        if not alt.strip():
            raise ValueError("a picture needs alt text that says what it shows")
        self.fig, self.alt = fig, alt

    def _repr_html_(self) -> str:
        data = base64.b64encode(to_svg(self.fig)).decode("ascii")
        return f'<img alt="{html.escape(self.alt)}" src="data:image/svg+xml;base64,{data}">'


def confusion(
    labels: NDArray[np.integer], predictions: NDArray[np.integer], classes: int
) -> NDArray[np.int64]:
    """counts[i, j]: how many examples of class i were predicted as class j.

    >>> confusion(np.array([0, 1, 1]), np.array([0, 1, 0]), 2).tolist()
    [[1, 0], [1, 1]]
    """
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def learning_curves(history: Sequence[EpochReport]) -> Figure:
    """Training cost (log scale) and test accuracy after every epoch, one above the other.

    Stacked, the figure is narrow enough that its text stays readable on a phone.
    """

    @styled
    def draw() -> Figure:
        epochs = [h.epoch for h in history]
        fig = new_figure(5.2, 5.8)
        cost, accuracy = fig.subplots(2, 1, sharex=True)
        cost.plot(epochs, [h.cost for h in history], "o-", color=FORWARD, ms=3.5)
        cost.set_yscale("log")
        cost.set(ylabel="training cost $C$", title="Cost on the training set")
        accuracy.plot(
            epochs,
            [100 * (h.accuracy or 0.0) for h in history],
            "o-",
            color=REVERSE,
            ms=3.5,
        )
        accuracy.set(
            xlabel="epoch", ylabel="correct (%)", title="Accuracy on the test set"
        )
        for ax in (cost, accuracy):
            ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig

    return draw()


def digit_grid(
    X: NDArray[np.floating],
    labels: NDArray[np.integer],
    predictions: NDArray[np.integer],
    columns: int = 8,
) -> Figure:
    """Test digits with the network's answer above each; wrong answers in a red frame.

    Eight to a row by default, so that the answers stay readable on a phone.
    """

    @styled
    def draw() -> Figure:
        count = X.shape[1]
        rows = -(-count // columns)
        side = math.isqrt(X.shape[0])
        if side * side != X.shape[0]:
            raise ValueError(f"inputs of {X.shape[0]} pixels are not square images")
        fig = new_figure(0.66 * columns, 0.84 * rows)
        for i in range(count):
            ax = fig.add_subplot(rows, columns, i + 1)
            ax.imshow(X[:, i].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
            wrong = predictions[i] != labels[i]
            ax.set_title(
                f"{predictions[i]}" + (f" ({labels[i]})" if wrong else ""),
                fontsize=10.5,
                color=REVERSE if wrong else INK,
                pad=2,
            )
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color(REVERSE if wrong else MUTED)
                spine.set_linewidth(2.5 if wrong else 0.5)
        fig.subplots_adjust(
            wspace=0.15, hspace=0.55, left=0.01, right=0.99, top=0.93, bottom=0.01
        )
        return fig

    return draw()


def confusion_matrix(
    labels: NDArray[np.integer], predictions: NDArray[np.integer], classes: int = 10
) -> Figure:
    """The confusion matrix: true class down, predicted class across, counts in the cells."""

    @styled
    def draw() -> Figure:
        counts = confusion(labels, predictions, classes)
        fig = new_figure(5.2, 4.6)
        ax = fig.add_subplot()
        image = ax.imshow(counts, cmap="Blues")
        for (i, j), n in np.ndenumerate(counts):
            if n:
                ax.text(
                    j,
                    i,
                    str(n),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if n > counts.max() / 2 else INK,
                )
        ax.set(
            xticks=range(classes),
            yticks=range(classes),
            xlabel="predicted digit",
            ylabel="true digit",
            title=f"{int(np.trace(counts))} of {counts.sum()} correct",
        )
        fig.colorbar(image, ax=ax, fraction=0.046)
        return fig

    return draw()
