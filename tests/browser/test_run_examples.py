"""The pages' examples, run in the browser with Pyodide (docs/javascripts/run-examples.js).

* Before any click a page fetches nothing of Pyodide: the same page with the
  feature's script and stylesheet emptied fetches the same files, and the only
  extra bytes are those two files.
* The replay (marker ``examples`` as well: ``make test-examples`` runs it
  alone): every example of every page, in the browser, block after block as a
  reader would press Run, each page reached by Material's instant navigation;
  each mismatch is listed. The only mismatches allowed are those of blocks
  marked on the page as running locally only (they need matplotlib, numba
  or scikit-learn), and a block so marked must fail for that reason. The first
  block of each page that runs in the browser shows its printed output.

The pages are read from the built site when the tests run, so new examples are
covered without a change here. The time of each run, the first with the bytes
it fetched, is printed (run pytest with ``-s`` to see them).

Pyodide computes in a web worker, about one core, while the other xdist
workers open the other pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import BrowserContext, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

# The fixtures' types, from tests/browser/conftest.py.
SitePage = Any
OpenPage = Callable[[str], Page]
Settle = Callable[[Page], None]
FEATURE = ("javascripts/run-examples.js", "stylesheets/run-examples.css")
# Long enough for Pyodide to start on a loaded two-core machine, with room.
RUN_TIMEOUT_MS = 240_000
# Some examples build graphs of millions of nodes: minutes in WebAssembly.
REPLAY_TIMEOUT_MS = 900_000


# What a reader does to see a block: open the folded solution it is in, select its tab.
REVEAL = """(block) => {
  for (let node = block; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
    if (node.classList.contains("tabbed-block")) {
      const set = node.closest(".tabbed-set");
      const index = [...node.parentElement.children].indexOf(node);
      set.querySelectorAll(":scope > input")[index].checked = true;
    }
  }
}"""


def pages_with_examples(site_pages: list[SitePage], site_dir: Path) -> list[SitePage]:
    return [page for page in site_pages if "language-pycon" in page.html(site_dir)]


def navigate(page: Page, url: str, settle: Settle) -> None:
    """Go to `url` by instant navigation, as a click on a link of the site does."""
    page.evaluate(
        """(url) => {
          for (const block of document.querySelectorAll(".run-examples")) {
            block.dataset.left = "";  // the page being left
          }
          const link = Object.assign(document.createElement("a"), { href: url });
          document.body.append(link);
          link.click();
        }""",
        url,
    )
    try:
        page.wait_for_function(
            """(url) => location.href.split("#")[0] === url  // navigation.tracking adds a hash
              && document.querySelector(".run-examples")
              && !document.querySelector(".run-examples[data-left]")""",
            arg=url,
            timeout=120_000,  # a loaded machine
        )
    except PlaywrightTimeoutError:
        state = page.evaluate(
            """() => [location.href, document.title,
              document.querySelectorAll(".run-examples").length,
              document.querySelectorAll(".run-examples[data-left]").length,
              document.querySelectorAll("div.language-pycon").length]"""
        )
        pytest.fail(f"no instant navigation to {url}: {state}")
    settle(page)


def run(page: Page, index: int, timeout_ms: int = RUN_TIMEOUT_MS) -> dict[str, Any]:
    """Press Run on the page's example block `index`; its state and results."""
    block = page.locator(".run-examples").nth(index)
    block.evaluate(REVEAL)
    block.locator(".run-examples__run").click()
    handle = block.element_handle()
    page.wait_for_function(
        "(block) => block.dataset.run !== undefined && !block.hasAttribute('aria-busy')",
        arg=handle,
        timeout=timeout_ms,
    )
    result: dict[str, Any] = block.evaluate(
        """(block) => ({
          run: block.dataset.run,
          localOnly: block.dataset.localOnly !== undefined,
          status: block.querySelector(".run-examples__status").textContent,
          output: block.querySelector(".run-examples__result").innerText,
          results: block.runResults,
          source: block.querySelector("code").textContent,
        })"""
    )
    return result


def fetched_bytes(
    context: BrowserContext, site_url: str, path: str, blank: bool
) -> dict[str, int]:
    """URL -> body bytes of all that the page at `path` fetches without a click.

    With `blank`, the feature's script and stylesheet are served empty: the same
    page without the feature. (The context blocks requests to other hosts, and
    the harness fails the test on any.)
    """
    fetched: dict[str, int] = {}

    def route(route: Route) -> None:
        if blank and route.request.url.removeprefix(site_url) in FEATURE:
            route.fulfill(status=200, body="")
        else:
            route.fallback()

    def record(response: Any) -> None:
        try:
            fetched[response.url] = len(response.body())
        except Exception:  # a response without a body (a redirect)
            fetched[response.url] = 0

    tab = context.new_page()
    tab.route("**/*", route)
    tab.on("response", record)
    tab.goto(path, wait_until="load")
    tab.wait_for_timeout(3000)  # time for anything lazy to start
    tab.close()
    return fetched


def test_nothing_of_pyodide_is_fetched_before_a_click(
    site_url: str,
    site_dir: Path,
    site_pages: list[SitePage],
    new_context: Callable[..., BrowserContext],
) -> None:
    page = pages_with_examples(site_pages, site_dir)[0]
    # A context each: the second must not find the first's files in a cache.
    with_feature = fetched_bytes(new_context(), site_url, page.path, blank=False)
    without = fetched_bytes(new_context(), site_url, page.path, blank=True)
    assert sorted(with_feature) == sorted(without), (
        "the feature changed what is fetched"
    )
    assert not [
        url
        for url in with_feature
        if "/pyodide/" in url or "run-examples-worker" in url
    ]
    extra = sum(with_feature.values()) - sum(without.values())
    feature = sum((site_dir / path).stat().st_size for path in FEATURE)
    assert extra == feature
    print(
        f"\n{page.source}: {sum(without.values()):,} bytes without the feature,"
        f" {sum(with_feature.values()):,} with it (+{extra:,}: its script and style)"
    )


@pytest.mark.examples
def test_every_example_replays_in_the_browser(
    site_url: str,
    site_dir: Path,
    site_pages: list[SitePage],
    open_page: OpenPage,
    settle: Settle,
) -> None:
    """Every example of every page, block after block; each mismatch is listed.

    The first block of each page that runs in the browser shows what it printed.
    """
    pages = pages_with_examples(site_pages, site_dir)
    assert len(pages) >= 5
    tab = open_page(pages[0].path)
    fetched: list[str] = []
    tab.on("request", lambda request: fetched.append(request.url))
    mismatches: list[str] = []
    unexplained: list[str] = []
    for number, page in enumerate(pages):
        if number:
            navigate(tab, urljoin(site_url, page.path), settle)
        blocks = tab.locator(".run-examples")
        first = next(
            i
            for i in range(blocks.count())
            if blocks.nth(i).get_attribute("data-local-only") is None
        )
        for index in range(blocks.count()):
            started = time.perf_counter()
            result = run(tab, index, timeout_ms=REPLAY_TIMEOUT_MS)
            seconds = time.perf_counter() - started
            where = f"{page.source}, block {index + 1}"
            print(f"{where}: {result['run']} ({seconds:.1f} s)")
            if number == index == 0:
                size = sum(
                    (site_dir / "pyodide" / name).stat().st_size
                    for name in {
                        url.rsplit("/", 1)[1] for url in fetched if "/pyodide/" in url
                    }
                )
                print(
                    f"first Run ({page.source}): result after {seconds:.1f} s,"
                    f" {size:,} bytes of Pyodide, NumPy and backprop fetched"
                )
            if result["run"] == "matches":
                if result["localOnly"]:
                    unexplained.append(f"{where}: marked local only, but it runs")
                printed = [r["want"].strip() for r in result["results"]]
                printed = [text for text in printed if text]
                last = printed[-1].splitlines()[-1] if printed else ""
                if index == first and last not in result["output"]:
                    unexplained.append(f"{where}: output not shown\n{result['output']}")
                continue
            for example in result["results"]:
                if not example["ok"]:
                    mismatches.append(
                        f"{where}: >>> {example['source'].splitlines()[0]}\n"
                        f"    expected {example['want'].strip()!r}\n"
                        f"    got {example['got'].strip()!r}"
                    )
            if not (result["run"] == "local" and result["localOnly"]):
                unexplained.append(f"{where}: {result['status']}\n{result['output']}")
    print("\nmismatches, each in a block marked as running locally only:")
    print("\n".join(mismatches) or "none")
    assert not unexplained, "\n\n".join(unexplained)
