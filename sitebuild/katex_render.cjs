// Render TeX to HTML with KaTeX for the site build (see sitebuild/katex.py).
// Protocol: one JSON array of {tex, display} per input line; one JSON array of
// {html} or {error} per output line, in the same order.
"use strict";
const katex = require("katex");
const readline = require("node:readline");

function render({ tex, display }) {
  try {
    const html = katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      strict: "error",
      output: "htmlAndMathml",
    });
    return { html };
  } catch (err) {
    return { error: String(err.message || err) };
  }
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(render)) + "\n");
});
