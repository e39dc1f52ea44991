"""One look for every figure, and reproducible SVG output.

The SVG is byte-for-byte the same on every run: matplotlib's random ids are
seeded by a fixed salt and the date is left out of the metadata.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.figure import Figure

if TYPE_CHECKING:  # matplotlib.typing.RcKeyType exists from matplotlib 3.11 on
    from matplotlib.typing import RcKeyType

# Colour-blind-safe colours (Okabe and Ito).
INK = "#1a1a1a"
MUTED = "#6b6b6b"
NODE = "#e9eff7"
FORWARD = "#0072b2"  # forward mode, tangents
REVERSE = "#d55e00"  # reverse mode, adjoints
HIGHLIGHT = "#009e73"

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "backprop",
    "svg.fonttype": "path",
    "font.size": 12,
    "mathtext.fontset": "dejavusans",
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
}


def styled(draw: Callable[[], Figure]) -> Callable[[], Figure]:
    """Run a figure function with the house style in force for every artist it adds."""

    @functools.wraps(draw)
    def wrapper() -> Figure:
        with mpl.rc_context(RC):
            return draw()

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A white figure, of the given size in inches; draw inside :func:`styled`."""
    return Figure(figsize=(width, height), facecolor="white")


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes, identical from one run to the next.

    >>> fig = new_figure(2, 1)
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> to_svg(fig) == to_svg(fig)
    True
    >>> b"<svg" in to_svg(fig)
    True
    """
    buffer = io.BytesIO()
    with mpl.rc_context(RC):
        fig.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.05,
            metadata={"Date": None},
        )
    return buffer.getvalue()
