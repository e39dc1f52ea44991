// Performance, on the reader's machine: a click times a forward pass and a
// backprop call of the package in the page's Python, network after network of
// growing P (backprop.performance.gradient_costs, through PagePython in
// run-examples.js), and this file plots what each network gives as it comes:
// central differences over backpropagation, measured, beside the package's
// count. Nothing is fetched or run before the click. Stop ends it after the
// network under way.
(() => {
  // The hidden-layer widths of the networks [784, h, 10] the reader may time,
  // the same as the static figure's up to 3,000.
  const WIDTHS = [1, 3, 10, 30, 100, 300, 1000, 3000];
  const DEFAULT_LARGEST = 1000;

  const number = (x) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });

  function mount(element, { Plot }) {
    element.classList.add("page-python");
    const form = document.createElement("form");
    form.className = "page-python__controls";
    form.setAttribute("aria-label", "Timing settings");
    const label = document.createElement("label");
    label.className = "page-python__field";
    const largest = document.createElement("select");
    largest.name = "largest";
    for (const h of WIDTHS.slice(3)) {
      const option = new Option(`[784, ${number(h)}, 10]`, h, false, h === DEFAULT_LARGEST);
      largest.append(option);
    }
    label.append("Largest network", largest);
    form.append(label);
    const go = document.createElement("button");
    go.type = "submit";
    go.className = "run-examples__button page-python__go";
    go.textContent = "Time it in your browser";
    const stop = document.createElement("button");
    stop.type = "button";
    stop.className = "run-examples__button page-python__stop";
    stop.textContent = "Stop";
    stop.disabled = true;
    const buttons = document.createElement("div");
    buttons.className = "page-python__buttons";
    buttons.append(go, stop);
    form.append(buttons);

    const progress = document.createElement("progress");
    progress.className = "page-python__progress";
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute("aria-label", "Networks timed");
    const status = document.createElement("p");
    status.className = "page-python__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.textContent =
      "Press the button to load Python (about 17 MB the first time) and time the networks here.";
    const charts = document.createElement("div");
    charts.className = "page-python__chart";
    const details = document.createElement("details");
    details.className = "page-python__numbers";
    details.innerHTML = "<summary>The numbers, network by network</summary>";
    const table = document.createElement("table");
    table.innerHTML =
      "<thead><tr><th>P</th><th>forward pass</th><th>backprop</th><th>backprop in passes</th><th>central / backprop</th></tr></thead><tbody></tbody>";
    details.append(table);
    details.hidden = true; // until there are numbers
    element.append(form, progress, status, charts, details);

    let run = null;
    element.perfCases = []; // what was drawn, for the browser tests

    function draw() {
      const cases = element.perfCases;
      const width = Math.max(240, Math.min(charts.clientWidth || 360, 640));
      const svg = Plot.plot({
        width,
        height: 260,
        marginLeft: 60,
        inset: 10, // the first and last dots clear of the axes
        style: { background: "transparent", color: "currentColor" },
        x: { type: "log", label: "parameters P", grid: true, ticks: 5, tickFormat: "~s" },
        y: { type: "log", label: "central differences / backprop", grid: true, ticks: 5, tickFormat: "~s" },
        marks: [
          Plot.line(cases, {
            x: "parameters",
            y: "counted_central_over_backprop",
            stroke: "currentColor",
            strokeDasharray: "4 3",
            strokeOpacity: 0.6,
          }),
          Plot.dot(cases, {
            x: "parameters",
            y: "central_over_backprop",
            fill: "currentColor",
            r: 3.5,
          }),
        ],
      });
      svg.setAttribute("role", "img");
      svg.setAttribute(
        "aria-label",
        "Central differences over one backprop call against P, on log-log axes: dots measured in this browser, the dashed line counted",
      );
      const legend = document.createElement("p");
      legend.className = "page-python__legend";
      legend.textContent = "Dots: measured in your browser. Dashed: the count 2P·F/(F + B).";
      charts.replaceChildren(svg, legend);
    }

    function finish(message) {
      run = null;
      go.disabled = false;
      stop.disabled = true;
      element.removeAttribute("aria-busy");
      status.textContent = message;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (run) return;
      const hidden = WIDTHS.filter((h) => h <= Number(largest.value));
      element.perfCases = [];
      element.dataset.run = "running";
      table.tBodies[0].replaceChildren();
      charts.replaceChildren();
      progress.max = hidden.length;
      progress.value = 0;
      go.disabled = true;
      stop.disabled = false;
      element.setAttribute("aria-busy", "true");
      status.textContent = "Starting…";
      const clicked = performance.now();
      run = window.PagePython.call("backprop.performance.gradient_costs", { hidden }, {
        onStatus: (text) => (status.textContent = text),
        onItem: (item) => {
          if (!element.perfCases.length) element.perfFirst = (performance.now() - clicked) / 1000;
          element.perfCases.push(item);
          progress.max = item.of;
          progress.value = item.index;
          details.hidden = false;
          const row = table.tBodies[0].insertRow();
          for (const text of [
            number(item.parameters),
            `${(1e3 * item.forward_seconds).toFixed(3)} ms`,
            `${(1e3 * item.backprop_seconds).toFixed(3)} ms`,
            item.backprop_in_forward_passes.toFixed(2),
            number(item.central_over_backprop),
          ]) {
            row.insertCell().textContent = text;
          }
          status.textContent =
            `Network ${item.index} of ${item.of}, P = ${number(item.parameters)}: one backprop call ` +
            `costs ${item.backprop_in_forward_passes.toFixed(2)} forward passes, so central ` +
            `differences cost ${number(item.central_over_backprop)} times as much.`;
          draw();
        },
      });
      run.done.then(
        ({ stopped, seconds }) => {
          element.dataset.run = stopped ? "stopped" : "done";
          const n = element.perfCases.length;
          finish(
            stopped
              ? `Stopped after ${n} network${n === 1 ? "" : "s"}.`
              : `Done in ${seconds.toFixed(1)} s from the click: ${n} networks timed.`,
          );
        },
        (error) => {
          element.dataset.run = "failed";
          finish(`The timing failed: ${error.message}`);
        },
      );
    });

    stop.addEventListener("click", () => {
      if (!run) return;
      run.stop();
      status.textContent = "Stopping after this network…";
      go.focus();
    });
  }

  window.Explorables.define("perf", mount);
})();
