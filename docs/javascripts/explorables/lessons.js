// Explorable "lessons" (lessons.md): the weight scale and the depth of a sigmoid
// network on the digits; the size of each layer's weight gradient and the
// histogram of σ'(z) per layer. Every number is looked up in
// explorables/lessons.json, computed by backprop.lessons and backprop.network
// (sitebuild/explorables.py).
window.Explorables.define("lessons", (element, { Plot, data }) => {
  const E = window.Explorables;
  let scale = data.scales.indexOf(1);
  let depth = data.depths.indexOf(3);

  const controls = document.createElement("div");
  controls.className = "explorable__controls";
  const scaleControl = E.range({
    label: "Weight scale s",
    name: "scale",
    values: data.scales,
    index: scale,
    format: (s) => `${s} (W^l from N(0, ${s}²/n))`,
    onChange: (i) => ((scale = i), draw()),
  });
  const depthControl = E.range({
    label: "Hidden layers",
    name: "depth",
    values: data.depths,
    index: depth,
    format: String,
    onChange: (i) => ((depth = i), draw()),
  });
  controls.append(scaleControl.element, depthControl.element);
  const norms = document.createElement("div");
  const histogram = document.createElement("div");
  const live = E.live();
  element.append(controls, norms, histogram, live);

  function draw() {
    const colors = E.colors(element);
    const point = data.points[`${scale},${depth}`];
    const width = E.width(element);
    const layers = point.norms.map((norm, i) => ({ layer: `W^${i + 1}`, norm }));
    norms.replaceChildren(
      Plot.plot({
        width,
        height: 220,
        marginLeft: 55,
        x: { label: "layer", domain: layers.map((d) => d.layer), padding: 0.2 },
        y: { label: "‖∂C/∂W^l‖", type: "log", domain: data.norm_range, grid: true, tickFormat: "~e" },
        marks: [
          Plot.barY(layers, { x: "layer", y1: data.norm_range[0], y2: "norm", fill: colors.forward }),
          Plot.text(layers, { x: "layer", y: "norm", text: (d) => d.norm.toPrecision(2), dy: -8, fill: colors.ink }),
        ],
      }),
    );
    const bars = point.histogram.flatMap((counts, l) =>
      counts.map((count, k) => ({
        layer: `layer ${l + 1}`,
        x1: data.bins[k],
        x2: data.bins[k + 1],
        count,
      })),
    );
    histogram.replaceChildren(
      Plot.plot({
        width,
        height: 220,
        marginLeft: 55,
        x: { label: "σ'(z)", domain: [data.bins[0], data.bins[data.bins.length - 1]] },
        y: { label: "neurons × examples", grid: true },
        color: { legend: true, scheme: "viridis" },
        marks: [Plot.rectY(bars, Plot.stackY({ x1: "x1", x2: "x2", y: "count", fill: "layer" })), Plot.ruleY([0])],
      }),
    );
    live.dataset.norms = JSON.stringify(point.norms);
    live.textContent =
      `Scale ${data.scales[scale]}, ${data.depths[depth]} hidden layers: ‖∂C/∂W^l‖ from the first layer to the last = ` +
      point.norms.map((n) => n.toPrecision(3)).join(", ") +
      `; median σ'(z) per layer = ${point.median.map((v) => v.toFixed(3)).join(", ")}.`;
  }

  draw();
  E.onScheme(draw);
});
