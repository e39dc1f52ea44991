"""The built site, served once, and Chromium on it: pytest-playwright and pytest-xdist.

These tests carry the marker ``browser`` and are left out of a plain ``pytest``
run; ``make test-site`` runs them with ``pytest -m browser -n auto tests/browser``.

The site is built strictly and served once per session, by the process that
starts it: the xdist controller (as soon as a worker reports that it collected a
test of this folder; the workers read the address from the file named in their
``workerinput``), or the one process of a run without ``-n``. Material turns
instant navigation on only when the address the site is served at matches
``site_url``, so the server binds a free port of 127.0.0.1 first, and the site
is built for exactly that address, into a temporary folder.

Fixtures a test may use:

* ``site_url`` (the root URL, ending in "/") and ``site_dir`` (the built site);
  ``site_pages`` (every page of the nav) and ``site_page`` (a test that takes it
  runs once per page);
* pytest-playwright's ``page``, ``context`` and ``new_context``, whose contexts
  have ``base_url=site_url`` (``page.goto("graphs/")``) and open in the ``view``
  ("desktop" unless the test parametrizes ``view``: one of VIEWS);
* ``open_page(path)``: ``page`` at that path, settled (fonts, scrolling blocks,
  two frames drawn); ``settle(page)`` waits the same after a navigation;
* ``page_problems``: what went wrong so far in the test's contexts.

In every context the harness makes, a request to any other host is aborted,
and such requests, failed requests, console errors and page errors are
collected; a test with any of them fails at its end. A test that expects some
carries the marker ``page_problems_expected`` and checks ``page_problems``
itself.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response, Route

from sitebuild.nav import nav_sources, page_url

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent.relative_to(ROOT).as_posix() + "/"
# Full-page screenshots of every page, one folder per view; CI uploads the folder.
SCREENSHOTS = ROOT / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The views a page is opened in: size, palette, touch.
VIEWS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": DESKTOP, "color_scheme": "light"},
    "desktop-dark": {"viewport": DESKTOP, "color_scheme": "dark"},
    "phone": {
        "viewport": PHONE,
        "color_scheme": "light",
        "is_mobile": True,
        "has_touch": True,
    },
}

# Waits until web fonts are in and two frames have been drawn, so that layout,
# ResizeObservers and the scripts that Material runs on document$ have settled.
# A page whose scrolling blocks are not ready within 10 s fails loudly: the
# checks that follow would otherwise run on a page that is not what readers get.
SETTLE = """async () => {
  await document.fonts.ready;
  // docs/javascripts/a11y.js marks the page once its scrolling blocks are focusable.
  for (let waited = 0; document.body.dataset.scrollables !== "ready"; waited += 50) {
    if (waited >= 10000) {
      throw new Error("the page's scrolling blocks were not ready after 10 s "
        + "(docs/javascripts/a11y.js never set data-scrollables)");
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


@dataclass(frozen=True)
class SitePage:
    source: str  # path under docs/, e.g. "graphs.md"
    path: str  # URL relative to the site root, e.g. "graphs/"

    @property
    def name(self) -> str:
        """A file name for the page's screenshots, e.g. "graphs"."""
        return self.source.rsplit(".", 1)[0].replace("/", "-")

    def html(self, site_dir: Path) -> str:
        """The page's HTML as built, before any script runs."""
        return (site_dir / self.path / "index.html").read_text(encoding="utf-8")


def nav_pages() -> list[SitePage]:
    """Every page of the site, in nav order."""
    return [SitePage(source, page_url(source)) for source in nav_sources()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that takes a ``site_page`` once per page of the nav."""
    if "site_page" in metafunc.fixturenames:
        pages = nav_pages()
        metafunc.parametrize("site_page", pages, ids=[p.source for p in pages])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of the whole site (the long ones) first, then those of one page.

    The order is the same in every worker, as xdist requires.
    """
    items.sort(key=lambda item: "site_page" in getattr(item, "fixturenames", ()))


# --- Building and serving the site, once per session --------------------------

# The site generator under test: MkDocs, the default, or Zensical with
# BACKPROP_BUILDER=zensical (make test-site-zensical), which is how the move to
# Zensical is measured: MkDocs stays the default until Zensical passes.
BUILDER = os.environ.get("BACKPROP_BUILDER", "mkdocs")
ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"
# The file, named in each worker's workerinput, where the controller writes
# where the site is served (or why it could not be built).
SERVED = "backprop_served_site"


def build_environment(url: str) -> dict[str, str]:
    """The environment of every build of the site in a session: same address, same date.

    SOURCE_DATE_EPOCH is set once, by the process that starts the session, before
    the workers start: the sitemap records the build date, and two builds on
    either side of midnight UTC would differ by it.
    """
    return {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}


def build_site(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Build the site strictly into `folder` with the BUILDER."""
    if BUILDER == "zensical":
        # No --site-dir, and site_dir must lie inside the repository: build
        # there (a gitignored name), then move the site to `folder`.
        inside = ROOT / "site-zensical" / f"test-{os.getpid()}"
        done = subprocess.run(
            [str(ZENSICAL), "build", "--strict", "--clean"],
            cwd=ROOT,
            env={
                **env,
                "BACKPROP_SITE_DIR": inside.relative_to(ROOT).as_posix(),
                "BACKPROP_OVERRIDES": "overrides/zensical",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            folder.rmdir()
            shutil.move(inside, folder)
        shutil.rmtree(inside, ignore_errors=True)
        return done
    command = ["mkdocs", "build", "--strict", "--site-dir", str(folder)]
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


class _Handler(SimpleHTTPRequestHandler):
    """Serves the built site without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    """Says nothing of a tab that closed before its response was sent."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Served:
    """The site built into `folder` and served at `url` from a thread of this process."""

    url: str
    folder: Path
    error: str | None
    server: ThreadingHTTPServer
    thread: threading.Thread

    @classmethod
    def start(cls, folder: Path) -> Served:
        handler = functools.partial(_Handler, directory=str(folder))
        server = _Server(("127.0.0.1", 0), handler)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        # The pre-build writes what the site computes into docs/ (see sitebuild/);
        # the MkDocs hook would run it again, at no cost, before the build.
        prebuild = subprocess.run(
            [sys.executable, "-m", "sitebuild"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        error = None
        if prebuild.returncode != 0:
            error = f"the pre-build failed:\n{prebuild.stderr}"
        elif (build := build_site(folder, build_environment(url))).returncode != 0:
            error = f"{BUILDER} build --strict failed:\n{build.stderr}"
        else:
            thread.start()
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        return cls(url, folder, error, server, thread)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()


class _Controller:
    """The xdist controller's part: build and serve the site when a worker needs it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="backprop-site-"))
        self.record = self.folder / "served.json"
        self.served: Served | None = None

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[SERVED] = str(self.record)

    def pytest_xdist_node_collection_finished(
        self, node: Any, ids: Sequence[str]
    ) -> None:
        # Called before any test is scheduled: the workers find the site ready.
        if self.served is None and any(id.startswith(HERE) for id in ids):
            self.served = Served.start(self.folder / "site")
            record = {"url": self.served.url, "folder": str(self.served.folder)}
            self.record.write_text(json.dumps({**record, "error": self.served.error}))

    def pytest_unconfigure(self) -> None:
        if self.served is not None:
            self.served.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "page_problems_expected: the test checks page_problems itself (conftest.py)",
    )
    if hasattr(config, "workerinput"):
        return
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    if config.getoption("dist", "no") != "no":
        config.pluginmanager.register(_Controller(), "backprop-site-controller")


@dataclass(frozen=True)
class Site:
    url: str
    folder: Path


@pytest.fixture(scope="session")
def _site(pytestconfig: pytest.Config) -> Iterator[Site]:
    """The served site: the controller's, or, without xdist, served here."""
    workerinput = getattr(pytestconfig, "workerinput", None)
    if workerinput is not None:
        record = Path(workerinput.get(SERVED, "/nonexistent"))
        if not record.exists():
            pytest.fail(
                "the xdist controller did not serve the site: name tests/browser"
                " (or a file in it) on the command line",
                pytrace=False,
            )
        served = json.loads(record.read_text(encoding="utf-8"))
        if served["error"]:
            pytest.fail(served["error"], pytrace=False)
        yield Site(served["url"], Path(served["folder"]))
        return
    with tempfile.TemporaryDirectory(prefix="backprop-site-") as folder:
        here = Served.start(Path(folder) / "site")
        try:
            if here.error:
                pytest.fail(here.error, pytrace=False)
            yield Site(here.url, here.folder)
        finally:
            here.stop()


@pytest.fixture(scope="session")
def site_url(_site: Site) -> str:
    """The root URL of the served site, "http://127.0.0.1:PORT/"."""
    return _site.url


@pytest.fixture(scope="session")
def site_dir(_site: Site) -> Path:
    """The folder of the built site."""
    return _site.folder


@pytest.fixture(scope="session")
def site_pages() -> list[SitePage]:
    """Every page of the site, in nav order."""
    return nav_pages()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The screenshot folder (emptied when the site is built), one folder per view."""
    for view in ("desktop", "phone"):
        (SCREENSHOTS / view).mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# --- Chromium, through pytest-playwright ---------------------------------------

# Debian's Chromium as found on PATH; without one (a machine where `make
# chromium` has not run), Playwright's own, which `python -m playwright install
# chromium` puts in place. The flags keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    return site_url


@pytest.fixture
def view() -> str:
    """The view of the test's contexts, one of VIEWS; a test parametrizes it."""
    return "desktop"


@pytest.fixture
def browser_context_args(
    browser_context_args: dict[str, Any], view: str
) -> dict[str, Any]:
    return {
        **browser_context_args,
        **VIEWS[view],
        "service_workers": "block",
        "reduced_motion": "reduce",
    }


PAGE_PROBLEMS = pytest.StashKey[list[str]]()


@dataclass
class Watch:
    """Blocks the requests of a context to other hosts and records what went wrong."""

    site_url: str
    problems: list[str]

    def is_local(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.site_url).netloc

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", lambda error: self._add("page error", error.error))
        context.on("response", self._response)
        context.on("requestfailed", self._failed)
        context.on("page", lambda page: page.on("websocket", self._websocket))

    def _add(self, kind: str, what: object) -> None:
        self.problems.append(f"{kind}: {what}")

    def _route(self, route: Route) -> None:
        if self.is_local(route.request.url):
            route.continue_()
        else:
            self._add("request to another host", route.request.url)
            route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self._add("console error", message.text)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self._add("request failed", f"{response.status} {response.url}")

    def _failed(self, request: Any) -> None:
        # A request the browser dropped itself (net::ERR_ABORTED: a navigation
        # away, or a <picture> source it no longer wants, as when Chromium
        # resizes the view to take a full-page screenshot) is no fault of the site.
        if self.is_local(request.url) and request.failure != "net::ERR_ABORTED":
            self._add("request failed", f"{request.failure} {request.url}")

    def _websocket(self, websocket: Any) -> None:
        if not self.is_local(websocket.url):
            self._add("request to another host", websocket.url)


@pytest.fixture
def page_problems(request: pytest.FixtureRequest) -> list[str]:
    """What went wrong so far in the contexts of the test (see Watch)."""
    return request.node.stash.setdefault(PAGE_PROBLEMS, [])


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext],
    site_url: str,
    page_problems: list[str],
) -> Callable[..., BrowserContext]:
    """pytest-playwright's, each context watched (so `context` and `page` too)."""

    def watched(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        Watch(site_url, page_problems).attach(context)
        return context

    return watched


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test fails at its end if anything went wrong in its contexts."""
    result = yield
    problems = item.stash.get(PAGE_PROBLEMS, [])
    if problems and item.get_closest_marker("page_problems_expected") is None:
        pytest.fail("\n".join(["in the browser:", *problems]), pytrace=False)
    return result


@pytest.fixture
def settle() -> Callable[[Page], None]:
    """Wait until a page has settled (SETTLE)."""

    def settle_(page: Page) -> None:
        page.evaluate(SETTLE)

    return settle_


@pytest.fixture
def open_page(page: Page, settle: Callable[[Page], None]) -> Callable[[str], Page]:
    """``open_page(path)``: ``page`` at that path of the site, loaded and settled."""

    def open_(path: str) -> Page:
        page.goto(path or "./", wait_until="load")
        settle(page)
        return page

    return open_
