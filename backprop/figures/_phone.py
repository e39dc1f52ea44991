"""Phone layouts: ``NAME.phone.svg`` is the layout of figure ``NAME.svg`` for a narrow screen.

A figure drawn for a wide page is shrunk to fit a phone, and its text with it:
a 620 pt wide SVG shown 358 px wide draws 10.5 pt text at 6 px. So a figure
that needs one gets a second layout, narrower and taller, drawn by the same
function with ``phone=True`` from the same live objects; the site serves it to
narrow screens (``<picture>``, see ``sitebuild/phone.py``), and a browser
test measures the text of every figure at 390 px (``tests/browser/test_figure_text.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from backprop.figures.style import RC

#: How the phone layout of ``NAME.svg`` is named.
SUFFIX = ".phone.svg"


def phone_name(name: str) -> str:
    """The file name of the phone layout of figure `name`.

    >>> phone_name("graphs/reverse-mode.svg")
    'graphs/reverse-mode.phone.svg'
    """
    if not name.endswith(".svg") or name.endswith(SUFFIX):
        raise ValueError(f"a phone layout belongs to a figure NAME.svg, not {name!r}")
    return name.removesuffix(".svg") + SUFFIX


def layouts(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """A figure function ``draw(*data, phone)`` with the house style in force.

    The result draws the wide layout when called as ``f(*data)``, the phone one
    as ``f(*data, phone=True)``; `data` is what the figure is drawn from, if it
    is given rather than computed (the benchmark records).
    """

    @functools.wraps(draw)
    def wrapper(*data: Any, phone: bool = False) -> Figure:
        with mpl.rc_context(RC):
            return draw(*data, phone=phone)

    return wrapper


def with_phone(
    figures: Mapping[str, Callable[..., Figure]], *phone: str
) -> dict[str, Callable[[], Figure]]:
    """`figures`, plus the phone layout of each figure named in `phone`.

    >>> from backprop.figures.style import new_figure
    >>> @layouts
    ... def square(phone: bool) -> Figure:
    ...     return new_figure(2 if phone else 4, 2)
    >>> found = with_phone({"square.svg": square}, "square.svg")
    >>> sorted(found), found["square.phone.svg"]().get_size_inches().tolist()
    (['square.phone.svg', 'square.svg'], [2.0, 2.0])
    """
    found: dict[str, Callable[[], Figure]] = dict(figures)
    for name in phone:
        draw = figures[name]
        found[phone_name(name)] = functools.partial(draw, phone=True)
    return found
