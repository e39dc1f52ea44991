// A block that scrolls sideways (code, display math, a wide table, a notebook
// cell) must be reachable by keyboard, or its hidden part cannot be scrolled
// into view (WCAG 2.1.1; axe rule scrollable-region-focusable). Material makes
// scrollable code focusable only on devices with hover; this does it on every
// device, for every block of the page that scrolls sideways, and again whenever
// a block's size changes. Material's document$ emits for every page, including
// pages reached by instant navigation.
// Each block is checked at once, then again on every resize; when the first check
// of a page is done, <body data-scrollables="ready"> tells the browser tests.
let observer;
function mark(block) {
  if (block.scrollWidth > block.clientWidth) {
    block.setAttribute("tabindex", "0");
  } else {
    block.removeAttribute("tabindex");
  }
}
document$.subscribe(() => {
  delete document.body.dataset.scrollables;
  observer?.disconnect();
  observer = new ResizeObserver((entries) => entries.forEach(({ target }) => mark(target)));
  const blocks = [...document.querySelectorAll(".md-content *")].filter((block) =>
    /auto|scroll/.test(getComputedStyle(block).overflowX),
  );
  for (const block of blocks) {
    mark(block); // measuring lays the page out, which starts loading its fonts
    observer.observe(block);
  }
  // The math fonts change the widths once they arrive: measure again then.
  document.fonts.ready.then(() => {
    blocks.forEach(mark);
    document.body.dataset.scrollables = "ready";
  });
});
