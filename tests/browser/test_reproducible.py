"""Two builds of the site are byte for byte the same: figures, pages, notebook, search index."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

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


def test_a_second_build_is_identical(
    site_url: str, site_dir: Path, tmp_path: Path
) -> None:
    """The second build starts from an empty cache: figures drawn, notebook run anew.

    It has the first build's environment, SOURCE_DATE_EPOCH included (the
    harness sets it for the session), so that the sitemap's dates agree even
    when midnight UTC falls between the two builds.
    """
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(again)],
        cwd=ROOT,
        env={
            **os.environ,
            "SITE_URL": site_url,
            "NO_MKDOCS_2_WARNING": "1",
            "BACKPROP_CACHE": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert differences(site_dir, again) == []
