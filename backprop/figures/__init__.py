"""The site's figures, drawn at build time from live objects of the package.

:data:`FIGURES` maps the path of each figure under the site's ``figures/`` folder
to the function that draws it; ``python -m backprop.figures DIR`` writes them all
into DIR as SVG. The pages refer to the figures by these paths, and the build
fails if a page names a figure that is not here.

Importing this subpackage imports matplotlib, which ``import backprop`` never does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from backprop.figures import graphs
from backprop.figures.style import to_svg

__all__ = ["FIGURES", "to_svg", "write_all"]

FIGURES: dict[str, Callable[[], Figure]] = {
    "graphs/expression.svg": graphs.expression,
    "graphs/values.svg": graphs.values,
    "graphs/local-derivatives.svg": graphs.local_derivatives,
    "graphs/forward-mode.svg": graphs.forward_mode,
    "graphs/reverse-mode.svg": graphs.reverse_mode,
}


def write_all(folder: Path) -> list[Path]:
    """Draw every figure of :data:`FIGURES` as SVG under `folder`; return the paths."""
    written = []
    for name, draw in FIGURES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_svg(draw()))
        written.append(path)
    return written
