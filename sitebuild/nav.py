"""The site's pages as the nav in ``mkdocs.yml`` lists them, and their URLs.

Shared by the build (the equation index and its links) and the tests (the page
tests in ``tests/browser/``, the Zensical tests), so that both read the nav and
turn a page into a URL the same way.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import yaml

from sitebuild.files import ROOT


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` values are read as null, the nav as it is."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def nav_sources(config_file: Path = ROOT / "mkdocs.yml") -> list[str]:
    """The docs-relative paths of the nav's pages, in order (links elsewhere left out)."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    pages: list[str] = []

    def walk(items: object) -> None:
        if isinstance(items, list):
            for item in items:
                walk(item)
        elif isinstance(items, dict):
            for value in items.values():
                walk(value)
        elif isinstance(items, str) and "://" not in items:
            pages.append(items)

    walk(config.get("nav", []))
    return pages


def page_url(source: str) -> str:
    """The URL of a page relative to the site root, with directory URLs.

    >>> page_url("index.md"), page_url("graphs.md"), page_url("lab.ipynb")
    ('', 'graphs/', 'lab/')
    """
    stem = posixpath.splitext(source)[0]
    parent, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{parent}/" if parent else ""
    return f"{stem}/"
