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
//               {id, assets, call: "backprop.mod.function", kwargs, files: [name, ...]}:
//               call a function of the package that yields its results one at
//               a time (an explorable's Python), after fetching the files named
//               (from the manifest's sha256 list) into the working directory;
//               {stop: id}: end that call at its next result.
// Messages out: {id, status: "..."} while loading or catching up;
//               {id, results: [...], seconds, quiet} when the block has run;
//               {id, item: {...}, seconds} for each result of a call, then
//               {id, done: true, stopped, seconds};
//               {id, error: "..."} if Python could not start or a call failed.
let ready = null; // a promise of Pyodide, made on the first message
let runBlock = null;
let resetNamespace = null;
let startCall = null;
let manifest = null;
const fetched = new Set(); // the files a call has fetched already
const stopping = new Set(); // the ids of the calls asked to stop
let state = { group: null, ran: [] }; // the blocks run so far in the namespace

async function start(assets, say) {
  say("Starting Python in your browser (the first time, it downloads about 17 MB)…");
  importScripts(new URL("pyodide.js", assets).href);
  manifest = await (await fetch(new URL("manifest.json", assets))).json();
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
  startCall = pyodide.globals.get("start_call");
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

self.onmessage = async ({ data }) => {
  if (data.stop !== undefined) {
    stopping.add(data.stop);
    return;
  }
  const { id, assets, group, owner, blocks } = data;
  const say = (status) => self.postMessage({ id, status });
  const began = performance.now();
  let pyodide;
  try {
    ready ??= start(assets, say);
    pyodide = await ready;
  } catch (error) {
    ready = null;
    self.postMessage({ id, error: `Python could not start: ${error}` });
    return;
  }
  if (data.call) {
    await call(pyodide, data, began);
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

// One call of an explorable: its results are posted one by one, and between two
// of them the worker takes its messages, so that a stop arrives in time.
async function call(pyodide, { id, assets, call: name, kwargs, files }, began) {
  let results = null;
  try {
    const hashes = {};
    for (const file of files || []) {
      if (!fetched.has(file)) {
        self.postMessage({ id, status: `Fetching ${file}…` });
        const response = await fetch(new URL(file, assets));
        if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
        pyodide.FS.writeFile(file, new Uint8Array(await response.arrayBuffer()));
        fetched.add(file);
      }
      hashes[file] = manifest.sha256[file];
    }
    const args = pyodide.toPy(kwargs || {});
    const checks = pyodide.toPy(hashes);
    results = startCall(name, args, checks);
    args.destroy();
    checks.destroy();
    while (!stopping.has(id)) {
      const step = results.next();
      if (step.done) break;
      const item = step.value.toJs({ dict_converter: Object.fromEntries });
      step.value.destroy();
      self.postMessage({ id, item, seconds: (performance.now() - began) / 1000 });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    self.postMessage({
      id,
      done: true,
      stopped: stopping.has(id),
      seconds: (performance.now() - began) / 1000,
    });
  } catch (error) {
    self.postMessage({ id, error: `${error}`.split("\n").filter(Boolean).at(-1) });
  } finally {
    results?.destroy();
    stopping.delete(id);
  }
}
