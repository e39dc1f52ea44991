// Explorable "nudge" (by-hand.md): move one of the 12 parameters of the worked
// 2-2-2 network by Δp and compare the change of the cost with backprop's
// prediction (∂C/∂p)·Δp. Every number is looked up in explorables/nudge.json,
// computed by backprop.worked (sitebuild/explorables.py).
window.Explorables.define("nudge", (element, { Plot, data }) => {
  const E = window.Explorables;
  const four = (v) => (v === null ? "—" : v.toFixed(4));
  const sig = (v) => (v === null ? "—" : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(4));
  let parameter = 0;
  let nudge = data.nudges.indexOf(0.5);

  const controls = document.createElement("div");
  controls.className = "explorable__controls";
  const which = E.select({
    label: "Parameter p",
    name: "parameter",
    options: data.parameters.map((p, i) => ({ value: String(i), text: p.name })),
    value: String(parameter),
    onChange: (value) => ((parameter = Number(value)), draw()),
  });
  const size = E.range({
    label: "Δp",
    name: "dp",
    values: data.nudges,
    index: nudge,
    format: (v) => String(v),
    onChange: (i) => ((nudge = i), draw()),
  });
  controls.append(which.element, size.element);
  const figure = document.createElement("div");
  const readout = document.createElement("dl");
  readout.className = "explorable__readout";
  const live = E.live();
  element.append(controls, figure, readout, live);

  function entry(key, term, value, text) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.dataset.key = key;
    if (value !== null) dd.dataset.value = String(value);
    dd.textContent = text;
    return [dt, dd];
  }

  function draw() {
    const colors = E.colors(element);
    const p = data.parameters[parameter];
    const dp = data.nudges[nudge];
    const actual = p.actual[nudge];
    const predicted = p.predicted[nudge];
    const curve = p.curve.p.map((x, i) => ({ p: x, cost: p.curve.cost[i] }));
    const tangent = p.tangent.p.map((x, i) => ({ p: x, cost: p.tangent.cost[i] }));
    const moved = [
      { p: p.p0 + dp, cost: data.cost + actual, kind: "actual" },
      { p: p.p0 + dp, cost: data.cost + predicted, kind: "predicted" },
    ];
    const costs = p.curve.cost;
    const low = Math.min(...costs);
    const high = Math.max(...costs);
    figure.replaceChildren(
      Plot.plot({
        width: E.width(element),
        height: 300,
        marginLeft: 50,
        x: { label: p.name, grid: true },
        y: { label: "C", grid: true, domain: [low - 0.05 * (high - low), high + 0.05 * (high - low)] },
        marks: [
          Plot.line(curve, { x: "p", y: "cost", stroke: colors.forward, strokeWidth: 2 }),
          Plot.line(tangent, { x: "p", y: "cost", stroke: colors.reverse, strokeDasharray: "5,4", clip: true }),
          Plot.ruleX([p.p0 + dp], { stroke: colors.muted }),
          Plot.dot([{ p: p.p0, cost: data.cost }], { x: "p", y: "cost", r: 5, fill: colors.ink }),
          Plot.dot(moved, {
            x: "p",
            y: "cost",
            r: 5,
            fill: (d) => (d.kind === "actual" ? colors.forward : colors.reverse),
            symbol: (d) => (d.kind === "actual" ? "circle" : "diamond"),
            clip: true,
          }),
          ...moved.map((d) =>
            Plot.text([d], {
              x: "p",
              y: "cost",
              text: "kind",
              dx: 8,
              dy: d.kind === "actual" ? 10 : -10,
              textAnchor: "start",
              fill: colors.ink,
              clip: true,
            }),
          ),
        ],
      }),
    );
    readout.replaceChildren(
      ...entry("slope", `∂C/∂${p.name} (backprop)`, p.slope, four(p.slope)),
      ...entry("predicted", "predicted ΔC = (∂C/∂p)·Δp", predicted, sig(predicted)),
      ...entry("actual", "actual ΔC", actual, sig(actual)),
      ...entry("gap", "relative gap |predicted − actual| / |actual|", p.gap[nudge], sig(p.gap[nudge])),
    );
    live.textContent =
      `${p.name} moved by ${dp}: predicted ΔC = ${sig(predicted)}, actual ΔC = ${sig(actual)}` +
      (p.gap[nudge] === null ? "." : `, relative gap ${sig(p.gap[nudge])}.`);
  }

  draw();
  E.onScheme(draw);
});
