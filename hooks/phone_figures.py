"""MkDocs hook: serve each figure's phone layout to narrow screens, with ``<picture>``.

A figure ``figures/NAME.svg`` may have a phone layout ``figures/NAME.phone.svg``
(see ``backprop/figures/_phone.py``), narrower and taller, so that its text stays
readable on a phone. Wherever a page shows the figure, this hook wraps its
``<img>`` in a ``<picture>`` whose ``<source>`` gives the phone layout to
screens up to the width in ``PHONE_MEDIA``; the ``<img>``, with its alt text, stays as
it is and is what wider screens show. ``tests/browser/test_figure_text.py``
measures the figures as a phone shows them.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Up to 719 CSS px wide (Material's phone and small-tablet layouts) a screen gets
# the phone layout: there a wide layout (up to 10 in, 720 pt) is shown at under
# 690 px, its 9.5 pt text at under 9 px.
PHONE_MEDIA = "(max-width: 719px)"
SUFFIX = ".phone.svg"
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\bsrc="([^"]+\.svg)"')


def phone_source(src: str, page_url: str, files: Files) -> str | None:
    """The srcset of the phone layout of the figure at `src`, if the site has one."""
    if urlsplit(src).scheme or src.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), src))
    phone = target.removesuffix(".svg") + SUFFIX
    if files.get_file_from_path(phone.lstrip("/")) is None:
        return None
    return src.removesuffix(".svg") + SUFFIX


def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def wrap(match: re.Match[str]) -> str:
        img = match[0]
        src = SRC.search(img)
        if src is None:
            return img
        phone = phone_source(html.unescape(src[1]), page.url, files)
        if phone is None:
            return img
        return (
            f'<picture><source media="{PHONE_MEDIA}" srcset="{html.escape(phone)}">'
            f"{img}</picture>"
        )

    return IMG.sub(wrap, html_)
