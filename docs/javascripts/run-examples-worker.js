// The Web Worker behind the Run buttons (docs/javascripts/run-examples.js):
// Python (Pyodide) runs here, so the page stays responsive, and Stop ends a run
// by ending this worker. Everything is fetched from the site's own pyodide/
// folder, whose address the page passes in the first message: the runtime,
// NumPy's wheel (Pyodide checks its sha256 against its lock file), the backprop
// wheel and the files the examples read. Nothing is fetched before that message.
//
// Messages in:  {id, assets, group, owner, blocks: [text, ...]}: run the last
//               block of `blocks` in the namespace of `group` (a page), after the
//               earlier ones, unless exactly those already ran there; `owner`
//               names the documented object whose module's namespace a
//               docstring's examples start from (the API reference), else null.
// Messages out: {id, status: "..."} while loading or catching up;
//               {id, results: [...], seconds, quiet} when the block has run;
//               {id, error: "..."} if Python could not start.
let ready = null; // a promise of Pyodide, made on the first message
let runBlock = null;
let resetNamespace = null;
let state = { group: null, ran: [] }; // the blocks run so far in the namespace

async function start(assets, say) {
  say("Starting Python in your browser (the first time, it downloads about 17 MB)…");
  importScripts(new URL("pyodide.js", assets).href);
  const manifest = await (await fetch(new URL("manifest.json", assets))).json();
  const pyodide = await loadPyodide({ indexURL: assets, stdout: () => {}, stderr: () => {} });
  say(`Loading NumPy ${manifest.versions.numpy} and backprop…`);
  await pyodide.loadPackage([...manifest.packages, new URL(manifest.backprop, assets).href], {
    messageCallback: () => {},
    errorCallback: (message) => say(message),
  });
  // The examples run with the repository as the working directory, as in the
  // tests, where they read benchmark records by relative path.
  const home = "/home/pyodide";
  const data = await (await fetch(new URL(manifest.data, assets))).arrayBuffer();
  pyodide.unpackArchive(data, "zip", { extractDir: home });
  pyodide.FS.chdir(home);
  const runner = await (await fetch(new URL("examples_runner.py", self.location.href))).text();
  pyodide.runPython(runner);
  runBlock = pyodide.globals.get("run_block");
  resetNamespace = pyodide.globals.get("reset");
  return pyodide;
}

function sameStart(ran, blocks) {
  return ran.length === blocks.length - 1 && ran.every((text, i) => text === blocks[i]);
}

function run(text, name) {
  const proxy = runBlock(text, name);
  const results = proxy.toJs({ dict_converter: Object.fromEntries });
  proxy.destroy();
  return results;
}

self.onmessage = async ({ data: { id, assets, group, owner, blocks } }) => {
  const say = (status) => self.postMessage({ id, status });
  const began = performance.now();
  try {
    ready ??= start(assets, say);
    await ready;
  } catch (error) {
    ready = null;
    self.postMessage({ id, error: `Python could not start: ${error}` });
    return;
  }
  try {
    report(id, group, owner, blocks, began);
  } catch (error) {
    state = { group: null, ran: [] };
    self.postMessage({ id, error: `The run failed inside the page's runner: ${error}` });
  }
};

function report(id, group, owner, blocks, began) {
  const say = (status) => self.postMessage({ id, status });
  let quiet = 0;
  if (!(state.group === group && sameStart(state.ran, blocks))) {
    resetNamespace(owner ?? null);
    state = { group, ran: [] };
    const earlier = blocks.slice(0, -1);
    if (earlier.length) {
      say(`Running the ${earlier.length} example${earlier.length > 1 ? "s" : ""} above it first…`);
    }
    earlier.forEach((text, i) => run(text, `example ${i + 1}`));
    quiet = earlier.length;
  }
  say("Running…");
  const t0 = performance.now();
  const results = run(blocks.at(-1), `example ${blocks.length}`);
  const seconds = (performance.now() - t0) / 1000;
  state.ran = blocks.slice();
  self.postMessage({ id, results, seconds, total: (performance.now() - began) / 1000, quiet });
}
