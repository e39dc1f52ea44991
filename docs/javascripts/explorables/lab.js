// The training lab: Train runs the package's SGD on the digits in the page's
// Python (backprop.lab.train, through PagePython in run-examples.js), and this
// file draws what each epoch reports as it comes: the training cost, the test
// accuracy, a progress bar; then a few test digits with the network's answer.
// Nothing is fetched or run before Train is pressed. Stop ends the training
// after the epoch under way.
(() => {
  // The lab page's defaults: its notebook's network and settings.
  const DEFAULTS = { hidden: "30", eta: 3, batch: 10, epochs: 30 };

  function field(form, label, attributes) {
    const wrapper = document.createElement("label");
    wrapper.className = "page-python__field";
    const input = document.createElement("input");
    Object.assign(input, attributes);
    wrapper.append(label, input);
    form.append(wrapper);
    return input;
  }

  function button(label, className) {
    const element = document.createElement("button");
    element.type = className === "page-python__go" ? "submit" : "button";
    element.className = `run-examples__button ${className}`;
    element.textContent = label;
    return element;
  }

  // The hidden layers as the reader typed them ("30", "30, 20"), or null.
  function hiddenLayers(text) {
    const parts = text.split(/[\s,]+/).filter(Boolean);
    if (!parts.every((p) => /^\d+$/.test(p))) return null;
    const sizes = parts.map(Number);
    return sizes.every((n) => n >= 1 && n <= 200) && sizes.length <= 3 ? sizes : null;
  }

  function mount(element, { Plot }) {
    element.classList.add("page-python");
    const form = document.createElement("form");
    form.className = "page-python__controls";
    form.setAttribute("aria-label", "Training settings");
    const hidden = field(form, "Hidden layers (64 inputs, 10 outputs)", {
      type: "text",
      name: "hidden",
      value: DEFAULTS.hidden,
      inputMode: "numeric",
      spellcheck: false,
    });
    const eta = field(form, "Learning rate η", {
      type: "number",
      name: "eta",
      value: DEFAULTS.eta,
      min: 0.01,
      max: 100,
      step: "any",
    });
    const batch = field(form, "Mini-batch size", {
      type: "number",
      name: "batch",
      value: DEFAULTS.batch,
      min: 1,
      max: 1500,
      step: 1,
    });
    const epochs = field(form, "Epochs", {
      type: "number",
      name: "epochs",
      value: DEFAULTS.epochs,
      min: 1,
      max: 100,
      step: 1,
    });
    const train = button("Train", "page-python__go");
    const stop = button("Stop", "page-python__stop");
    stop.disabled = true;
    const buttons = document.createElement("div");
    buttons.className = "page-python__buttons";
    buttons.append(train, stop);
    form.append(buttons);

    const progress = document.createElement("progress");
    progress.className = "page-python__progress";
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute("aria-label", "Epochs done");
    const status = document.createElement("p");
    status.className = "page-python__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.textContent = "Press Train to load Python (about 17 MB the first time) and train.";
    const charts = document.createElement("div");
    charts.className = "page-python__charts";
    const answers = document.createElement("div");
    answers.className = "page-python__answers";
    const details = document.createElement("details");
    details.className = "page-python__numbers";
    details.innerHTML = "<summary>The numbers, epoch by epoch</summary>";
    const table = document.createElement("table");
    table.innerHTML =
      "<thead><tr><th>epoch</th><th>training cost C</th><th>test accuracy</th></tr></thead><tbody></tbody>";
    details.append(table);
    details.hidden = true; // until there are numbers
    element.append(form, progress, status, charts, details, answers);

    let run = null;
    element.labEpochs = []; // what was drawn, for the browser tests

    function chart(reports, y, label, extra = {}) {
      const width = Math.max(200, Math.min(charts.clientWidth || 320, 360));
      const last = element.labSettings.epochs;
      const every = Math.ceil(last / 6);
      const ticks = Array.from({ length: Math.ceil(last / every) }, (_, i) => 1 + i * every);
      const svg = Plot.plot({
        width,
        height: 200,
        marginLeft: 50,
        style: { background: "transparent", color: "currentColor" },
        x: { label: "epoch", domain: [1, Math.max(2, last)], ticks, tickFormat: "d", grid: true },
        y: { label, grid: true, ...extra },
        marks: [
          Plot.line(reports, { x: "epoch", y, stroke: "currentColor" }),
          Plot.dot(reports, { x: "epoch", y, fill: "currentColor", r: 2.5 }),
        ],
      });
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", `${label} after each epoch`);
      return svg;
    }

    function draw() {
      const reports = element.labEpochs;
      charts.replaceChildren(
        chart(reports, "cost", "training cost C", { zero: true }),
        chart(reports, "accuracy", "test accuracy (%)", {
          domain: [0, 100],
          transform: (a) => 100 * a,
        }),
      );
    }

    function drawAnswers(digits) {
      const list = document.createElement("ol");
      list.className = "page-python__digits";
      list.setAttribute("aria-label", "Test digits and the network's answers");
      for (const { pixels, label, answer } of digits) {
        const item = document.createElement("li");
        item.dataset.label = label;
        item.dataset.answer = answer;
        const cells = pixels.map((value, i) => ({ row: Math.floor(i / 8), col: i % 8, value }));
        const picture = Plot.plot({
          width: 56,
          height: 56,
          margin: 0,
          axis: null,
          x: { domain: [0, 1, 2, 3, 4, 5, 6, 7] },
          y: { domain: [0, 1, 2, 3, 4, 5, 6, 7] },
          // Ink on paper, as the digits were written, in either palette.
          color: { type: "linear", domain: [0, 16], range: ["white", "black"] },
          style: { background: "white" },
          marks: [Plot.cell(cells, { x: "col", y: "row", fill: "value", inset: 0 })],
        });
        picture.setAttribute("role", "img");
        picture.setAttribute("aria-label", `a handwritten ${label}`);
        const caption = document.createElement("span");
        caption.textContent = answer === label ? `read as ${answer}` : `read as ${answer} (is ${label})`;
        if (answer !== label) item.classList.add("page-python__wrong");
        item.append(picture, caption);
        list.append(item);
      }
      answers.replaceChildren(list);
    }

    function finish(message) {
      run = null;
      train.disabled = false;
      stop.disabled = true;
      element.removeAttribute("aria-busy");
      status.textContent = message;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (run) return;
      const layers = hiddenLayers(hidden.value);
      if (!layers) {
        status.textContent = "Hidden layers: up to three whole numbers from 1 to 200, such as 30 or 30, 20.";
        hidden.focus();
        return;
      }
      if (!form.reportValidity()) return;
      const settings = {
        sizes: [64, ...layers, 10],
        eta: Number(eta.value),
        mini_batch_size: Number(batch.value),
        epochs: Number(epochs.value),
      };
      element.labEpochs = [];
      element.labSettings = settings;
      element.dataset.run = "running";
      table.tBodies[0].replaceChildren();
      answers.replaceChildren();
      charts.replaceChildren();
      progress.max = settings.epochs;
      progress.value = 0;
      train.disabled = true;
      stop.disabled = false;
      element.setAttribute("aria-busy", "true");
      status.textContent = "Starting…";
      const clicked = performance.now();
      run = window.PagePython.call("backprop.lab.train", { ...settings, digits: "digits.npz" }, {
        files: ["digits.npz"],
        onStatus: (text) => (status.textContent = text),
        onItem: (item) => {
          if (item.kind === "answers") {
            drawAnswers(item.digits);
            return;
          }
          if (!element.labEpochs.length) element.labFirst = (performance.now() - clicked) / 1000;
          element.labEpochs.push(item);
          progress.value = item.epoch;
          details.hidden = false;
          const row = table.tBodies[0].insertRow();
          for (const text of [item.epoch, item.cost.toFixed(5), `${item.correct} / ${item.total}`]) {
            row.insertCell().textContent = text;
          }
          status.textContent =
            `Epoch ${item.epoch} of ${item.epochs}: cost ${item.cost.toFixed(4)}, ` +
            `${item.correct} of ${item.total} test digits right (${(100 * item.accuracy).toFixed(1)}%).`;
          draw();
        },
      });
      run.done.then(
        ({ stopped, seconds }) => {
          const last = element.labEpochs.at(-1);
          element.dataset.run = stopped ? "stopped" : "done";
          element.labSeconds = seconds;
          const summary = last
            ? `${last.epoch} epoch${last.epoch === 1 ? "" : "s"}, ${(100 * last.accuracy).toFixed(1)}% of the test digits right`
            : "no epoch finished";
          finish(
            stopped
              ? `Stopped after ${summary}.`
              : `Done in ${seconds.toFixed(1)} s from the click: ${summary}.`,
          );
        },
        (error) => {
          element.dataset.run = "failed";
          finish(`The training failed: ${error.message}`);
        },
      );
    });

    stop.addEventListener("click", () => {
      if (!run) return;
      run.stop();
      status.textContent = "Stopping after this epoch…";
      train.focus();
    });
  }

  window.Explorables.define("lab", mount);
})();
