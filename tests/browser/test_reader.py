"""What a reader on a phone sees: blocks that scroll say so, and nothing floats over the text.

At 390 px wide a code block or a formula wider than the column scrolls sideways,
and a phone hides scroll bars, so each such block shows a shadow on every edge
that hides more of it (docs/stylesheets/extra.css). These tests look at the
pixels: the edge of a block darkens while there is more beyond it and clears
once the block is scrolled to that edge. The chain equations, which a reader
meets before any other formula of their pages, fit without scrolling. And
Material's back-to-top button, which shows when a reader scrolls up, covers no
text of the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

OpenPage = Callable[[str], Page]

# The first block of each kind that scrolls sideways on the page.
FIRST_WIDER = """(selector) => {
  const blocks = [...document.querySelectorAll(selector)];
  return blocks.findIndex((block) => block.scrollWidth > block.clientWidth + 1);
}"""


def edges(block: Locator) -> tuple[float, float]:
    """Brightness (0-255) of the left and the right edge of `block`, in its top rows.

    The top rows are padding or margin, with no text: what shows there is the
    block's background, and the shadow if there is one.
    """
    shot = Image.open(io.BytesIO(block.screenshot())).convert("L")
    width, height = shot.size
    rows = range(1, max(2, height // 40))
    left = sum(shot.getpixel((1, y)) for y in rows) / len(rows)  # type: ignore[misc]
    right = sum(shot.getpixel((width - 2, y)) for y in rows) / len(rows)  # type: ignore[misc]
    return float(left), float(right)


@pytest.mark.parametrize("view", ["phone"])
@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("network/", ".md-content pre > code"),
        ("backprop/", ".md-content div.arithmatex"),
    ],
)
def test_a_block_that_scrolls_shows_a_shadow_where_more_is_hidden(
    open_page: OpenPage, view: str, path: str, selector: str
) -> None:
    page = open_page(path)
    index = page.evaluate(FIRST_WIDER, selector)
    assert index >= 0, f"no {selector} on {path} is wider than a phone"
    block = page.locator(selector).nth(index)
    block.scroll_into_view_if_needed()
    at_start = edges(block)
    block.evaluate("(b) => { b.scrollLeft = b.scrollWidth; }")
    page.wait_for_timeout(100)
    at_end = edges(block)
    # More to the right at the start: the right edge is darker than at the end.
    assert at_start[1] < at_end[1] - 8, (at_start, at_end)
    # More to the left at the end: the left edge is darker than at the start.
    assert at_end[0] < at_start[0] - 8, (at_start, at_end)


@pytest.mark.parametrize("view", ["phone"])
@pytest.mark.parametrize("path", ["backprop/", "calculus/"])
def test_the_chain_of_a_layer_fits_a_phone(
    open_page: OpenPage, view: str, path: str
) -> None:
    page = open_page(path)
    chains = page.evaluate(
        """() => [...document.querySelectorAll('.md-content div.arithmatex')]
          .filter((block) => (block.textContent.match(/⟶/g) || []).length >= 4)
          .map((block) => [block.scrollWidth, block.clientWidth])"""
    )
    assert chains, f"no chain W -> ... -> C on {path}"
    for wide, shown in chains:
        assert wide <= shown + 1, f"a chain {wide} px wide in a column of {shown} px"


# The text of the page's content that a box covers: every line box of a text
# node inside .md-content that intersects the box.
COVERED = """(box) => {
  const covered = [];
  const content = document.querySelector(".md-content");
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width && r.right > box.left && r.left < box.right
          && r.bottom > box.top && r.top < box.bottom) {
        covered.push(node.textContent.trim().slice(0, 40));
        break;
      }
    }
  }
  return covered;
}"""


@pytest.mark.parametrize("view", ["phone"])
def test_back_to_top_covers_no_text_on_a_phone(open_page: OpenPage, view: str) -> None:
    page = open_page("performance/")
    # Down the page, then a little back up: Material shows its button then.
    for y in (4000, 4400, 4000, 3800):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    button = page.locator(".md-top")
    if not button.is_visible():
        return  # left out on a phone (docs/stylesheets/extra.css)
    box = button.bounding_box()
    assert box is not None
    rect = {
        "left": box["x"],
        "right": box["x"] + box["width"],
        "top": box["y"],
        "bottom": box["y"] + box["height"],
    }
    assert not page.evaluate(COVERED, rect), "the back-to-top button covers text"


def test_back_to_top_still_shows_on_a_desktop(open_page: OpenPage) -> None:
    """Only the phone loses the button: on a desktop Material shows it as before."""
    page = open_page("performance/")
    for y in (4000, 4400, 4000, 3800):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    assert page.locator(".md-top").is_visible()
