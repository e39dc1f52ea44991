// Explorable "graph" (graphs.md): e = (a + b)(b + 1) with a and b on sliders, and
// forward and reverse mode stepped node by node. Every number is looked up in
// explorables/graph.json, computed by backprop.graph (sitebuild/explorables.py).
window.Explorables.define("graph", (element, { Plot, data }) => {
  const E = window.Explorables;
  const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, ""));
  const names = data.nodes.map((n) => n.name);
  const inputs = data.inputs;
  let a = inputs.indexOf(data.start.a);
  let b = inputs.indexOf(data.start.b);
  let mode = "forward";
  let step = 0; // steps taken in the chosen mode
  const point = () => data.points[`${inputs[a]},${inputs[b]}`];
  const modeSteps = () => data.steps.filter((s) => s.mode === mode);

  const controls = document.createElement("div");
  controls.className = "explorable__controls";
  const sliderA = E.range({
    label: "a",
    name: "a",
    values: inputs,
    index: a,
    format: fmt,
    onChange: (i) => ((a = i), draw()),
  });
  const sliderB = E.range({
    label: "b",
    name: "b",
    values: inputs,
    index: b,
    format: fmt,
    onChange: (i) => ((b = i), draw()),
  });
  const modes = E.select({
    label: "Mode",
    name: "mode",
    options: [
      { value: "forward", text: "forward (one pass per input)" },
      { value: "reverse", text: "reverse (one pass)" },
    ],
    value: mode,
    onChange: (value) => ((mode = value), (step = 0), draw()),
  });
  const steps = document.createElement("div");
  steps.className = "explorable__controls";
  const back = E.button("Back", () => ((step = Math.max(0, step - 1)), draw()), "back");
  const next = E.button(
    "Step",
    () => ((step = Math.min(modeSteps().length, step + 1)), draw()),
    "step",
  );
  const reset = E.button("Reset", () => ((step = 0), draw()), "reset");
  steps.append(back, next, reset);
  controls.append(sliderA.element, sliderB.element, modes.element);
  const figure = document.createElement("div");
  const counter = document.createElement("p");
  counter.className = "explorable__counter";
  const table = document.createElement("table");
  table.createCaption().textContent =
    "∂n/∂a and ∂n/∂b: forward mode, one pass each; ∂e/∂n: reverse mode, one pass.";
  const scroll = document.createElement("div");
  scroll.className = "explorable__scroll";
  scroll.append(table);
  const live = E.live();
  element.append(controls, steps, figure, counter, live, scroll);

  // What the steps taken so far have computed: pass -> node -> number.
  function known() {
    const p = point();
    const done = modeSteps().slice(0, step);
    const found = { tangents: {}, adjoints: {} };
    for (const s of done) {
      if (s.mode === "forward") {
        (found.tangents[s.seed] ??= {})[s.node] = p.tangents[s.seed][s.node];
      } else {
        found.adjoints[s.node] = p.adjoints[s.node];
      }
    }
    return found;
  }

  function passesDone() {
    const p = point();
    const done = modeSteps().slice(0, step);
    const counts = mode === "forward" ? p.forward_counts : p.reverse_counts;
    const finished = done.filter((s) => s.last).length;
    return finished === 0 ? [0, 0] : counts[finished - 1];
  }

  function drawGraph(colors, current, shown) {
    const p = point();
    const where = Object.fromEntries(data.nodes.map((n) => [n.name, n]));
    const edges = data.edges.map((e, i) => ({
      ...e,
      x1: where[e.from].column,
      y1: where[e.from].row,
      x2: where[e.to].column,
      y2: where[e.to].row,
      local: p.locals[i],
    }));
    const nodes = data.nodes.map((n) => ({
      ...n,
      text: `${n.name} = ${fmt(p.values[n.name])}${shown[n.name] === undefined ? "" : `\n${shown[n.name]}`}`,
    }));
    const reverse = mode === "reverse";
    return Plot.plot({
      width: E.width(element),
      height: 240,
      margin: 40,
      x: { axis: null, inset: 20 },
      y: { axis: null, inset: 10 },
      marks: [
        Plot.arrow(edges, {
          x1: reverse ? "x2" : "x1",
          y1: reverse ? "y2" : "y1",
          x2: reverse ? "x1" : "x2",
          y2: reverse ? "y1" : "y2",
          insetStart: 30,
          insetEnd: 30,
          stroke: reverse ? colors.reverse : colors.forward,
          strokeWidth: 1.5,
        }),
        Plot.text(edges, {
          x: (e) => (e.x1 + e.x2) / 2,
          y: (e) => (e.y1 + e.y2) / 2,
          text: (e) => `∂${e.to}/∂${e.from} = ${fmt(e.local)}`,
          fill: colors.ink,
          dy: -9,
          fontSize: 11,
        }),
        Plot.dot(nodes, {
          x: "column",
          y: "row",
          r: 27,
          fill: (n) => (n.name === current ? colors.highlight : colors.background),
          stroke: colors.ink,
        }),
        Plot.text(nodes, { x: "column", y: "row", text: "text", fill: colors.ink, fontSize: 11 }),
      ],
    });
  }

  function cell(text, value, isCurrent) {
    const td = document.createElement("td");
    td.textContent = text;
    if (value !== undefined) td.dataset.value = String(value);
    if (isCurrent) td.className = "is-current";
    return td;
  }

  function drawTable(found, currentStep) {
    const p = point();
    const seeds = [...new Set(data.steps.filter((s) => s.mode === "forward").map((s) => s.seed))];
    const caption = table.caption;
    table.replaceChildren(caption);
    const head = table.createTHead().insertRow();
    for (const text of ["node n", "value", ...seeds.map((s) => `∂n/∂${s}`), "∂e/∂n"]) {
      const th = document.createElement("th");
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const name of names) {
      const tr = body.insertRow();
      tr.dataset.node = name;
      const th = document.createElement("th");
      th.textContent = name;
      tr.append(th, cell(fmt(p.values[name]), p.values[name]));
      for (const seed of seeds) {
        const value = found.tangents[seed]?.[name];
        const td = cell(value === undefined ? "·" : fmt(value), value,
          currentStep?.mode === "forward" && currentStep.seed === seed && currentStep.node === name);
        td.dataset.seed = seed;
        tr.append(td);
      }
      const adjoint = found.adjoints[name];
      const td = cell(adjoint === undefined ? "·" : fmt(adjoint), adjoint,
        currentStep?.mode === "reverse" && currentStep.node === name);
      td.dataset.seed = "reverse";
      tr.append(td);
    }
  }

  function draw() {
    const colors = E.colors(element);
    const found = known();
    const currentStep = step > 0 ? modeSteps()[step - 1] : null;
    const shown = {};
    const source = mode === "forward" ? found.tangents[currentStep?.seed] ?? {} : found.adjoints;
    for (const [name, value] of Object.entries(source)) {
      shown[name] = mode === "forward" ? `∂/∂${currentStep.seed}: ${fmt(value)}` : `∂e/∂: ${fmt(value)}`;
    }
    figure.replaceChildren(drawGraph(colors, currentStep?.node, shown));
    drawTable(found, currentStep);
    const [passes, work] = passesDone();
    const total = mode === "forward" ? point().forward_counts.length : 1;
    counter.textContent = `Passes done: ${passes} of ${total}; multiply-adds: ${work}.`;
    counter.dataset.passes = String(passes);
    counter.dataset.multiplyAdds = String(work);
    const p = point();
    const header = `a = ${fmt(inputs[a])}, b = ${fmt(inputs[b])}: e = ${fmt(p.values.e)}.`;
    if (currentStep) {
      const value =
        currentStep.mode === "forward"
          ? `∂${currentStep.node}/∂${currentStep.seed} = ${fmt(p.tangents[currentStep.seed][currentStep.node])}`
          : `∂e/∂${currentStep.node} = ${fmt(p.adjoints[currentStep.node])}`;
      live.textContent = `${header} Step ${step} of ${modeSteps().length}, ${mode} mode: ${value}. Passes done: ${passes}.`;
    } else {
      live.textContent = `${header} ${mode === "forward" ? "Forward" : "Reverse"} mode: press Step.`;
    }
    back.disabled = step === 0;
    next.disabled = step === modeSteps().length;
  }

  draw();
  E.onScheme(draw);
});
