"""Every figure's text is readable on a phone: no text of any figure renders below 9 CSS px.

Each page of the nav is opened at 390 px wide, the phone view of ``conftest.VIEWS``.
Every figure in the page's content is measured as it is shown there: each ``<img>``
(through ``currentSrc``, so a ``<picture>`` is measured by the source the phone
gets, and a notebook's ``data:`` SVG too) and each inline ``<svg>``. An image's SVG
is fetched and drawn inline, hidden, at the width the ``<img>`` has on the page,
so that the browser itself maps every glyph to CSS pixels.

Matplotlib writes text either as ``<text>`` or (the site's style,
``svg.fonttype: path``) as ``<use>`` of glyph outlines whose em is 100 units of
their coordinate system, scaled by the glyph's own transform (0.7 for sub- and
superscripts). A text's size is that of its largest glyph, its body: sub- and
superscripts are smaller by design, as in the page's own KaTeX. The figures are
not a fixed list: whatever a page shows is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# The smallest text a figure may show on a phone, in CSS px (the page's body
# text is 16 px, KaTeX's subscripts about 11 px).
MIN_PX = 9.0

# For each figure of the page's content: its name, and each text with its
# rendered size in CSS px. Glyph outlines are <use> of an id with a dash
# ("DejaVuSans-5a", "Cmsy10-30"); markers and clip paths have none.
MEASURE = """async () => {
  const scale = (m) => Math.hypot(m.a, m.b);
  const measure = (svg) => {
    const sizes = new Map();
    const add = (key, px) => sizes.set(key, Math.max(sizes.get(key) ?? 0, px));
    const label = (el) => {
      for (let node = el; node && node !== svg; node = node.parentNode) {
        for (let prev = node.previousSibling; prev; prev = prev.previousSibling) {
          if (prev.nodeType === Node.COMMENT_NODE) return prev.data.trim();
          if (prev.nodeType === Node.ELEMENT_NODE) break;
        }
      }
      return el.textContent.trim() || "(unnamed text)";
    };
    for (const use of svg.querySelectorAll("use")) {
      const href = use.getAttribute("href") || use.getAttribute("xlink:href") || "";
      if (!/^#[A-Za-z][\\w.]*-/.test(href)) continue;
      const group = use.closest("g[transform]") || use.parentNode;
      add(group, 100 * scale(use.getScreenCTM()));
    }
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      add(text, size * scale(text.getScreenCTM()));
    }
    return [...sizes].map(([el, px]) => ({ text: label(el), px }));
  };
  const content = document.querySelector(".md-content") || document.body;
  const figures = [];
  const images = [...content.querySelectorAll("img")];
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  for (const img of images) {
    const source = img.currentSrc || img.src;
    const name = source.startsWith("data:")
      ? `${img.getAttribute("alt")?.slice(0, 60)} (inline data)` : source;
    const width = img.getBoundingClientRect().width;
    if (!img.checkVisibility() || width === 0) continue;
    const body = await (await fetch(source)).text();
    const svg = new DOMParser().parseFromString(body, "image/svg+xml").documentElement;
    if (svg.nodeName !== "svg") {
      figures.push({ name, error: "not an SVG: its text cannot be measured" });
      continue;
    }
    const box = document.createElement("div");
    box.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;"
      + `width:${width}px`;
    document.body.append(box);
    const shown = document.importNode(svg, true);
    shown.setAttribute("width", `${width}px`);
    shown.removeAttribute("height");
    box.append(shown);
    figures.push({ name, width, texts: measure(shown) });
    box.remove();
  }
  for (const svg of content.querySelectorAll("svg")) {
    if (svg.parentElement.closest("svg") || !svg.checkVisibility()) continue;
    const texts = measure(svg);
    if (texts.length) {
      const name = svg.getAttribute("aria-label") || svg.id || "inline svg";
      figures.push({ name, width: svg.getBoundingClientRect().width, texts });
    }
  }
  return figures;
}"""


def smallest(figure: dict[str, Any]) -> tuple[float, str]:
    """The smallest text of a figure: its size in CSS px and what it says."""
    return min((t["px"], t["text"]) for t in figure["texts"])


@pytest.mark.parametrize("view", ["phone"])
def test_figure_text_is_readable_on_a_phone(
    site_page: Any, open_page: Callable[[str], Page]
) -> None:
    figures = open_page(site_page.path).evaluate(MEASURE)
    problems = [f"{f['name']}: {f['error']}" for f in figures if "error" in f]
    for figure in figures:
        if "error" in figure or not figure["texts"]:
            continue
        px, text = smallest(figure)
        small = [t for t in figure["texts"] if t["px"] < MIN_PX]
        print(f"{figure['name']}: smallest text {px:.2f} px ({text!r})")
        if small:
            problems.append(
                f"{figure['name']} (shown {figure['width']:.0f} px wide):"
                f" {len(small)} of its {len(figure['texts'])} texts below {MIN_PX} px,"
                f" the smallest {text!r} at {px:.1f} px"
            )
    assert not problems, "\n".join(["", *problems])
