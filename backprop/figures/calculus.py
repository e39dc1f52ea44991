"""Figures of the matrix calculus chapter, from a small seeded layer y = σ(Wx + b).

Every number on them is computed by :mod:`backprop.calculus` when the figure is
drawn: the Jacobian ∂y/∂x of eq. (26) beside the two factors it is made of, and the
rank-3 tensor ∂y/∂W of eq. (28) as one slice per output.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from backprop._types import Array
from backprop.activations import sigmoid_prime
from backprop.calculus import layer_jacobian, layer_weight_tensor
from backprop.figures._phone import layouts, with_phone
from backprop.figures.style import (
    FORWARD,
    HIGHLIGHT,
    INK,
    MUTED,
    REVERSE,
    new_figure,
)

#: Negative entries blue, positive orange, zero white.
SIGNED = LinearSegmentedColormap.from_list("signed", [FORWARD, "white", REVERSE])
CELL = 0.66  # inches per matrix entry
GAP = 0.75  # inches between two panels, room for an operator
SLICE_GAP = 0.45  # inches between two slices of the tensor
MARGIN = 0.2  # inches around the panels
TITLE = 0.75  # inches above the panels for their titles
FOOT = 0.8  # inches below the panels for the two lines of the key
# On a phone the panels stand one above the other, the operators between them.
PHONE_WIDTH = 3.9  # inches, room for the key in lines of its own
OPERATOR = 0.2  # inches between two stacked panels, besides the title's
PHONE_CELL = 0.55  # inches per matrix entry, stacked


def example_layer(p: int = 3, q: int = 4, seed: int = 51) -> tuple[Array, Array, Array]:
    """W (p, q), b (p, 1) and x (q, 1) of the figures' layer, seeded normal draws.

    With the default seed every |z_i| is below 1.5, so σ'(z_i) stays between
    0.15 and 0.25 and each row of the figures is visibly coloured.

    >>> W, b, x = example_layer()
    >>> W.shape, b.shape, x.shape
    ((3, 4), (3, 1), (4, 1))
    >>> bool(np.all(np.abs(W @ x + b) < 1.5))
    True
    """
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(p, q)),
        rng.normal(size=(p, 1)),
        rng.normal(size=(q, 1)),
    )


def _signed_norm(*arrays: Array) -> Normalize:
    """A colour scale centred on 0; its strongest colour stays light enough for text."""
    top = max(float(np.max(np.abs(a))) for a in arrays)
    return Normalize(vmin=-1.6 * top, vmax=1.6 * top)


def _panels(
    widths: list[int], rows: int, gap: float = GAP, stacked: bool = False
) -> tuple[Figure, list[Axes]]:
    """A white figure with one axes per matrix, `widths[i]` columns of cells each.

    Side by side, or `stacked` one above the other (for a phone), each centred.
    """
    if stacked:
        block = TITLE + PHONE_CELL * rows
        total = max(PHONE_WIDTH, 2 * MARGIN + PHONE_CELL * max(widths))
        foot = 1.5 * FOOT  # the key takes three lines
        height = block * len(widths) + OPERATOR * (len(widths) - 1) + foot
        fig = new_figure(total, height)
        axes = []
        for i, width in enumerate(widths):
            bottom = height - (i + 1) * block - i * OPERATOR
            box = (
                (total - PHONE_CELL * width) / 2 / total,
                bottom / height,
                PHONE_CELL * width / total,
                PHONE_CELL * rows / height,
            )
            axes.append(fig.add_axes(box))
        return fig, axes
    total = 2 * MARGIN + CELL * sum(widths) + gap * (len(widths) - 1)
    height = TITLE + CELL * rows + FOOT
    fig = new_figure(total, height)
    axes, left = [], MARGIN
    for width in widths:
        box = (
            left / total,
            FOOT / height,
            CELL * width / total,
            CELL * rows / height,
        )
        axes.append(fig.add_axes(box))
        left += CELL * width + gap
    return fig, axes


def _draw_matrix(
    ax: Axes, M: Array, norm: Normalize, title: str, blank_zeros: bool = False
) -> None:
    """M as a grid of coloured cells, each with its value written in it."""
    rows, cols = M.shape
    ax.imshow(M, cmap=SIGNED, norm=norm, extent=(0, cols, rows, 0))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=15, color=INK, pad=8)
    for j in range(rows):
        for k in range(cols):
            zero = M[j, k] == 0.0
            text = "0" if zero else f"{M[j, k]:.2f}"
            if not (zero and blank_zeros):
                ax.text(
                    k + 0.5,
                    j + 0.5,
                    text,
                    ha="center",
                    va="center",
                    fontsize=12,
                    color=MUTED if zero else INK,
                )
    ax.hlines(range(1, rows), 0, cols, color="white", lw=1.5)
    ax.vlines(range(1, cols), 0, rows, color="white", lw=1.5)


def _between(
    fig: Figure, first: Axes, second: Axes, symbol: str, size: float = 30
) -> None:
    """Write `symbol` between two panels: in the gap beside them, or above the second
    when they are stacked."""
    one, two = first.get_position(), second.get_position()
    if two.y1 < one.y0:  # stacked: in the band above the second panel's title
        x = 0.5
        # midway between the first panel and the second one's title (0.4 in tall)
        y = one.y0 - (OPERATOR + TITLE - 0.4) / 2 / fig.get_figheight()
    else:
        x = (one.x1 + two.x0) / 2
        y = (one.y0 + one.y1) / 2
    fig.text(x, y, symbol, ha="center", va="center", fontsize=size, color=INK)


def _key(fig: Figure, text: str) -> None:
    fig.text(
        0.5,
        0.1 * FOOT / fig.get_figheight(),
        text,
        ha="center",
        va="bottom",
        linespacing=1.5,
        fontsize=12,
        color=MUTED,
    )


def draw_jacobian(W: Array, b: Array, x: Array, phone: bool = False) -> Figure:
    """diag(σ'(z)) · W = ∂y/∂x for the layer (W, b, x): eq. (26) as three heat maps.

    Side by side, or stacked for a `phone`.
    """
    s = sigmoid_prime(W @ x + b)[:, 0].astype(np.float64)
    J = layer_jacobian(W, b, x)
    p, q = W.shape
    fig, (ax_s, ax_w, ax_j) = _panels([p, q, q], p, stacked=phone)
    _draw_matrix(
        ax_s, np.diag(s), _signed_norm(s), r"$\mathrm{diag}(\sigma'(z))$", True
    )
    _draw_matrix(ax_w, W, _signed_norm(W), r"$W$")
    _draw_matrix(ax_j, J, _signed_norm(J), r"$\partial y/\partial x$")
    _between(fig, ax_s, ax_w, r"$\cdot$", size=48)
    _between(fig, ax_w, ax_j, "=")
    _key(
        fig,
        r"row $i$ of $\partial y/\partial x$ is row $i$ of $W$ times $\sigma'(z_i)$"
        + (
            "\nblue < 0 < orange;\neach panel has its own colour scale"
            if phone
            else "\nblue < 0 < orange; each panel has its own colour scale"
        ),
    )
    return fig


def draw_weight_tensor(W: Array, b: Array, x: Array, phone: bool = False) -> Figure:
    """∂y/∂W for the layer (W, b, x), eq. (28): one slice ∂y_i/∂W per output i.

    Side by side, or stacked for a `phone`.
    """
    T = layer_weight_tensor(W, b, x)
    p, q = W.shape
    fig, axes = _panels([q] * p, p, SLICE_GAP, stacked=phone)
    norm = _signed_norm(T)
    for i, ax in enumerate(axes):
        _draw_matrix(ax, T[i], norm, rf"$\partial y_{{{i + 1}}}/\partial W$")
        ax.add_patch(
            Rectangle((0, i), q, 1, fill=False, ec=HIGHLIGHT, lw=2.5, clip_on=False)
        )
    _key(
        fig,
        r"slice $i$ is zero except row $i$ (outlined),"
        + ("\n" if phone else " ")
        + r"which is $\sigma'(z_i)\,x^\top$"
        + f"\n{np.count_nonzero(T)} of the {T.size} entries are not zero",
    )
    return fig


@layouts
def jacobian(phone: bool) -> Figure:
    """The Jacobian of the example layer beside diag(σ'(z)) and W."""
    return draw_jacobian(*example_layer(), phone=phone)


@layouts
def weight_tensor(phone: bool) -> Figure:
    """The rank-3 tensor ∂y/∂W of the example layer, one slice per output."""
    return draw_weight_tensor(*example_layer(), phone=phone)


FIGURES = with_phone(
    {
        "layer-jacobian.svg": jacobian,
        "weight-tensor.svg": weight_tensor,
    },
    "layer-jacobian.svg",
    "weight-tensor.svg",
)
