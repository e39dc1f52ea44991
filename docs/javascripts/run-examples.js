// Run, Edit, Reset and Stop for every ```pycon example of a page, in the reader's browser.
//
// Pressing Run starts a Web Worker (run-examples-worker.js) that loads Pyodide,
// NumPy and the backprop package from the site's own pyodide/ folder: nothing of
// it is fetched before the first press. The worker runs the page's earlier
// examples quietly in one namespace, then the chosen one, as the tests do; the
// output appears under the block, with every line that differs from the
// printed output, and every exception, marked. Stop ends a run by ending the
// worker. Material's document$ emits for every page, also after instant
// navigation, so each page gets its buttons.
(() => {
  const script = document.currentScript;
  const ASSETS = new URL("../pyodide/", script.src).href;
  const WORKER = new URL("run-examples-worker.js", script.src).href;

  // Examples that need a package the in-browser Python does not load. The
  // browser replay test (tests/browser/test_run_examples.py) checks that every
  // example that fails in the browser for this reason is marked.
  const LOCAL_ONLY = [
    {
      uses: /\bsklearn\b/,
      reason:
        "it needs scikit-learn, which the in-browser Python does not load " +
        "(scikit-learn with SciPy and OpenBLAS would be 26 MB more).",
    },
    {
      uses: /\bbackprop\.figures\b|\bmatplotlib\b/,
      reason:
        "it imports from backprop.figures, which needs matplotlib; the in-browser " +
        "Python does not load it (matplotlib and its dependencies would be 9.9 MB more).",
    },
    {
      uses: /\bbackprop\.compiled\b|\bnumba\b/,
      reason:
        "it runs the compiled step, which needs numba (the extra backprop-checked[compiled]); " +
        "numba compiles to machine code and does not run in the in-browser Python.",
    },
  ];

  let worker = null;
  let running = null; // {id, block} while a block runs
  let nextId = 0;

  // Names one line of a session binds at the top level: `import a`,
  // `from m import a, b`, `a, b = ...`, `def a`, `class a`.
  function boundNames(code) {
    let found;
    let names = [];
    if ((found = code.match(/^from\s+\S+\s+import\s+\(?([\w\s,]+)\)?/))) {
      names = found[1].split(",").map((n) => n.trim().split(/\s+as\s+/).at(-1));
    } else if ((found = code.match(/^import\s+([\w.\s,]+)/))) {
      names = found[1].split(",").map((n) => n.trim().split(/\s+as\s+/).at(-1).split(".")[0]);
    } else if ((found = code.match(/^(?:def|class)\s+(\w+)/))) {
      names = [found[1]];
    } else if ((found = code.match(/^([\w\s,]+?)\s*=[^=]/))) {
      names = found[1].split(",").map((n) => n.trim());
    }
    return names.filter((n) => /^\w+$/.test(n));
  }

  // The blocks of a page that run in one namespace: all pycon blocks of a
  // chapter page; on the API reference, those of one documented object.
  function groups(root) {
    const found = new Map();
    for (const highlight of root.querySelectorAll("div.language-pycon.highlight")) {
      const code = highlight.querySelector("pre > code");
      if (!code) continue;
      const owner = highlight.closest(".doc-object");
      const key = owner ? owner.querySelector(".doc-heading")?.id || "" : "";
      if (!found.has(key)) found.set(key, { owner: key || null, blocks: [] });
      found.get(key).blocks.push({ highlight, code, original: code.textContent });
    }
    return [...found.values()];
  }

  // Marks the blocks that cannot run here: those that use what LOCAL_ONLY
  // names, and those that use a name bound from it by an earlier line.
  function localOnly(group) {
    const tainted = new Map(); // name -> reason
    // A docstring of a module that needs such a package (the API reference).
    const owner = group.owner && LOCAL_ONLY.find(({ uses }) => uses.test(group.owner));
    for (const block of group.blocks) {
      if (owner) block.localOnly = owner.reason;
      for (const line of block.original.split("\n")) {
        if (!line.startsWith(">>> ") && !line.startsWith("... ")) continue;
        const code = line.slice(4);
        let reason = LOCAL_ONLY.find(({ uses }) => uses.test(code))?.reason;
        for (const [name, why] of tainted) {
          if (reason) break;
          if (new RegExp(`\\b${name}\\b`).test(code)) {
            reason = why.startsWith("it uses ") ? why : `it uses ${name}, which ${why.slice(3)}`;
          }
        }
        if (!reason) continue;
        block.localOnly ??= reason;
        if (line.startsWith(">>> ")) {
          for (const name of boundNames(code)) tainted.set(name, reason);
        }
      }
    }
  }

  function button(label, name, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "run-examples__button";
    element.textContent = label;
    element.setAttribute("aria-label", name);
    element.addEventListener("click", action);
    return element;
  }

  function text(block) {
    return block.editor && !block.editor.hidden ? block.editor.value : block.original;
  }

  // True where a printed line matches an expected one, as doctest compares them
  // here: whitespace runs equal, "..." stands for anything.
  function lineMatches(got, want) {
    if (want === undefined) return false;
    const squash = (s) => s.trim().replace(/\s+/g, " ");
    const pattern = squash(want)
      .split("...")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${pattern}$`).test(squash(got));
  }

  // A marked run of text: a tinted background and a word, not colour alone.
  function marked(kind, content) {
    const mark = document.createElement("mark");
    mark.className = `run-examples__${kind}`;
    const label = document.createElement("span");
    label.className = "run-examples__label";
    label.textContent = `${kind}: `;
    mark.append(label, content);
    return mark;
  }

  // While a run goes on, its status counts the seconds, so that a long run
  // shows that it is still running.
  let ticker = null;

  function render(block, message) {
    clearInterval(ticker);
    const output = block.output;
    output.replaceChildren();
    output.hidden = false;
    const status = document.createElement("p");
    status.className = "run-examples__status";
    if (message.status || message.error) {
      status.textContent = message.status || message.error;
      if (message.error) status.classList.add("run-examples__status--failed");
      output.append(status);
      if (message.status && running?.block === block) {
        // The count is not read out each second: screen readers hear the status.
        const clock = document.createElement("span");
        clock.className = "run-examples__clock";
        clock.setAttribute("aria-hidden", "true");
        status.append(" ", clock);
        const { since } = running; // counted from the click
        const tick = () => {
          clock.textContent = `${Math.round((performance.now() - since) / 1000)} s`;
        };
        tick();
        ticker = setInterval(tick, 1000);
      }
      return;
    }
    const { results, seconds, total, quiet } = message;
    const failed = results.filter((r) => !r.ok);
    // Why this block fails here, if it is known: marked on the page beforehand,
    // or found by the runner (a module the in-browser Python does not load).
    const local = failed.length
      ? block.localOnly || failed.find((r) => r.local_only)?.local_only
      : null;
    const pre = document.createElement("pre");
    pre.className = "run-examples__output";
    pre.tabIndex = 0;
    pre.setAttribute("role", "group");
    pre.setAttribute("aria-label", `Output of example ${block.number}`);
    for (const result of results) {
      if (!result.got && result.ok) continue;
      const head = document.createElement("span");
      head.className = "run-examples__source";
      head.textContent = ">>> " + result.source.split("\n")[0] + "\n";
      pre.append(head);
      if (result.ok) {
        pre.append(result.got);
        continue;
      }
      const want = result.want.replace(/\n$/, "").split("\n");
      const printed = result.printed.replace(/\n$/, "");
      for (const [i, line] of (printed ? printed.split("\n") : []).entries()) {
        if (lineMatches(line, want[i])) {
          pre.append(line + "\n");
        } else {
          pre.append(marked("differs", line + "\n"));
        }
      }
      if (result.exception) {
        pre.append(marked("exception", "Traceback (most recent call last):\n  ...\n" + result.exception));
      }
      if (result.want) {
        const expected = document.createElement("span");
        expected.className = "run-examples__expected";
        expected.textContent = "expected:\n" + result.want;
        pre.append(expected);
      }
    }
    const count = `${results.length} example${results.length === 1 ? "" : "s"}`;
    const after = quiet ? `, after the ${quiet} above it` : "";
    const time = `${seconds.toFixed(2)} s${total - seconds > 0.5 ? ` (${total.toFixed(1)} s from the click)` : ""}`;
    const ran = `Ran ${count} in ${time}${after}`;
    if (local) {
      status.textContent = `${ran}. This example runs locally only: ${local}`;
      status.classList.add("run-examples__status--local");
    } else if (failed.length) {
      status.textContent = `${ran}: ${failed.length} differ from the printed output (marked).`;
      status.classList.add("run-examples__status--failed");
    } else {
      status.textContent = `${ran}: the output matches the page.`;
    }
    output.append(status);
    if (pre.childNodes.length) output.append(pre);
    block.container.dataset.run = failed.length ? (local ? "local" : "differs") : "matches";
    block.container.runResults = results; // for the browser tests
  }

  function setBusy(block) {
    for (const other of document.querySelectorAll(".run-examples__run")) {
      other.disabled = running !== null;
    }
    if (block) block.stop.hidden = running === null || running.block !== block;
  }

  function stop() {
    if (!running) return;
    worker?.terminate();
    worker = null;
    const { block } = running;
    running = null;
    render(block, { status: "Stopped. The next Run starts Python afresh." });
    setBusy(block);
    block.run.focus();
  }

  function run(group, index) {
    if (running) return;
    const block = group.blocks[index];
    if (!worker) {
      worker = new Worker(WORKER);
      worker.onmessage = ({ data }) => {
        if (!running || data.id !== running.id) return;
        const current = running.block;
        if (!data.status) {
          running = null;
          setBusy(current);
          current.container.removeAttribute("aria-busy");
        }
        render(current, data);
      };
    }
    running = { id: ++nextId, block, since: performance.now() };
    block.container.setAttribute("aria-busy", "true");
    setBusy(block);
    render(block, { status: "Starting…" });
    worker.postMessage({
      id: running.id,
      assets: ASSETS,
      group: location.pathname + "#" + (group.owner || ""),
      owner: group.owner,
      // The blocks above as the page prints them (as the tests run them), then
      // this one as it stands, edited or not.
      blocks: [...group.blocks.slice(0, index).map((b) => b.original), text(block)],
    });
  }

  function edit(block) {
    if (!block.editor) {
      const editor = document.createElement("textarea");
      editor.className = "run-examples__editor";
      editor.spellcheck = false;
      editor.wrap = "off";
      editor.setAttribute("aria-label", `Example ${block.number}, editable`);
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          block.run.click();
        }
      });
      editor.hidden = true;
      block.highlight.after(editor);
      block.editor = editor;
    }
    if (block.editor.hidden) block.editor.value = block.original;
    block.editor.rows = Math.min(30, block.original.split("\n").length + 1);
    block.editor.hidden = false;
    block.highlight.hidden = true;
    block.editButton.disabled = true;
    block.reset.disabled = false;
    block.editor.focus();
  }

  function reset(block) {
    if (running?.block === block) stop();
    if (block.editor) block.editor.hidden = true;
    block.highlight.hidden = false;
    block.output.hidden = true;
    block.output.replaceChildren();
    delete block.container.dataset.run;
    block.editButton.disabled = false;
    block.reset.disabled = true;
    block.editButton.focus();
  }

  function enhance(group) {
    localOnly(group);
    group.blocks.forEach((block, index) => {
      block.number = index + 1;
      const container = document.createElement("div");
      container.className = "run-examples";
      block.highlight.before(container);
      container.append(block.highlight);
      block.container = container;
      const bar = document.createElement("div");
      bar.className = "run-examples__bar";
      bar.setAttribute("role", "group");
      bar.setAttribute("aria-label", `Example ${block.number}`);
      block.output = document.createElement("div");
      block.output.className = "run-examples__result";
      block.output.setAttribute("role", "status");
      block.output.hidden = true;
      block.run = button("Run", `Run example ${block.number} in your browser`, () => run(group, index));
      block.run.classList.add("run-examples__run");
      block.editButton = button("Edit", `Edit example ${block.number}`, () => edit(block));
      block.reset = button("Reset", `Reset example ${block.number}`, () => reset(block));
      block.reset.disabled = true;
      block.stop = button("Stop", `Stop example ${block.number}`, stop);
      block.stop.hidden = true;
      bar.append(block.run, block.editButton, block.reset, block.stop);
      container.append(bar);
      if (block.localOnly) {
        const note = document.createElement("p");
        note.className = "run-examples__note";
        note.textContent = `Runs locally only: ${block.localOnly}`;
        container.dataset.localOnly = "";
        container.append(note);
      }
      container.append(block.output);
    });
  }

  // The page's Python for the explorables that run the package on a click (the
  // lab, the performance page): PagePython.call("backprop.mod.function",
  // kwargs, {files, onItem, onStatus}) starts a worker of their own (the first
  // call loads Python), calls the function there and hands each of its results
  // to onItem as it comes. It returns {stop, done}: stop() ends the call at its
  // next result; done is a promise of {stopped, seconds} or of an error.
  let explorableWorker = null;
  let calls = 0;
  const handlers = new Map(); // id -> message handler
  window.PagePython = {
    call(name, kwargs, { files = [], onItem = () => {}, onStatus = () => {} } = {}) {
      if (!explorableWorker) {
        explorableWorker = new Worker(WORKER);
        explorableWorker.onmessage = ({ data }) => handlers.get(data.id)?.(data);
      }
      const id = `call-${++calls}`;
      let stopped = false;
      const done = new Promise((resolve, reject) => {
        handlers.set(id, (data) => {
          if (data.status) onStatus(data.status);
          else if (data.item) {
            if (!stopped) onItem(data.item, data.seconds);
          } else {
            handlers.delete(id);
            if (data.error) reject(new Error(data.error));
            else resolve({ stopped: data.stopped || stopped, seconds: data.seconds });
          }
        });
      });
      explorableWorker.postMessage({ id, assets: ASSETS, call: name, kwargs, files });
      const call = {
        done,
        stop() {
          stopped = true;
          explorableWorker.postMessage({ stop: id });
        },
      };
      done.finally(() => active.delete(call)).catch(() => {});
      active.add(call);
      return call;
    },
  };
  const active = new Set(); // the calls under way, stopped when the page changes

  document$.subscribe(() => {
    if (running) stop(); // a run of the page left behind
    for (const call of active) call.stop(); // and an explorable's
    const content = document.querySelector(".md-content");
    if (!content) return;
    for (const group of groups(content)) enhance(group);
  });
})();
