"""Griffe extension: docstrings written for ``help()`` and doctest, shown as Markdown.

The package's docstrings hold their examples as plain doctests (``>>>`` lines and
their output), which Markdown would read as nested block quotes, and name other
objects with reStructuredText roles such as ``:func:`gradient```. This extension,
loaded by mkdocstrings for the API reference (``sitebuild.griffe_doctests`` in
``mkdocs.yml``), wraps each run of doctest lines in
a fenced ``pycon`` block and turns each role into inline code before the
docstring is rendered. The docstrings themselves stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# A reStructuredText role: :func:`name`, :meth:`~module.Class.name`, ...
ROLE = re.compile(r":(?:class|meth|func|mod|data|attr|obj):`~?([^`]+)`")
# A doctest: a ">>>" line, its "..." continuations, and its output up to a blank line.
DOCTEST = re.compile(
    r"^(?P<indent>[ \t]*)>>> .*(?:\n(?P=indent)(?!\s*$).*)*", re.MULTILINE
)


def fence(text: str) -> str:
    """Wrap every doctest run in ``text`` in a ```pycon fence (tests/test_sitebuild.py)."""
    return DOCTEST.sub(
        lambda m: f"{m['indent']}```pycon\n{m[0]}\n{m['indent']}```", text
    )


class DoctestFences(griffe.Extension):
    """Fence the doctests of every object's docstring."""

    def on_object(
        self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any
    ) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence(ROLE.sub(r"`\1`", obj.docstring.value))
