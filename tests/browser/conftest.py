"""Fixtures for the tests of the built site: its pages, the server, the browser.

These tests carry the marker ``browser`` and are left out of a plain ``pytest``
run; ``make test`` runs them after ``make site`` with ``pytest -m browser``.

Which site is tested, and at which address: Material turns instant navigation on
only when the address the site is served at matches ``site_url`` (it keeps the
pages listed in ``sitemap.xml``, with their port, and follows only links to
them). So the session first binds a server to a free port on 127.0.0.1, then
builds the site strictly with ``SITE_URL`` set to exactly that address, into a
temporary folder, and serves it from a thread of this process, which ends with
the session. Serving ``site/`` on 127.0.0.1:8000 instead would spare one build
(a few seconds to some twenty), but would fail whenever that port is busy, as it
is on a machine where ``make serve`` runs; binding first and building second
leaves no race for the port.

The pages are those of the nav in ``mkdocs.yml``, read when the tests are
collected, so that each page is a test of its own; ``test_every_page_is_tested``
checks them against the built site's ``sitemap.xml``.

The tests use the machine's two cores: the pages are opened one after the
other in one Chromium, whose tab takes about one core, and what is long and
needs no tab of that browser runs beside them, started as soon as the site is
served:

* LinkChecker, when the link test is selected (a process of some 30 s of one
  core, through ``linkcheck_once.py``; the link test runs last and waits for
  its verdict);
* the tests marked ``beside(job=f)``: ``f(lane, **the test's parameters)``
  runs in a thread of its own, with a Chromium of its own (Playwright's sync
  API wants one per thread), one job after the other in the order of the
  tests, and the test, run after the others, waits for what its job returned
  (or raised), with ``beside()``, and checks it. These are the second build of
  the site and the examples' runs in Pyodide, which spend most of their time
  in one process (a build, Pyodide's web worker) rather than in this one, and,
  to even out the two lanes' work, the measuring of the figures' text and
  axe-core on a phone.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import posixpath
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
# One build time for every build of a session: the sitemap records the build
# date, and two builds on either side of midnight UTC would differ by it.
SOURCE_DATE_EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
LINKCHECKERRC = Path(__file__).with_name("linkcheckerrc")
# `python -m linkcheck`, each page parsed once and the plugins sure to load
# (see that file).
LINKCHECK = Path(__file__).with_name("linkcheck_once.py")
# Full-page screenshots of every page, one folder per view; CI uploads the folder.
SCREENSHOTS = ROOT / "screenshots"

# Debian's Chromium as found on PATH; without one (a machine where `make chromium`
# has not run), Playwright's own Chromium, which `python -m playwright install
# chromium` puts in place. The flags keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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


def _nav_sources(items: Any) -> Iterator[str]:
    """Source paths of the pages in a nav, in order, skipping links elsewhere."""
    if isinstance(items, str):
        if "://" not in items:
            yield items
    elif isinstance(items, list):
        for item in items:
            yield from _nav_sources(item)
    elif isinstance(items, dict):
        for value in items.values():
            yield from _nav_sources(value)


def _url_path(source: str, directory_urls: bool) -> str:
    """The URL of a page relative to the site root, as MkDocs writes it."""
    stem = posixpath.splitext(source)[0]
    parent, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{parent}/" if parent else ""
    return f"{stem}/" if directory_urls else f"{stem}.html"


@dataclass(frozen=True)
class SitePage:
    source: str  # path under docs/, e.g. "graphs.md"
    path: str  # URL relative to the site root, e.g. "graphs/"

    @property
    def name(self) -> str:
        """A file name for the page's screenshots, e.g. "graphs"."""
        return posixpath.splitext(self.source)[0].replace("/", "-")


def nav_pages() -> list[SitePage]:
    """Every page of the site, in nav order (all pages in docs/ if there is no nav)."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as file:
        config = yaml_load(file)
    directory_urls = config.get("use_directory_urls", True)
    if config.get("nav"):
        sources = list(_nav_sources(config["nav"]))
    else:
        docs = ROOT / config.get("docs_dir", "docs")
        sources = sorted(
            path.relative_to(docs).as_posix()
            for path in docs.rglob("*")
            if path.suffix in (".md", ".ipynb")
        )
    return [SitePage(source, _url_path(source, directory_urls)) for source in sources]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that takes a ``site_page`` once per page of the nav."""
    if "site_page" in metafunc.fixturenames:
        pages = nav_pages()
        metafunc.parametrize("site_page", pages, ids=[p.source for p in pages])


@dataclass(frozen=True)
class Site:
    """The built site and the address it is served at."""

    url: str  # "http://127.0.0.1:PORT/"
    folder: Path
    pages: list[SitePage]
    env: dict[str, str]  # the environment it was built in
    link_check: LinkCheck | None = None
    lane: Lane | None = None

    def url_of(self, page: SitePage) -> str:
        return urljoin(self.url, page.path)

    def html(self, page: SitePage) -> str:
        """The page's HTML as built, before any script runs."""
        path = page.path if page.path.endswith(".html") else page.path + "index.html"
        return (self.folder / path).read_text(encoding="utf-8")

    def is_local(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.url).netloc


@dataclass(frozen=True)
class LinkCheck:
    """LinkChecker running on the served site, its report written to a file."""

    process: subprocess.Popen[bytes]
    report: Path

    @classmethod
    def start(cls, url: str, report: Path) -> LinkCheck:
        with report.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    str(LINKCHECK),
                    "--config",
                    str(LINKCHECKERRC),
                    url,
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return cls(process, report)

    def verdict(self, timeout: float = 600) -> tuple[int, str]:
        """LinkChecker's exit code (0: no broken link) and its report."""
        code = self.process.wait(timeout)
        return code, self.report.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "beside(job): job(lane, **params) runs beside the other tests, started with"
        " the site;"
        " the test takes its result from the `beside` fixture (conftest.py)",
    )


def _beside_job(item: pytest.Item) -> Callable[[Lane], Any] | None:
    """The test's job, given the test's parameters (its page, say) after the lane."""
    marker = item.get_closest_marker("beside")
    if marker is None:
        return None
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    return functools.partial(marker.kwargs["job"], **params)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests whose work runs beside come after the others, the link test last.

    So the others run while LinkChecker and the jobs do.
    """
    items.sort(
        key=lambda item: (
            "link_check" in getattr(item, "fixturenames", ()),
            _beside_job(item) is not None,
        )
    )


class _Handler(SimpleHTTPRequestHandler):
    """Serves the built site without logging each request."""

    def end_headers(self) -> None:
        # LinkChecker waits 0.1 to 0.6 s between two requests to a host, unless
        # the host answers with this header: then it takes `maxrequestspersecond`
        # from tests/browser/linkcheckerrc.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_environment(url: str) -> dict[str, str]:
    """The environment of every build of the site in a session: same address, same date."""
    return {
        **os.environ,
        "SITE_URL": url,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
    }


# The site generator under test: MkDocs, the default, or Zensical with
# BACKPROP_BUILDER=zensical (make test-site-zensical), which is how the move to
# Zensical is measured: MkDocs stays the default until Zensical passes.
BUILDER = os.environ.get("BACKPROP_BUILDER", "mkdocs")
ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"


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
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(folder),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def site(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Site]:
    """The site, built strictly for and served at a free port of 127.0.0.1."""
    folder = tmp_path_factory.mktemp("site")
    handler = functools.partial(_Handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    # The pre-build writes what the site computes into docs/ (see sitebuild/);
    # the MkDocs hook would run it again, at no cost, before the build.
    prebuild = subprocess.run(
        [sys.executable, "-m", "sitebuild"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if prebuild.returncode != 0:
        server.server_close()
        pytest.fail(f"the pre-build failed:\n{prebuild.stderr}", pytrace=False)
    build = build_site(folder, env := build_environment(url))
    if build.returncode != 0:
        server.server_close()
        pytest.fail(f"{BUILDER} build --strict failed:\n{build.stderr}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    link_check = None
    if any(
        "link_check" in getattr(item, "fixturenames", ())
        for item in request.session.items
    ):
        report = tmp_path_factory.mktemp("linkcheck") / "report.txt"
        link_check = LinkCheck.start(url, report)
    jobs = {
        item.nodeid: job
        for item in request.session.items
        if (job := _beside_job(item)) is not None
    }
    site = Site(url, folder, nav_pages(), env, link_check)
    lane = Lane.start(site, jobs, tmp_path_factory) if jobs else None
    try:
        yield dataclasses.replace(site, lane=lane)
    finally:
        if lane is not None:
            lane.stop()
        if link_check is not None:
            link_check.stop()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def beside(site: Site, request: pytest.FixtureRequest) -> Callable[[], Any] | None:
    """``beside()`` is what the test's job returned: it waits for the job, and
    raises what the job raised (in the test, so that the test fails). None for a
    test without a job (a parameter of it may have one)."""
    if _beside_job(request.node) is None:
        return None
    assert site.lane is not None, "no job was started beside the tests"
    return functools.partial(site.lane.result, request.node.nodeid)


@pytest.fixture(scope="session")
def link_check(site: Site) -> LinkCheck:
    """LinkChecker on the served site, started with it (see the module's docstring)."""
    assert site.link_check is not None, "LinkChecker was not started with the site"
    return site.link_check


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The screenshot folder, emptied once per session."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    for view in ("desktop", "phone"):
        (SCREENSHOTS / view).mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One browser tab on the site, with what it asked for and what went wrong."""

    site: Site
    context: BrowserContext
    page: Page = field(init=False)
    other_hosts: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Every request to another host is recorded and blocked.
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("websocket", lambda ws: self.other_hosts.append(ws.url))

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self.site.is_local(url):
            route.continue_()
        else:
            self.other_hosts.append(url)
            route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _request_failed(self, request: Request) -> None:
        if self.site.is_local(request.url):
            self.failed.append(f"{request.failure} {request.url}")

    def goto(self, page: SitePage) -> None:
        self.page.goto(self.site.url_of(page), wait_until="load")
        self.settle()

    def settle(self) -> None:
        self.page.evaluate(SETTLE)

    def problems(self) -> list[str]:
        """What went wrong so far, whatever the page: requests and errors."""
        return [
            *(f"request to another host: {url}" for url in self.other_hosts),
            *(f"request failed: {failure}" for failure in self.failed),
            *(f"console error: {text}" for text in self.console_errors),
            *(f"page error: {text}" for text in self.page_errors),
        ]


def open_tab(
    site: Site,
    browser: Browser,
    page: SitePage,
    view: str,
    contexts: list[BrowserContext],
) -> Visit:
    """`page` in a fresh tab of `browser` in one of the VIEWS; its context joins
    `contexts`, which the caller closes."""
    context = browser.new_context(
        **VIEWS[view], service_workers="block", reduced_motion="reduce"
    )
    contexts.append(context)
    visit = Visit(site, context)
    visit.goto(page)
    return visit


def launch(playwright: Any) -> Browser:
    """Chromium, Debian's where there is one on PATH (see CHROMIUM_ARGS)."""
    try:
        return playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        pytest.fail(
            "cannot start Chromium: install Debian's chromium (`make chromium`)"
            " or Playwright's (`python -m playwright install chromium`)\n"
            f"{error}",
            pytrace=False,
        )


@dataclass(repr=False)
class Lane:
    """A thread that runs the ``beside`` jobs in order, with a Chromium of its own.

    A job is a function of the lane: ``lane.site``, ``lane.browser`` (started
    on first use), ``lane.open(page, view)`` (a fresh tab, as ``open_page``
    gives) and ``lane.folder(name)`` (an empty temporary folder).
    """

    site: Site
    jobs: dict[str, Callable[[Lane], Any]]
    tmp_path_factory: pytest.TempPathFactory
    results: dict[str, tuple[bool, Any]] = field(default_factory=dict)
    done: dict[str, threading.Event] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    _browser: Browser | None = None
    _playwright: Any = None
    _contexts: list[BrowserContext] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        site: Site,
        jobs: dict[str, Callable[[Lane], Any]],
        tmp_path_factory: pytest.TempPathFactory,
    ) -> Lane:
        lane = cls(site, jobs, tmp_path_factory)
        lane.done = {nodeid: threading.Event() for nodeid in jobs}
        lane.thread = threading.Thread(target=lane._run, name="beside", daemon=True)
        lane.thread.start()
        return lane

    @property
    def browser(self) -> Browser:
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._browser = launch(self._playwright)
        return self._browser

    def open(self, page: SitePage, view: str = "desktop") -> Visit:
        return open_tab(self.site, self.browser, page, view, self._contexts)

    def folder(self, name: str) -> Path:
        return self.tmp_path_factory.mktemp(name)

    def _run(self) -> None:
        try:
            for nodeid, job in self.jobs.items():
                if self.stopping.is_set():
                    break
                try:
                    self.results[nodeid] = (True, job(self))
                except BaseException as error:  # pytest.fail raises a BaseException
                    self.results[nodeid] = (False, error)
                finally:
                    for context in self._contexts:
                        context.close()
                    self._contexts.clear()
                    self.done[nodeid].set()
        finally:
            try:
                if self._browser is not None:
                    self._browser.close()
                    self._playwright.stop()
            finally:
                for nodeid, done in self.done.items():
                    if not done.is_set():
                        self.results[nodeid] = (False, RuntimeError("job not run"))
                        done.set()

    def result(self, nodeid: str) -> Any:
        """What the job of test `nodeid` returned; raises what it raised."""
        self.done[nodeid].wait()
        ok, value = self.results[nodeid]
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Run no further job (a session that ends early); wait for the one running."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=60)


@pytest.fixture
def open_page(site: Site, browser: Browser) -> Iterator[Callable[..., Visit]]:
    """Open a page of the site in a fresh tab, in one of the VIEWS."""
    contexts: list[BrowserContext] = []

    def open_(page: SitePage, view: str = "desktop") -> Visit:
        return open_tab(site, browser, page, view, contexts)

    yield open_
    for context in contexts:
        context.close()
