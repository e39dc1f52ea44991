"""LinkChecker, reading each page's HTML once however many anchors point into it.

``python tests/browser/linkcheck_once.py ARGS`` is ``python -m linkcheck ARGS``
with one difference in cost, none in what is checked. With the AnchorCheck
plugin on (``linkcheckerrc``), LinkChecker treats ``page/#a`` and ``page/#b`` as
two URLs, as it must to check each anchor: it fetches the page again for each,
parses it into a Beautiful Soup, and walks the whole tree twice (for the links
to follow and for the anchors). The site's pages are large (KaTeX writes every
formula twice, as HTML and as MathML) and the equation index and the API
reference link hundreds of equation anchors, so that was some 470 parses and
4.5 minutes of one core (280 s of CPU) for 16 pages.

Here the parse and the walks are kept per page: the soup of the same bytes is
made once, and what a walk of one soup for one kind of tag finds is recorded
once and handed again, call for call, to the next URL of that page. Every URL
is still fetched, every link followed and every anchor looked up in its page;
the report is LinkChecker's own. A LinkChecker whose two functions have moved
fails here at once (an AttributeError naming them) rather than running unpatched.

It also makes sure the anchors are checked at all. Run as root (as CI runs),
LinkChecker drops to the user ``nobody`` before it lists its plugins, and where
``nobody`` cannot read the environment (a clone in a private folder, such as
``mktemp -d`` makes) it finds none and checks no anchor, silently. Here the
plugins are loaded first, as the user who started it, and a plugin enabled in
the settings but not loaded stops the check with an error.
"""

from __future__ import annotations

import threading
from typing import Any

from linkcheck import plugins
from linkcheck.command.linkchecker import linkchecker
from linkcheck.htmlutil import htmlsoup, linkparse

_make_soup = htmlsoup.make_soup
_find_links = linkparse.find_links
_lock = threading.Lock()
# The soup of each page's bytes, kept to the end (16 pages): their ids stay unique.
_soups: dict[tuple[bytes, str | None], Any] = {}
_kept: set[int] = set()
# (id of a kept soup, id of a tag table) -> the callback's calls, in order.
_found: dict[tuple[int, int], list[dict[str, Any]]] = {}


def make_soup(markup: Any, from_encoding: str | None = None) -> Any:
    if not isinstance(markup, bytes):
        return _make_soup(markup, from_encoding)
    key = (markup, from_encoding)
    with _lock:
        soup = _soups.get(key)
    if soup is None:
        soup = _make_soup(markup, from_encoding)
        with _lock:
            soup = _soups.setdefault(key, soup)
            _kept.add(id(soup))
    return soup


def find_links(soup: Any, callback: Any, tags: Any) -> None:
    if id(soup) not in _kept:
        _find_links(soup, callback, tags)
        return
    key = (id(soup), id(tags))
    with _lock:
        calls = _found.get(key)
    if calls is None:
        found: list[dict[str, Any]] = []
        _find_links(
            soup, lambda url, **where: found.append({"url": url, **where}), tags
        )
        with _lock:
            calls = _found.setdefault(key, found)
    for call in calls:
        callback(**call)


_PluginManager = plugins.PluginManager


class PluginManager(_PluginManager):
    """LinkChecker's, with every plugin that the settings enable, or an error."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        loaded = {
            type(plugin).__name__
            for kind in (
                self.connection_plugins,
                self.content_plugins,
                self.parser_plugins,
            )
            for plugin in kind
        }
        if missing := set(config["enabledplugins"]) - loaded:
            raise SystemExit(f"LinkChecker did not load its plugins {sorted(missing)}")


def plugin_modules_of(builtin: list[Any]) -> Any:
    """``plugins.get_plugin_modules`` with the built-in modules already imported."""
    get = plugins.get_plugin_modules

    def get_plugin_modules(folders: list[str]) -> Any:
        found = [m for m in get(folders) if m not in builtin]
        return [*found, *builtin]

    return get_plugin_modules


if __name__ == "__main__":
    htmlsoup.make_soup = make_soup
    linkparse.find_links = find_links
    # The built-in plugins, imported now, before LinkChecker drops root.
    plugins.get_plugin_modules = plugin_modules_of(list(plugins.get_plugin_modules([])))
    plugins.PluginManager = PluginManager
    linkchecker()
