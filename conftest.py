"""Run the ```pycon examples on the site's pages as doctests, with Sybil.

Only ``pycon`` blocks are examples: ``python`` blocks on the pages hold code
included from the package, which its own doctests already check. All examples
on one page share a namespace and run in order, top to bottom, like a reader's
session. Blocks nested in admonitions, tabs and lists are found too.
"""

from __future__ import annotations

from collections.abc import Iterable
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser

OPTIONFLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class PyconParser:
    """Every ```pycon fenced block of a Markdown page, as doctest examples."""

    def __init__(self, optionflags: int) -> None:
        self.blocks = CodeBlockParser(language="pycon")
        self.examples = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document: Document) -> Iterable[Region]:
        for block in self.blocks(document):
            source = block.parsed
            for region in self.examples(source, document.path):
                region.adjust(block, source)
                yield region


pages = Sybil(parsers=[PyconParser(OPTIONFLAGS)], patterns=["*.md"], path="docs")
pytest_collect_file = pages.pytest()


@pytest.fixture
def pycon_pages() -> Sybil:
    """The Sybil that runs the pages' examples, for tests of the harness itself."""
    return pages
