// The loader of the explorable figures (sitebuild/explorables.py writes what they read).
//
// An explorable is a block <div class="explorable" data-explorable="NAME"
// data-data="explorables/NAME.json"> placed after the static figure it extends.
// Nothing of it is fetched with the page. When such a block comes within a
// screen of the viewport, this script loads, once per page, the drawing
// library (Observable Plot and d3, self-hosted under assets/explorables/), the
// block's numbers (data-data, a path from the site's root, if given) and the
// block's own script, javascripts/explorables/NAME.js, which registers itself
// with window.Explorables.define("NAME", mount). Then it calls
// mount(element, { Plot, d3, data }); a block that draws no chart says
// data-library="none" and gets no library. The numbers were computed by the package
// when the site was built; a mount function looks them up and draws them.
//
// The helpers below make the controls every explorable needs the same way: a
// native input with a visible label, and an aria-live line that announces the
// value. element.dataset.state is "loading", "ready" or "failed" (the browser
// tests wait for "ready"), and dataset.readyMs how long the loading took.
(() => {
  const script = document.currentScript;
  const ROOT = new URL("../", script.src); // the site's root
  const LIBRARY = ["assets/explorables/d3.min.js", "assets/explorables/plot.umd.min.js"];
  const mounts = new Map(); // name -> mount function
  const waiting = new Map(); // name -> resolve functions waiting for define()
  const scripts = new Map(); // url -> promise of its loading
  let library = null;

  function load(path, { ordered = false } = {}) {
    const url = new URL(path, ROOT).href;
    if (!scripts.has(url)) {
      scripts.set(
        url,
        new Promise((resolve, reject) => {
          const tag = document.createElement("script");
          tag.src = url;
          tag.async = !ordered;
          tag.onload = resolve;
          tag.onerror = () => reject(new Error(`could not load ${url}`));
          document.head.append(tag);
        }),
      );
    }
    return scripts.get(url);
  }

  function loadLibrary() {
    // Plot's UMD build finds d3 as a global: both download at once, and run in
    // the order inserted (script elements made by a script run in order when
    // async is off), d3 first.
    library ??= Promise.all(LIBRARY.map((path) => load(path, { ordered: true }))).then(() => ({
      Plot: window.Plot,
      d3: window.d3,
    }));
    return library;
  }

  function mountOf(name) {
    if (mounts.has(name)) return Promise.resolve(mounts.get(name));
    const defined = new Promise((resolve) => {
      waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
    });
    return load(`javascripts/explorables/${name}.js`).then(() => defined);
  }

  async function fetchData(path) {
    if (!path) return null;
    const response = await fetch(new URL(path, ROOT));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function start(element) {
    if (element.dataset.state) return;
    element.dataset.state = "loading";
    const begun = performance.now();
    const status = document.createElement("p");
    status.className = "explorable__status";
    status.textContent = "Loading the interactive figure…";
    element.append(status);
    try {
      const [{ Plot, d3 }, data, mount] = await Promise.all([
        element.dataset.library === "none" ? {} : loadLibrary(),
        fetchData(element.dataset.data),
        mountOf(element.dataset.explorable),
      ]);
      status.remove();
      await mount(element, { Plot, d3, data });
      // From coming near the viewport to drawn and answering input.
      element.dataset.readyMs = String(Math.round(performance.now() - begun));
      element.dataset.state = "ready";
    } catch (error) {
      element.dataset.state = "failed";
      status.textContent = `The interactive figure could not be loaded (${error.message}); the figure above shows the page's values.`;
      console.error(error);
    }
  }

  let observer = null;
  function scan() {
    observer?.disconnect();
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            start(entry.target);
          }
        }
      },
      { rootMargin: "100% 0px" }, // a screen above and below
    );
    for (const element of document.querySelectorAll("[data-explorable]")) {
      observer.observe(element);
    }
  }

  // -- helpers for the explorables' scripts ------------------------------------

  let serial = 0;
  function uid(prefix) {
    serial += 1;
    return `${prefix}-${serial}`;
  }

  // A labelled control row: <label for=…>, the input, and the value shown.
  function row(labelText, input, shown) {
    const wrap = document.createElement("div");
    wrap.className = "explorable__control";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = labelText;
    wrap.append(label, input);
    if (shown) wrap.append(shown);
    return wrap;
  }

  // A range input over the indices of `values`; `format(value)` is what is shown.
  // onChange(index) runs on every input event.
  function range({ label, values, index = 0, format = String, onChange, name }) {
    const input = document.createElement("input");
    input.type = "range";
    input.id = uid("explorable-range");
    input.min = "0";
    input.max = String(values.length - 1);
    input.step = "1";
    input.value = String(index);
    if (name) input.name = name;
    const shown = document.createElement("output");
    shown.htmlFor = input.id;
    const update = () => {
      const value = values[Number(input.value)];
      shown.textContent = format(value);
      input.setAttribute("aria-valuetext", format(value));
    };
    update();
    input.addEventListener("input", () => {
      update();
      onChange(Number(input.value));
    });
    return { element: row(label, input, shown), input };
  }

  // A <select> of `options` ({value, text}); onChange(value).
  function select({ label, options, value, onChange, name }) {
    const input = document.createElement("select");
    input.id = uid("explorable-select");
    if (name) input.name = name;
    for (const option of options) {
      const tag = document.createElement("option");
      tag.value = option.value;
      tag.textContent = option.text;
      input.append(tag);
    }
    if (value !== undefined) input.value = value;
    input.addEventListener("change", () => onChange(input.value));
    return { element: row(label, input), input };
  }

  function button(text, onClick, name) {
    const tag = document.createElement("button");
    tag.type = "button";
    tag.className = "md-button explorable__button";
    tag.textContent = text;
    if (name) tag.name = name;
    tag.addEventListener("click", onClick);
    return tag;
  }

  // The line a screen reader announces after every change.
  function live() {
    const tag = document.createElement("p");
    tag.className = "explorable__live";
    tag.setAttribute("aria-live", "polite");
    tag.setAttribute("role", "status");
    return tag;
  }

  // The palette of the current colour scheme (stylesheets/explorables.css).
  function colors(element) {
    const style = getComputedStyle(element);
    const get = (name) => style.getPropertyValue(`--explorable-${name}`).trim();
    return {
      ink: get("ink"),
      muted: get("muted"),
      forward: get("forward"),
      reverse: get("reverse"),
      highlight: get("highlight"),
      background: get("background"),
    };
  }

  // Calls draw() again when the reader switches between light and dark.
  function onScheme(draw) {
    const watch = new MutationObserver(draw);
    watch.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    return watch;
  }

  const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // The width to draw at: the block's own, so a phone gets a narrow figure.
  const width = (element) => Math.max(280, Math.min(720, element.clientWidth));

  window.Explorables = {
    define(name, mount) {
      mounts.set(name, mount);
      for (const resolve of waiting.get(name) ?? []) resolve(mount);
      waiting.delete(name);
    },
    range,
    select,
    button,
    live,
    colors,
    onScheme,
    reducedMotion,
    width,
  };

  if (window.document$) {
    window.document$.subscribe(scan); // Material: every page, also after instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
