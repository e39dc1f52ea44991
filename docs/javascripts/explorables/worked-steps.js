// Explorable "worked-steps" (by-hand.md): the worked example's forward pass and
// then its backward pass, one number at a time, each lit up in the table as it
// is computed, with its sum written out. The numbers and the sums are those of
// backprop.worked, in explorables/worked-steps.json (sitebuild/explorables.py).
window.Explorables.define("worked-steps", (element, { data }) => {
  const E = window.Explorables;
  let step = 0; // numbers computed so far

  const buttons = document.createElement("div");
  buttons.className = "explorable__controls";
  const back = E.button("Back", () => ((step = Math.max(0, step - 1)), draw()), "back");
  const next = E.button("Step", () => ((step = Math.min(data.steps.length, step + 1)), draw()), "step");
  const reset = E.button("Reset", () => ((step = 0), draw()), "reset");
  buttons.append(back, next, reset);
  const sum = document.createElement("pre");
  sum.className = "explorable__sum";
  const live = E.live();
  const scroll = document.createElement("div");
  scroll.className = "explorable__scroll";
  element.append(buttons, live, sum, scroll);

  const cells = new Map(); // cell id -> <td>
  function td(id) {
    const cell = document.createElement("td");
    cell.dataset.cell = id;
    cells.set(id, cell);
    return cell;
  }
  function table(caption, heads, rows) {
    const t = document.createElement("table");
    t.createCaption().textContent = caption;
    const head = t.createTHead().insertRow();
    for (const text of heads) {
      const th = document.createElement("th");
      th.textContent = text;
      head.append(th);
    }
    const body = t.createTBody();
    for (const [label, ids] of rows) {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.textContent = label;
      tr.append(th, ...ids.map(td));
    }
    return t;
  }
  const layers = [...Array(data.layers).keys()].map((i) => i + 1);
  const forwardRows = [];
  const backwardRows = [];
  for (const l of layers) {
    for (let j = 1; j <= data.neurons[l - 1]; j += 1) forwardRows.push([`l = ${l}, j = ${j}`, [`z${l}${j}`, `a${l}${j}`]]);
  }
  for (const l of [...layers].reverse()) {
    const inputs = l === 1 ? data.inputs : data.neurons[l - 2];
    for (let j = 1; j <= data.neurons[l - 1]; j += 1) {
      const ids = [`d${l}${j}`];
      for (let k = 1; k <= inputs; k += 1) ids.push(`w${l}${j}${k}`);
      backwardRows.push([`l = ${l}, j = ${j}`, ids]);
    }
  }
  const widest = Math.max(data.inputs, ...data.neurons);
  scroll.append(
    table("Forward pass", ["neuron", "z^l_j", "a^l_j"], forwardRows),
    table("Cost", ["", "C"], [["", ["C"]]]),
    table(
      "Backward pass",
      ["neuron", "δ^l_j", ...[...Array(widest).keys()].map((k) => `∂C/∂w^l_j${k + 1}`)],
      backwardRows,
    ),
  );

  function draw() {
    for (const cell of cells.values()) {
      cell.textContent = "·";
      cell.classList.remove("is-current");
      delete cell.dataset.value;
    }
    data.steps.slice(0, step).forEach((s, i) => {
      const cell = cells.get(s.cell);
      cell.textContent = s.shown;
      cell.dataset.value = String(s.value);
      if (i === step - 1) cell.classList.add("is-current");
    });
    const current = data.steps[step - 1];
    if (current) {
      sum.textContent = current.sum;
      live.textContent = `Step ${step} of ${data.steps.length}, ${current.pass} pass: ${current.symbol} = ${current.shown}.`;
    } else {
      sum.textContent = "";
      live.textContent = `Press Step to compute the first of ${data.steps.length} numbers.`;
    }
    back.disabled = step === 0;
    next.disabled = step === data.steps.length;
  }

  draw();
});
