"""Every page of the built site, opened in Chromium: math, figures, layout, accessibility.

On each page, in every view, no request leaves 127.0.0.1 (requests to other
hosts are blocked and recorded), none fails, and nothing is written to the
console as an error (conftest.py fails the test otherwise). Then, at desktop
size: every formula typeset by KaTeX with MathML for screen readers, no TeX
left as text, every image and figure loaded and described; at phone size:
nothing wider than the screen outside the blocks that scroll. axe-core finds no
serious or critical violation: every rule on the light palette at desktop size,
the rules about colour again in the dark palette (switched on by its toggle, on
the same tab), and every rule but those about colour at phone size. Screenshots
of each page at both sizes go to ``screenshots/``, as JPEG (about half the time
of a PNG of a page this long).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# The fixtures' types, from tests/browser/conftest.py.
SitePage = Any
OpenPage = Callable[[str], Page]
Settle = Callable[[Page], None]

# Per formula: typeset, no KaTeX error, MathML present and not hidden from
# assistive technology, the visual HTML hidden from it (so it is read once),
# and KaTeX's stylesheet applied. Web fonts that failed to load are listed too.
MATH = """() => {
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim().slice(0, 80);
  const formulas = [...document.querySelectorAll(".md-content .arithmatex")];
  const katex = [...document.querySelectorAll(".md-content .katex")];
  const hidden = (el) => {
    const style = getComputedStyle(el);
    return style.display === "none" || style.visibility === "hidden"
      || el.closest("[aria-hidden=true]") !== null;
  };
  return {
    "formula not typeset": formulas.filter((f) => !f.querySelector(".katex")).map(text),
    "KaTeX error": [...document.querySelectorAll(".katex-error")].map(text),
    "formula without MathML": katex
      .filter((k) => !k.querySelector(":scope > .katex-mathml > math")).map(text),
    "MathML hidden from screen readers": katex
      .filter((k) => { const m = k.querySelector(":scope > .katex-mathml"); return m && hidden(m); })
      .map(text),
    "typeset HTML not aria-hidden": katex
      .filter((k) => k.querySelector(":scope > .katex-html:not([aria-hidden=true])")).map(text),
    "KaTeX stylesheet not applied": katex
      .filter((k) => !getComputedStyle(k).fontFamily.includes("KaTeX_Main")).map(text),
    "web font failed to load": [...document.fonts]
      .filter((f) => f.status === "error").map((f) => f.family),
  };
}"""

# The visible text of the page outside code and typeset math, one string per text node.
VISIBLE_TEXT = """() => {
  const skip = "pre, code, kbd, samp, script, style, noscript, textarea, .katex";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(skip) && parent.checkVisibility()) texts.push(node.data);
  }
  return texts;
}"""
# TeX that was not typeset: \( \) \[ \] delimiters, $$, a control word such as
# \frac, or an inline $...$ pair.
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]+|\$[^\s$][^$\n]*\$")

# Every image, made to load now if it was lazy, with its state once decoded.
# An image is shown when it is visible with an area. One inside a closed
# <details> (a solution, say) is hidden until the reader opens it: its details
# are opened to measure it, then closed again. One in a tab that is not
# selected counts as hidden by the reader's choice. Any other invisible image
# is a fault.
IMAGES = """async () => {
  const images = [...document.querySelectorAll("img")];
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  const visible = (img) => {
    const box = img.getBoundingClientRect();
    return img.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      && box.width > 0 && box.height > 0;
  };
  return images.map((img) => {
    let shown = visible(img);
    let hidden = null;
    if (!shown) {
      const closed = [];
      for (let el = img.parentElement; el; el = el.parentElement) {
        if (el.tagName === "DETAILS" && !el.open) closed.push(el);
      }
      for (const details of closed) details.open = true;
      if (closed.length) hidden = "in a closed details block";
      shown = visible(img);
      for (const details of closed) details.open = false;
      if (!shown && img.closest(".tabbed-block") && !img.closest(".tabbed-block").checkVisibility()) {
        hidden = "in a tab that is not selected";
        shown = true;
      }
    }
    return {
      src: img.src,
      alt: img.getAttribute("alt"),
      loaded: img.complete && img.naturalWidth > 0,
      shown,
      hidden,
    };
  });
}"""

# Figures of notebook pages (sitebuild/notebook.py writes each output in a
# div.notebook-output): each inline SVG's accessible name, and the text of
# each output, where a figure that was not drawn shows up as its Python repr.
NOTEBOOK_FIGURES = """() => ({
  svgs: [...document.querySelectorAll(".notebook-output svg")].map((svg) =>
    svg.getAttribute("aria-label") || svg.querySelector(":scope > title")?.textContent || null),
  outputs: [...document.querySelectorAll(".notebook-output")].map((out) => out.innerText),
})"""
FIGURE_AS_TEXT = re.compile(r"<(?:Figure size|matplotlib\.)[^>\n]*>")

# Visible elements that reach past the right edge of the screen, outside every
# block that scrolls or clips sideways (code, display math, tables) and itself
# fits on the screen; only the outermost of each such element is listed.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase()
    + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 2).map((c) => "." + c).join("");
  const escapes = (el) => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible"
          && a.getBoundingClientRect().right <= width + 1) return false;
    }
    return true;
  };
  const wide = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && box.right > width + 1 && escapes(el)) wide.add(el);
  }
  return [...wide]
    .filter((el) => !wide.has(el.parentElement))
    .map((el) => `${describe(el)} reaches ${Math.round(el.getBoundingClientRect().right)}px`
      + ` (${el.textContent.replace(/\\s+/g, " ").trim().slice(0, 60)})`);
}"""

# Equation numbers drawn over their formula: KaTeX pins the number to the right
# edge of the block, where a formula wider than the block runs under it.
TAG_OVER_FORMULA = """() => [...document.querySelectorAll(".katex-display .katex-tag")]
  .filter((tag) => {
    const number = tag.getBoundingClientRect();
    return [...tag.parentElement.children].some((part) => {
      const box = part.getBoundingClientRect();
      return part !== tag && box.width > 0
        && box.right > number.left + 0.5 && box.left < number.right - 0.5;
    });
  })
  .map((tag) => tag.textContent)"""

# Alt text that says nothing about the figure (nbconvert writes the first one).
# JPEG quality of the screenshots: text stays sharp enough to read.
SCREENSHOT_QUALITY = 85

PLACEHOLDER_ALT = {"no description has been provided for this image", "image", "figure"}
MIN_ALT_WORDS = 3


class _Images(HTMLParser):
    """The src and alt of each <img> in a page as built."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            found = dict(attrs)
            self.images.append((found.get("src") or "", found.get("alt")))


def built_images(page_url: str, html: str) -> list[tuple[str, str | None]]:
    """(absolute URL, alt) of each <img> in a page's HTML as built."""
    parser = _Images()
    parser.feed(html)
    return [(urljoin(page_url, src), alt) for src, alt in parser.images]


def alt_problem(alt: str | None) -> str | None:
    if alt is None or not alt.strip():
        return "no alt text"
    if alt.strip().lower().rstrip(".") in PLACEHOLDER_ALT:
        return f"placeholder alt text {alt!r}"
    if len(re.findall(r"\w+", alt)) < MIN_ALT_WORDS:
        return f"alt text too short to say what it shows: {alt!r}"
    return None


def report(problems: list[str]) -> str:
    return "\n".join(["", *problems])


# The axe rules whose outcome depends on the palette.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# KaTeX draws a formula as hundreds of spans (9,000 on the calculus page),
# hidden from assistive technology, that take the colour of the text around
# them. The colour rules leave them out, which halves their time on the pages
# with most math; MATH_COLOUR checks instead that no span of a formula has a
# colour or a background of its own, so the formula reads as well as the text
# around it, which the colour rules do check.
NOT_COLOURED = [[".katex-html"]]
MATH_COLOUR = """() => [...document.querySelectorAll(".md-content .katex-html")]
  .flatMap((html) => {
    const around = getComputedStyle(html.closest(".katex").parentElement).color;
    return [...html.querySelectorAll("*")].filter((el) => {
      const style = getComputedStyle(el);
      return style.color !== around || style.backgroundColor !== "rgba(0, 0, 0, 0)";
    }).map((el) => `${el.textContent.trim().slice(0, 40)} (${getComputedStyle(el).color})`);
  })"""


def axe_violations(
    page: Page,
    rules: list[str] | None = None,
    skip: tuple[str, ...] = (),
    exclude: list[list[str]] | None = None,
) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each.

    ``rules`` runs only those rules; ``skip`` leaves some out; ``exclude``
    (CSS selectors) leaves those elements out.
    """
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    if skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
    context = {"exclude": exclude} if exclude else None
    results = Axe().run(page, context=context, options=options)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [
                " ".join(map(str, node["target"])) for node in violation["nodes"]
            ]
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']};"
                f" {len(targets)} elements: {', '.join(targets[:5])}"
            )
    return lines


def test_every_page_is_tested(
    site_url: str, site_dir: Path, site_pages: list[SitePage]
) -> None:
    """The pages tested (the nav) are exactly the pages built (the sitemap)."""
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    built = {
        urlsplit(loc).path for loc in re.findall(r"<loc>\s*(.*?)\s*</loc>", sitemap)
    }
    tested = {urlsplit(urljoin(site_url, page.path)).path for page in site_pages}
    assert tested == built


def test_page_at_desktop_size(
    site_url: str,
    site_dir: Path,
    site_page: SitePage,
    open_page: OpenPage,
    settle: Settle,
    screenshots: Path,
) -> None:
    page = open_page(site_page.path)
    problems = []

    for kind, found in page.evaluate(MATH).items():
        problems += [f"{kind}: {item}" for item in found]
    problems += [
        f"equation number over its formula: {tag}"
        for tag in page.evaluate(TAG_OVER_FORMULA)
    ]
    for text in page.evaluate(VISIBLE_TEXT):
        problems += [
            f"TeX left as text: {m[0]!r} in {text.strip()[:80]!r}"
            for m in RAW_TEX.finditer(text)
        ]

    shown = {image["src"]: image for image in page.evaluate(IMAGES)}
    for image in shown.values():
        if not image["loaded"]:
            problems.append(f"image not loaded: {image['src']}")
        elif not image["shown"]:
            where = f" ({image['hidden']}, opened)" if image["hidden"] else ""
            problems.append(f"image not visible on the page{where}: {image['src']}")
    # Every figure of the page as built is on the page as shown, and described.
    built = built_images(urljoin(site_url, site_page.path), site_page.html(site_dir))
    for src, alt in built:
        if src not in shown:
            problems.append(f"figure missing from the page: {src}")
        if (problem := alt_problem(alt)) is not None:
            problems.append(f"{src}: {problem}")
    for src, image in shown.items():
        if (problem := alt_problem(image["alt"])) is not None:
            problems.append(f"{src}: {problem}")
    notebook = page.evaluate(NOTEBOOK_FIGURES)
    for name in notebook["svgs"]:
        if (problem := alt_problem(name)) is not None:
            problems.append(f"notebook figure (inline SVG): {problem}")
    for text in notebook["outputs"]:
        problems += [
            f"figure not drawn, its repr shown instead: {m[0]}"
            for m in FIGURE_AS_TEXT.finditer(text)
        ]

    # All of axe-core's rules run on the light palette at desktop size, those
    # about colour without the formulas' spans (NOT_COLOURED).
    problems += axe_violations(page, skip=tuple(COLOUR_RULES))
    problems += axe_violations(page, rules=COLOUR_RULES, exclude=NOT_COLOURED)
    problems += [
        f"formula coloured apart from its text: {m}" for m in page.evaluate(MATH_COLOUR)
    ]
    # The dark palette, switched on as a reader does (the toggle in the
    # header), changes colours only, so it gets the rules about colour.
    page.locator('label[title="Switch to dark mode"]').click()
    settle(page)
    if page.evaluate("document.body.dataset.mdColorScheme") != "slate":
        problems.append("the dark palette did not apply")
    problems += [
        f"dark palette: {line}"
        for line in axe_violations(page, rules=COLOUR_RULES, exclude=NOT_COLOURED)
    ]
    problems += [
        f"dark palette: formula coloured apart from its text: {m}"
        for m in page.evaluate(MATH_COLOUR)
    ]
    page.locator('label[title="Switch to light mode"]').click()
    settle(page)
    # The screenshot comes last: Chromium draws a full page by resizing the
    # view for a moment, which sets off the phone layouts' requests.
    page.screenshot(
        path=screenshots / "desktop" / f"{site_page.name}.jpg",
        full_page=True,
        animations="disabled",
        quality=SCREENSHOT_QUALITY,
    )
    assert not problems, report(sorted(set(problems)))


@pytest.mark.parametrize("view", ["phone"])
def test_page_at_phone_size(
    site_page: SitePage, open_page: OpenPage, screenshots: Path
) -> None:
    page = open_page(site_page.path)
    problems = [f"wider than the screen: {item}" for item in page.evaluate(OVERFLOW)]
    problems += [
        f"equation number over its formula: {tag}"
        for tag in page.evaluate(TAG_OVER_FORMULA)
    ]
    # The phone view changes the layout only, so it gets every axe-core rule
    # but those about colour, which the desktop test runs in both palettes.
    problems += axe_violations(page, skip=tuple(COLOUR_RULES))
    page.screenshot(
        path=screenshots / "phone" / f"{site_page.name}.jpg",
        full_page=True,
        animations="disabled",
        quality=SCREENSHOT_QUALITY,
    )
    assert not problems, report(problems)


def math_count(site_dir: Path, site_page: SitePage) -> int:
    return int(site_page.html(site_dir).count('class="arithmatex"'))


def wait_for_page(
    page: Page, site_url: str, site_dir: Path, site_page: SitePage, settle: Settle
) -> None:
    """Wait until the page has been swapped in by instant navigation."""
    page.wait_for_url(urljoin(site_url, site_page.path))
    page.wait_for_function(
        "n => document.querySelectorAll('.md-content .arithmatex .katex').length === n",
        arg=math_count(site_dir, site_page),
    )
    settle(page)


def test_instant_navigation(
    site_url: str,
    site_dir: Path,
    site_pages: list[SitePage],
    open_page: OpenPage,
    settle: Settle,
) -> None:
    """A click in the nav swaps the page in without a reload, math and all, and back."""
    with_math = [page for page in site_pages if math_count(site_dir, page)]
    assert len(with_math) >= 2, (
        "instant navigation is tested between two pages with math"
    )
    first, second = with_math[:2]
    page = open_page(first.path)
    page.evaluate("window.sameDocument = true")

    index = page.evaluate(
        """url => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
            .findIndex(a => a.href === url)""",
        urljoin(site_url, second.path),
    )
    assert index >= 0, f"no link to {second.path} in the nav of {first.path}"
    page.locator(".md-sidebar--primary a.md-nav__link").nth(index).click()
    wait_for_page(page, site_url, site_dir, second, settle)
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded"
    title = re.search(r"<title>(.*?)</title>", second.html(site_dir), re.DOTALL)
    assert title is not None
    assert page.title() == title[1].strip()
    problems = [
        f"{kind}: {item}"
        for kind, found in page.evaluate(MATH).items()
        for item in found
    ]

    # At phone width the formulas and code that scroll must become focusable,
    # on the page that instant navigation swapped in too (javascripts/a11y.js).
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    problems += axe_violations(page, ["scrollable-region-focusable"])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.go_back()
    wait_for_page(page, site_url, site_dir, first, settle)
    assert page.evaluate("window.sameDocument === true"), "going back reloaded the page"
    problems += [
        f"{kind}: {item}"
        for kind, found in page.evaluate(MATH).items()
        for item in found
    ]
    assert not problems, report(problems)


def test_search_finds_jacobian(
    site_url: str,
    site_dir: Path,
    site_pages: list[SitePage],
    open_page: OpenPage,
    settle: Settle,
) -> None:
    """Material's search box finds "Jacobian", on pages that have it."""
    page = open_page(site_pages[0].path)
    page.locator(".md-search__input").click()
    page.keyboard.type("Jacobian")
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    links = page.eval_on_selector_all(
        ".md-search-result__link", "links => links.map(a => a.href)"
    )
    assert links
    with_word = {
        urljoin(site_url, p.path)
        for p in site_pages
        if "jacobian" in p.html(site_dir).lower()
    }
    for link in links:
        assert link.split("#")[0].split("?")[0] in with_word, link
    assert "jacobian" in results.first.inner_text().lower()

    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(re.compile(re.escape(links[0].split("#")[0].split("?")[0])))
    settle(page)
    assert "jacobian" in page.locator(".md-content").inner_text().lower()
