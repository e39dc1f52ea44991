"""The bytes each page fetches before any interaction, against the site before the explorables.

Issue #23 allows the explorables to add at most 150 KB to what a page fetches
before the reader does anything: the drawing library and the numbers come only
when an explorable nears the viewport. ``page_weight_before.json`` holds each
page's bytes measured the same way on the site of commit 3a870ab, the last
without explorables; to measure a built site again:

    python tests/browser/test_page_weight.py SITE_DIR [OUT.json]

A page is opened at desktop size, left until the network is idle, and the
bodies of the page and of everything it fetched are added up (the
Resource Timing API's encodedBodySize; the test server sends no compression).
The search index is left out: Material's search worker fetches it whenever it
gets to it, before or after the network first falls idle, so counting it would
make the number jump by its size; it is the same file on every page.
"""

from __future__ import annotations

import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

BEFORE = Path(__file__).with_name("page_weight_before.json")
ALLOWED = 150_000  # bytes more than before, per page

WEIGH = """() => [
  ...performance.getEntriesByType("navigation"),
  ...performance.getEntriesByType("resource"),
].filter((entry) => !entry.name.endsWith("/search/search_index.json"))
 .reduce((sum, entry) => sum + entry.encodedBodySize, 0)"""


def weigh(page: Page, url: str) -> int:
    """The bytes `url` fetches, opened in `page` and left until the network is idle."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)  # a last late request, such as the search index
    page.wait_for_load_state("networkidle")
    weight: int = page.evaluate(WEIGH)
    return weight


SitePage = Any


def test_a_page_fetches_at_most_150_kb_more_before_interaction(
    page: Page, site_page: SitePage
) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))["pages"]
    weight = weigh(page, site_page.path)
    assert site_page.path in before, f"no weight recorded for {site_page.path}"
    assert weight <= before[site_page.path] + ALLOWED, (
        f"{site_page.path}: {weight} bytes before interaction, "
        f"{before[site_page.path]} before the explorables"
    )
    # No explorable's library or numbers before interaction, on any page.
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
    )
    assert not [url for url in fetched if "/explorables/" in url], fetched


def _record(site: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from sitebuild.nav import nav_sources, page_url

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = partial(Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for source in nav_sources():
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            pages[page_url(source)] = weigh(tab, root + page_url(source))
            tab.close()
        browser.close()
    server.shutdown()
    out.write_text(
        json.dumps(
            {
                "measured on": sys.argv[3] if len(sys.argv) > 3 else str(site),
                "pages": pages,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    _record(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else BEFORE)
