// The "why" view of one model, layer by layer: the spread of the pre-activations z and the size of
// the gradient ∂C/∂z as measured now (bars, log scale), the mean-field theory's prediction at
// initialization (a dark tick), dead and saturated units and the distinct units per layer
// (symmetry). Hovering a row shows σ_w², χ and the verdict.

const NS = "http://www.w3.org/2000/svg";

function node(name, attrs = {}, text) {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function fmt(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(+v.toPrecision(3));
}

function pct(v) {
  return v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`;
}

// The log10 range [lo, hi] that holds every positive value of `values` (at least 2 decades).
export function logRange(values) {
  const logs = values.filter((v) => v !== null && Number.isFinite(v) && v > 0).map(Math.log10);
  if (!logs.length) return [-2, 1];
  let lo = Math.floor(Math.min(...logs));
  let hi = Math.ceil(Math.max(...logs));
  if (hi - lo < 2) {
    lo -= 1;
    hi = lo + 3;
  }
  return [lo, hi];
}

// sizes: the network's sizes; activations: hidden activation specs; output: "sigmoid"/"softmax";
// now: the frame's layers; theory: the model's theory (or null); verdict: one line.
export function drawLayers(el, { sizes, activations, output, now, theory, verdict, color, ranges }) {
  const L = sizes.length - 1;
  const rowH = 22;
  const width = 360;
  const label = 66;
  const bar = 88;
  const gap = 8;
  const height = 20 + L * rowH + 4;
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, class: "layers", role: "img" });
  const x1 = label;
  const x2 = label + bar + gap;
  const x3 = x2 + bar + gap;
  svg.append(node("text", { x: x1, y: 12, class: "head" }, "std of z"));
  svg.append(node("text", { x: x2, y: 12, class: "head" }, "‖∂C/∂z‖"));
  svg.append(node("text", { x: x3, y: 12, class: "head" }, "distinct units"));
  const scale = (v, [lo, hi]) => {
    if (v === null || !Number.isFinite(v) || v <= 0) return 0;
    return Math.max(0, Math.min(1, (Math.log10(v) - lo) / (hi - lo))) * bar;
  };
  for (let l = 0; l < L; l++) {
    const y = 18 + l * rowH;
    const hidden = l < L - 1;
    const g = node("g", { class: "layer-row" });
    const name = hidden ? `${l + 1}: ${sizes[l + 1]} ${activations[l]}` : `out: ${sizes[l + 1]}`;
    g.append(node("rect", { x: 0, y: y - 2, width, height: rowH - 2, class: "row-bg" }));
    g.append(node("text", { x: 2, y: y + 12, class: "label" }, name.length > 14 ? name.slice(0, 13) + "…" : name));
    const std = now.pre_std[l];
    const grad = now.grad_z[l];
    for (const [x, v, range, t] of [
      [x1, std, ranges.std, theory?.pre_std?.[l]],
      [x2, grad, ranges.grad, theory?.grad_z?.[l]],
    ]) {
      g.append(node("rect", { x, y: y + 2, width: bar, height: 12, class: "track" }));
      g.append(node("rect", { x, y: y + 2, width: scale(v, range), height: 12, fill: color, opacity: 0.85 }));
      if (t !== undefined && t !== null && Number.isFinite(t) && t > 0) {
        const tx = x + scale(t, range);
        g.append(node("line", { x1: tx, x2: tx, y1: y, y2: y + 16, class: "theory" }));
      }
      g.append(node("text", { x: x + bar - 2, y: y + 12, class: "value", "text-anchor": "end" }, fmt(v)));
    }
    let units = "";
    if (hidden) {
      const n = sizes[l + 1];
      const d = now.distinct[l];
      const dead = now.dead[l] ?? 0;
      const sat = now.saturated[l] ?? 0;
      units = `${d}/${n}`;
      if (dead > 0) units += ` · ${pct(dead)} dead`;
      if (sat > 0) units += ` · ${pct(sat)} sat.`;
      if (d === 1 && n > 1) g.classList.add("symmetric");
    } else {
      units = `${pct(now.output_saturated)} sat.`;
    }
    g.append(node("text", { x: x3, y: y + 12, class: "units" }, units));
    const sw2 = theory?.sigma_w2?.[l];
    const chi = hidden ? theory?.chi?.[l] : null;
    const tip = [
      hidden ? `hidden layer ${l + 1}: ${sizes[l + 1]} units, ${activations[l]}` : `output: ${sizes[l + 1]} unit(s), ${output}`,
      `σ_w² = ${fmt(sw2)}${hidden ? `, χ = ${fmt(chi)}` : ""}${theory ? "" : " (no mean-field theory for this initializer)"}`,
      `std of z now ${fmt(std)} (theory at init ${fmt(theory?.pre_std?.[l])})`,
      `‖∂C/∂z‖ now ${fmt(grad)} (theory at init ${fmt(theory?.grad_z?.[l])})`,
      `verdict: ${verdict}`,
    ].join("\n");
    g.append(node("title", {}, tip));
    svg.append(g);
  }
  el.replaceChildren(svg);
}
