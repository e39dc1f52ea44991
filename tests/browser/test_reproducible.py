"""Two builds of the site are byte for byte the same: figures, pages, notebook, search index."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser  # it needs the built site, like the browser tests


def differences(left: Path, right: Path) -> list[str]:
    """Paths that are in one tree only, or whose bytes differ."""
    found: list[str] = []
    compare = filecmp.dircmp(left, right)
    stack = [(compare, Path())]
    while stack:
        node, where = stack.pop()
        found += [
            str(where / name)
            for name in node.left_only + node.right_only + node.funny_files
        ]
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        found += [str(where / name) for name in mismatch + errors]
        stack += [(child, where / name) for name, child in node.subdirs.items()]
    return sorted(found)


def build_again(lane: Any) -> list[str]:
    """The second build, from an empty cache; what differs from the first.

    It runs beside the browser tests (conftest.py's ``Lane``): mostly one core
    of drawing, running the notebook and building.
    """
    site, tmp_path = lane.site, lane.folder("again")
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(again)],
        cwd=ROOT,
        # The first build's environment, SOURCE_DATE_EPOCH included, so that
        # the sitemap's dates agree even when midnight UTC falls between them.
        env={**site.env, "BACKPROP_CACHE": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=True,
    )
    return differences(site.folder, again)


@pytest.mark.beside(job=build_again)
def test_a_second_build_is_identical(beside: Callable[[], list[str]]) -> None:
    """The second build starts from an empty cache: figures drawn, notebook run anew."""
    assert beside() == []
