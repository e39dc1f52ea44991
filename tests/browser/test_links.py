"""No broken link or anchor anywhere on the built site.

MkDocs' validation (strict build) already checks the links written in the
pages' Markdown; this checks the HTML as built: theme links, stylesheets and
the fonts they name, scripts, images, equation anchors, the search page. Every
HTML file and stylesheet of the site is read once, with the standard library's
parsers: each link to the site (relative, or absolute under ``site_url``) must
name a file of the site and, with a ``#fragment`` into a page, an ``id`` (or an
``<a name>``) of that page. Links to other hosts are counted, not followed.

The site is static and every link is local, so the files are read where they
were built rather than fetched: the browser tests record every request a page
makes that fails. (This replaces LinkChecker, which re-read and re-parsed a page
for every anchor that points into it, and which, run as root, drops to the user
``nobody`` before loading its anchor plugin, so that in a private clone no
anchor was checked.)
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

# The attributes that name another file or an anchor, by tag (LinkChecker's
# table, less the tags and attributes HTML5 dropped); `style` on any tag.
LINKS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
SCHEMES = ("http", "https")


class _Page(HTMLParser):
    """The links of an HTML page, and the anchors it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value for name, value in attrs if value is not None}
        if "id" in found:
            self.anchors.add(found["id"])
        if tag == "a" and "name" in found:
            self.anchors.add(found["name"])
        for name in LINKS.get(tag, ()):
            if name not in found:
                continue
            if name == "srcset":
                self.links += [
                    c.split()[0] for c in found[name].split(",") if c.strip()
                ]
            else:
                self.links.append(found[name])
        if "style" in found:
            self.links += [m[2] for m in CSS_URL.finditer(found["style"])]


def read_site(site_dir: Path) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """For each HTML file and stylesheet (by path under site_dir): its links;
    for each HTML file: its anchors."""
    links: dict[str, list[str]] = {}
    anchors: dict[str, set[str]] = {}
    for path in sorted(site_dir.rglob("*")):
        name = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            page = _Page()
            page.feed(path.read_text(encoding="utf-8"))
            links[name], anchors[name] = page.links, page.anchors
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            links[name] = [m[2] for m in CSS_URL.finditer(text)]
    return links, anchors


def check(site_url: str, site_dir: Path) -> tuple[list[str], int]:
    """The links of the site that name no file of it, or no anchor of their page;
    and how many links to an anchor of another page or of the same were checked."""
    links, anchors = read_site(site_dir)
    host = urlsplit(site_url).netloc
    problems: list[str] = []
    checked = 0
    for source, found in links.items():
        for link in found:
            url = urlsplit(urljoin(site_url + source, link.strip()))
            if url.scheme not in SCHEMES or url.netloc != host:
                continue  # data:, mailto:, another host
            path = unquote(url.path).removeprefix("/")
            if path == "" or path.endswith("/") or (site_dir / path).is_dir():
                path = f"{path.rstrip('/')}/index.html".removeprefix("/")
            if not (site_dir / path).is_file():
                problems.append(f"{source}: {link} (no file {path})")
            elif url.fragment and path in anchors:
                checked += 1
                if unquote(url.fragment) not in anchors[path]:
                    problems.append(f"{source}: {link} (no anchor in {path})")
    return sorted(set(problems)), checked


def test_no_broken_link_or_anchor(site_url: str, site_dir: Path) -> None:
    problems, anchors_checked = check(site_url, site_dir)
    assert not problems, "\n".join(["", *problems])
    # The equation index and the API reference alone link hundreds of anchors.
    assert anchors_checked > 200


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    """The check itself, on a site of two pages and a stylesheet."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">x</h1><a href="a/#eq-1">1</a><a href="a/#eq-2">2</a>'
        '<a href="https://example.org/">elsewhere</a><img src="gone.svg" alt="x">'
        '<link rel="stylesheet" href="s.css"><a href="#top">up</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<p id="eq-1">1</p><a href="../">home</a><a href="../b/">b</a>',
        encoding="utf-8",
    )
    (tmp_path / "s.css").write_text(
        '@font-face { src: url("f.woff2") } .x { background: url(data:,) }',
        encoding="utf-8",
    )
    problems, checked = check("http://127.0.0.1:1/", tmp_path)
    assert problems == [
        "a/index.html: ../b/ (no file b/index.html)",
        "index.html: a/#eq-2 (no anchor in a/index.html)",
        "index.html: gone.svg (no file gone.svg)",
        "s.css: f.woff2 (no file f.woff2)",
    ]
    assert checked == 3
