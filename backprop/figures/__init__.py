"""The site's figures, drawn at build time from live objects of the package.

Each module of this subpackage (one per chapter) has a ``FIGURES`` dict that maps a
file name to the function drawing that figure; :data:`FIGURES` collects them all
under ``<module>/<name>``, the path under the site's ``figures/`` folder. The
performance page's figures are drawn from benchmark records, which only a clone
of the repository has: :func:`figures` adds them, given the records.
``python -m backprop.figures DIR RECORDS`` writes every figure into DIR as SVG,
with the records read from the folder RECORDS. The pages refer to figures by
these paths, and the build fails if a page names a figure that is not here.

Importing this subpackage imports matplotlib, which ``import backprop`` never does.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

try:
    from matplotlib.figure import Figure
except ImportError as error:
    raise ImportError(
        "backprop.figures needs matplotlib, in the package's figures extra: "
        "pip install 'backprop-checked[figures]' (or pip install matplotlib)"
    ) from error

from backprop.figures import performance
from backprop.figures.style import to_svg

__all__ = ["FIGURES", "figures", "to_svg", "write_all"]


def _collect() -> dict[str, Callable[[], Figure]]:
    found: dict[str, Callable[[], Figure]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_") or module_info.name == "style":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, draw in getattr(module, "FIGURES", {}).items():
            found[f"{module_info.name}/{name}"] = draw
    return found


#: Every figure of the site: its path under ``figures/``, and the function drawing it.
FIGURES: dict[str, Callable[[], Figure]] = _collect()


def figures(
    records: Mapping[str, Mapping[str, Any]],
) -> dict[str, Callable[[], Figure]]:
    """Every figure of the site: :data:`FIGURES` and those drawn from the benchmark
    `records` (file name to record, as ``performance.read_records`` reads them)."""
    drawn = performance.figures(records)
    return FIGURES | {f"performance/{name}": draw for name, draw in drawn.items()}


def write_all(folder: Path, records: Mapping[str, Mapping[str, Any]]) -> list[Path]:
    """Draw every figure of :func:`figures` as SVG under `folder`; return the paths."""
    written = []
    for name, draw in figures(records).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_svg(draw()))
        written.append(path)
    return written
