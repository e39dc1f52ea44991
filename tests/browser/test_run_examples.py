"""The pages' examples, run in the browser with Pyodide (docs/javascripts/run-examples.js).

* Before any click a page fetches nothing of Pyodide: the same page with the
  feature's script and stylesheet emptied fetches the same files, and the only
  extra bytes are those two files.
* Run on the first example of every page that has examples shows its printed
  output, each page reached by Material's instant navigation, and no request
  leaves the site.
* The replay (marker ``examples`` as well: ``make test-examples`` runs it
  alone): every example of every page, in the browser, block after block as a
  reader would press Run; each mismatch is listed. The only mismatches allowed
  are those of blocks marked on the page as running locally only (they need
  scikit-learn or matplotlib), and a block so marked must fail for that reason.

The pages are read from the built site when the tests run, so new examples are
covered without a change here. The timings of the first run are printed (run
pytest with ``-s`` to see them); the README quotes them.

Each test's work is a job that runs beside the other browser tests, in a
Chromium of its own (conftest.py's ``Lane``): Pyodide computes in a web worker,
about one core, while the other pages are opened on the other. The test takes
what its job found and checks it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

# The fixtures' types, from tests/browser/conftest.py.
Site = SitePage = Visit = Any
Beside = Callable[[], Any]  # the beside fixture: what the job returned
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


def pages_with_examples(site: Site) -> list[SitePage]:
    return [page for page in site.pages if "language-pycon" in site.html(page)]


def navigate(visit: Visit, page: SitePage) -> None:
    """Go to `page` by instant navigation, as a click on a link of the site does."""
    url = visit.site.url_of(page)
    visit.page.evaluate(
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
        visit.page.wait_for_function(
            """(url) => location.href.split("#")[0] === url  // navigation.tracking adds a hash
              && document.querySelector(".run-examples")
              && !document.querySelector(".run-examples[data-left]")""",
            arg=url,
            timeout=120_000,  # a loaded machine
        )
    except PlaywrightTimeoutError:
        state = visit.page.evaluate(
            """() => [location.href, document.title,
              document.querySelectorAll(".run-examples").length,
              document.querySelectorAll(".run-examples[data-left]").length,
              document.querySelectorAll("div.language-pycon").length]"""
        )
        pytest.fail(f"no instant navigation to {url}: {state}; {visit.problems()}")
    visit.settle()


def run(visit: Visit, index: int, timeout_ms: int = RUN_TIMEOUT_MS) -> dict[str, Any]:
    """Press Run on the page's example block `index`; its state and results."""
    block = visit.page.locator(".run-examples").nth(index)
    block.evaluate(REVEAL)
    block.locator(".run-examples__run").click()
    handle = block.element_handle()
    visit.page.wait_for_function(
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
    site: Site, browser: Any, page: SitePage, blank: bool
) -> dict[str, int]:
    """URL -> body bytes of all that `page` fetches without a click.

    With `blank`, the feature's script and stylesheet are served empty: the same
    page without the feature. Requests to other hosts are blocked and fail the test.
    """
    context = browser.new_context(service_workers="block")
    fetched: dict[str, int] = {}
    elsewhere: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if not site.is_local(url):
            elsewhere.append(url)
            route.abort("blockedbyclient")
        elif blank and url.removeprefix(site.url) in FEATURE:
            route.fulfill(status=200, body="")
        else:
            route.continue_()

    def record(response: Any) -> None:
        try:
            fetched[response.url] = len(response.body())
        except Exception:  # a response without a body (a redirect)
            fetched[response.url] = 0

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("response", record)
    tab.goto(site.url_of(page), wait_until="load")
    tab.wait_for_timeout(3000)  # time for anything lazy to start
    context.close()
    assert not elsewhere, elsewhere
    return fetched


def fetch_a_page_twice(
    lane: Any,
) -> tuple[Site, SitePage, dict[str, int], dict[str, int]]:
    """The first page with examples, fetched with and without the feature."""
    site = lane.site
    page = pages_with_examples(site)[0]
    with_feature = fetched_bytes(site, lane.browser, page, blank=False)
    without = fetched_bytes(site, lane.browser, page, blank=True)
    return site, page, with_feature, without


@pytest.mark.beside(job=fetch_a_page_twice)
def test_nothing_of_pyodide_is_fetched_before_a_click(beside: Beside) -> None:
    site, page, with_feature, without = beside()
    assert sorted(with_feature) == sorted(without), (
        "the feature changed what is fetched"
    )
    assert not [
        url
        for url in with_feature
        if "/pyodide/" in url or "run-examples-worker" in url
    ]
    extra = sum(with_feature.values()) - sum(without.values())
    feature = sum((site.folder / path).stat().st_size for path in FEATURE)
    assert extra == feature
    print(
        f"\n{page.source}: {sum(without.values()):,} bytes without the feature,"
        f" {sum(with_feature.values()):,} with it (+{extra:,}: its script and style)"
    )


def run_first_examples(lane: Any) -> tuple[list[SitePage], Visit, list[str], list[str]]:
    """Run on the first example of every page with examples, each reached by navigation.

    The pages, the tab, the problems found and the lines to print.
    """
    site = lane.site
    pages = pages_with_examples(site)
    if not pages:
        return pages, None, [], []
    visit = lane.open(pages[0])
    fetched: list[str] = []
    visit.page.on("request", lambda request: fetched.append(request.url))
    problems: list[str] = []
    printed_lines: list[str] = []
    for number, page in enumerate(pages):
        if number:
            navigate(visit, page)
        blocks = visit.page.locator(".run-examples")
        first = next(
            i
            for i in range(blocks.count())
            if blocks.nth(i).get_attribute("data-local-only") is None
        )
        started = time.perf_counter()
        result = run(visit, first)
        seconds = time.perf_counter() - started
        if number == 0:
            size = sum(
                (site.folder / "pyodide" / name).stat().st_size
                for name in {
                    url.rsplit("/", 1)[1] for url in fetched if "/pyodide/" in url
                }
            )
            printed_lines.append(
                f"\nfirst Run ({page.source}): result after {seconds:.1f} s,"
                f" {size:,} bytes of Pyodide, NumPy and backprop fetched"
            )
        elif number == 1:
            printed_lines.append(f"a Run on the next page: {seconds:.2f} s")
        if result["run"] != "matches":
            problems.append(f"{page.source}: {result['status']}\n{result['output']}")
            continue
        printed = [r["want"].strip() for r in result["results"] if r["want"].strip()]
        if printed and printed[-1].splitlines()[-1] not in result["output"]:
            problems.append(f"{page.source}: output not shown\n{result['output']}")
    return pages, visit, problems, printed_lines


@pytest.mark.beside(job=run_first_examples)
def test_first_example_of_every_page_runs(beside: Beside) -> None:
    pages, visit, problems, printed_lines = beside()
    print("\n".join(printed_lines))
    assert len(pages) >= 5
    assert not problems, "\n\n".join(problems)
    assert not visit.other_hosts, visit.other_hosts
    assert not visit.problems(), visit.problems()


def replay_every_example(lane: Any) -> tuple[Visit, list[str], list[str], list[str]]:
    """Every example of every page, block after block; the tab, what differed, the log."""
    pages = pages_with_examples(lane.site)
    visit = lane.open(pages[0])
    mismatches: list[str] = []
    unexplained: list[str] = []
    printed_lines: list[str] = []
    for number, page in enumerate(pages):
        if number:
            navigate(visit, page)
        for index in range(visit.page.locator(".run-examples").count()):
            started = time.perf_counter()
            result = run(visit, index, timeout_ms=REPLAY_TIMEOUT_MS)
            where = f"{page.source}, block {index + 1}"
            printed_lines.append(
                f"{where}: {result['run']} ({time.perf_counter() - started:.1f} s)"
            )
            if result["run"] == "matches":
                if result["localOnly"]:
                    unexplained.append(f"{where}: marked local only, but it runs")
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
    return visit, mismatches, unexplained, printed_lines


@pytest.mark.examples
@pytest.mark.beside(job=replay_every_example)
def test_every_example_replays_in_the_browser(beside: Beside) -> None:
    visit, mismatches, unexplained, printed_lines = beside()
    print("\n".join(printed_lines))
    print("\nmismatches, each in a block marked as running locally only:")
    print("\n".join(mismatches) or "none")
    assert not unexplained, "\n\n".join(unexplained)
    assert not visit.problems(), visit.problems()
