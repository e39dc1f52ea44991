"""Markdown extension: serve each figure's phone layout to narrow screens, with ``<picture>``.

A figure ``figures/NAME.svg`` may have a phone layout ``figures/NAME.phone.svg``
(see ``backprop/figures/_phone.py``), narrower and taller, so that its text stays
readable on a phone. Wherever a page shows the figure, this extension wraps its
``<img>`` in a ``<picture>`` whose ``<source>`` gives the phone layout to
screens up to the width in ``PHONE_MEDIA``; the ``<img>``, with its alt text,
stays as it is and is what wider screens show. It runs after MkDocs has made
the image's address relative to the page, so the ``srcset`` it writes is the
``src`` with the phone suffix, valid wherever the page is served.
``tests/browser/test_figure_text.py`` measures the figures as a phone shows them.

It is a Python-Markdown extension (listed in ``markdown_extensions``), so that
MkDocs and Zensical both run it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as etree  # noqa: N813 (Python-Markdown's name)

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from sitebuild.equations import current_page
from sitebuild.files import DOCS

# Up to 719 CSS px wide (Material's phone and small-tablet layouts) a screen gets
# the phone layout: there a wide layout (up to 10 in, 720 pt) is shown at under
# 690 px, its 9.5 pt text at under 9 px.
PHONE_MEDIA = "(max-width: 719px)"
SUFFIX = ".phone.svg"


def phone_layout(src: str, page: str | None, docs: Path = DOCS) -> str | None:
    """The address of the phone layout of the figure at `src`, if there is one.

    `src` is the image's address, relative to the page's source file
    (docs-relative path `page`) or, once MkDocs has rewritten it, to the page's
    address; ``../`` steps that climb above ``docs/`` are dropped, which covers
    both for pages at the top of ``docs/``, where every page of this site is.
    """
    if not src.endswith(".svg") or urlsplit(src).scheme or src.startswith("/"):
        return None
    folder = posixpath.dirname(page or "")
    target = posixpath.normpath(posixpath.join("/", folder, src)).lstrip("/")
    phone = target.removesuffix(".svg") + SUFFIX
    if not (docs / phone).is_file():
        return None
    return src.removesuffix(".svg") + SUFFIX


class PhoneFigures(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        page = current_page(self.md)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                phone = phone_layout(child.get("src", ""), page)
                if phone is None:
                    continue
                picture = etree.Element("picture")
                etree.SubElement(
                    picture, "source", {"media": PHONE_MEDIA, "srcset": phone}
                )
                picture.tail, child.tail = child.tail, None
                parent.remove(child)
                picture.append(child)
                parent.insert(index, picture)


class PhoneFiguresExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Below MkDocs' "relpath" (priority 0), which rewrites <img src> but
        # not <source srcset>: this one then copies the rewritten address.
        md.treeprocessors.register(PhoneFigures(md), "phone_figures", -10)


def makeExtension(**kwargs: object) -> PhoneFiguresExtension:
    return PhoneFiguresExtension(**kwargs)
