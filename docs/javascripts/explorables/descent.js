// Explorable "descent" (descent.md): the learning rate η, the momentum μ and the
// mini-batch size m of SGD on the line fit; the path on the cost's contours and
// the cloud where runs with other shuffles end. Every number is looked up in
// explorables/descent.json, computed by backprop.descent (sitebuild/explorables.py).
window.Explorables.define("descent", (element, { Plot, data }) => {
  const E = window.Explorables;
  const four = (v) => v.toFixed(4);
  let eta = data.fractions.indexOf(0.4);
  let mu = 0;
  let m = data.m.indexOf(10);

  const controls = document.createElement("div");
  controls.className = "explorable__controls";
  const etaControl = E.range({
    label: "Learning rate η",
    name: "eta",
    values: data.fractions,
    index: eta,
    format: (f) => `${four(data.eta[data.fractions.indexOf(f)])} (${f} × 2/λ_max)`,
    onChange: (i) => ((eta = i), draw()),
  });
  const muControl = E.range({
    label: "Momentum μ",
    name: "mu",
    values: data.mu,
    index: mu,
    format: String,
    onChange: (i) => ((mu = i), draw()),
  });
  const mControl = E.range({
    label: "Mini-batch size m",
    name: "m",
    values: data.m,
    index: m,
    format: (v) => (v === data.n ? `${v} (the full batch)` : String(v)),
    onChange: (i) => ((m = i), draw()),
  });
  controls.append(etaControl.element, muControl.element, mControl.element);
  const scale = document.createElement("div");
  const figure = document.createElement("div");
  const live = E.live();
  element.append(controls, scale, figure, live);

  const [w0, w1, b0, b1] = data.box;
  const contours = data.contours;

  function draw() {
    const colors = E.colors(element);
    const run = data.runs[`${eta},${mu},${m}`];
    const path = run.path.map(([w, b], i) => ({ w, b, i }));
    const cloud = run.cloud.map(([w, b]) => ({ w, b }));
    const width = E.width(element);
    scale.replaceChildren(
      Plot.plot({
        width,
        height: 60,
        marginLeft: 20,
        marginRight: 20,
        x: { label: "η", domain: [0, Math.max(...data.eta) * 1.02] },
        y: { axis: null, domain: [0, 1] },
        marks: [
          Plot.ruleX([data.limit], { stroke: colors.reverse, strokeWidth: 2 }),
          Plot.text([data.limit], { x: (d) => d, y: 0.8, text: () => "2/λ_max", dx: -4, textAnchor: "end", fill: colors.reverse }),
          Plot.dot([data.eta[eta]], { x: (d) => d, y: 0.4, r: 6, fill: colors.forward }),
        ],
      }),
    );
    figure.replaceChildren(
      Plot.plot({
        width,
        height: Math.round(Math.min(width, 560) * 0.85),
        marginLeft: 45,
        x: { label: "weight w", domain: [w0, w1] },
        y: { label: "bias b", domain: [b0, b1] },
        color: { type: "log" },
        marks: [
          Plot.contour(contours.cost, {
            width: contours.w.length,
            height: contours.b.length,
            x1: w0,
            x2: w1,
            y1: b0,
            y2: b1,
            thresholds: contours.levels,
            stroke: colors.muted,
            strokeOpacity: 0.7,
            fill: null,
          }),
          Plot.dot(cloud, { x: "w", y: "b", r: 3, fill: colors.reverse, fillOpacity: 0.6, clip: true }),
          Plot.line(path, { x: "w", y: "b", stroke: colors.forward, strokeWidth: 1.5, clip: true }),
          Plot.dot(path, { x: "w", y: "b", r: 2, fill: colors.forward, clip: true }),
          Plot.dot([data.start], { x: (d) => d[0], y: (d) => d[1], symbol: "square", r: 5, fill: colors.ink }),
          Plot.dot([data.minimum], { x: (d) => d[0], y: (d) => d[1], symbol: "star", r: 7, fill: colors.highlight, stroke: colors.ink }),
        ],
      }),
    );
    const verdict = run.diverged ? "it diverges" : `the cost is ${four(run.cost)} (lowest ${four(data.lowest)})`;
    live.dataset.cost = String(run.cost);
    live.textContent =
      `η = ${four(data.eta[eta])}, μ = ${data.mu[mu]}, m = ${data.m[m]}: after ${data.steps} steps ${verdict}; ` +
      `the dots show where ${data.seeds} runs with other shuffles end.`;
  }

  draw();
  E.onScheme(draw);
});
