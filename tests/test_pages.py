"""Page sources: code includes are well formed and equations are numbered once, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
INCLUDE = re.compile(r'^\s*--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_include_names_an_existing_section(page: Path) -> None:
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if not re.search(r"8\s*<", line):
            continue
        match = INCLUDE.match(line)
        assert match, f"{page.name}:{number}: malformed include {line!r}"
        source = (ROOT / match["path"]).read_text(encoding="utf-8")
        if match["section"]:
            for end in ("start", "end"):
                marker = f"# --8<-- [{end}:{match['section']}]"
                assert marker in source, (
                    f"{page.name}:{number}: no {marker} in {match['path']}"
                )


def test_every_page_of_the_navigation_exists_or_is_generated(nav: list[str]) -> None:
    for name in nav:
        assert (DOCS / name).is_file() or name in GENERATED, (
            f"{name} is in the nav but nowhere"
        )


def test_every_page_is_in_the_navigation(nav: list[str]) -> None:
    listed = set(nav)
    for page in PAGES:
        assert page.relative_to(DOCS).as_posix() in listed, (
            f"{page.name} is not in the nav"
        )


# Written by the pre-build (sitebuild/): the equation index and the notebook's page.
GENERATED = {"equations.md", "lab.md"}


def test_equations_are_numbered_once_and_in_reading_order(nav: list[str]) -> None:
    numbers: list[int] = []
    for name in nav:
        if name in GENERATED:
            continue
        text = (DOCS / name).read_text(encoding="utf-8")
        numbers += [int(n) for n in re.findall(r"\\tag\{(\d+)\}", text)]
    assert numbers == list(range(1, len(numbers) + 1))
