// A block that scrolls sideways (code, display math, a wide table, a notebook
// cell) must be reachable by keyboard, or its hidden part cannot be scrolled
// into view (WCAG 2.1.1; axe rule scrollable-region-focusable). Material makes
// scrollable code focusable only on devices with hover; this does it on every
// device, for every block of the page that scrolls sideways, and again whenever
// a block's size changes. Material's document$ emits for every page, including
// pages reached by instant navigation.
let observer;
document$.subscribe(() => {
  observer?.disconnect();
  observer = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth) {
        target.setAttribute("tabindex", "0");
      } else {
        target.removeAttribute("tabindex");
      }
    }
  });
  for (const block of document.querySelectorAll(".md-content *")) {
    if (/auto|scroll/.test(getComputedStyle(block).overflowX)) {
      observer.observe(block);
    }
  }
});
