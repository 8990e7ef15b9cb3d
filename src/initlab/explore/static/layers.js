// The "why" view of one model, layer by layer: the spread of the pre-activations z and the size of
// the gradient ∂C/∂z as measured now (bars, log scale), the mean-field theory's prediction at
// initialization (a dark tick), dead and saturated units and the distinct units per layer
// (symmetry). Hovering a row shows σ_w², χ and the verdict.

import { node } from "./svg.js";

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

// The same rows as histograms, two per layer over units × samples now (bars, ±3 of their current
// spread around their mean): the pre-activations z, with dashed the Gaussian N(0, q_l) the
// mean-field theory predicts at initialization (scaled to the same counts), and the gradient of
// the cost with respect to them, ∂C/∂z, with dashed ticks at ± the root mean square the theory
// predicts at initialization (‖∂C/∂z_l‖ / √(units × samples)). Values exactly 0 (ReLU's inactive
// units; a layer whose z all vanish) are drawn apart, as one dark spike at 0 with their share.
function normalCdf(x) {
  // Abramowitz–Stegun 7.1.26 for erf; plenty for a drawing
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

const PLOT = 132;
const PLOT_H = 22;

function zCurve(hist, total, q) {
  if (q === undefined || q === null || !(q > 0)) return [];
  const s = Math.sqrt(q);
  const step = (hist.hi - hist.lo) / hist.counts.length;
  return hist.counts.map((_, b) => {
    const a = hist.lo + b * step;
    return total * (normalCdf((a + step) / s) - normalCdf(a / s));
  });
}

// One histogram at (x, y): bars in `color`, the exact zeros as a spike, `expected` counts per bin
// dashed, `ticks` (values) as dashed marks; `testid` names the group.
function histogram(hist, { x, y, color, expected = [], ticks = [], testid, note }) {
  const g = node("g", { class: "histogram", "data-testid": testid });
  const n = hist.counts.length;
  const binW = PLOT / n;
  const at = (v) => x + ((v - hist.lo) / (hist.hi - hist.lo)) * PLOT;
  const zeros = hist.zeros ?? 0;
  const zeroBin = 0 >= hist.lo && 0 <= hist.hi ? Math.min(n - 1, Math.floor((0 - hist.lo) / ((hist.hi - hist.lo) / n))) : -1;
  const bars = hist.counts.map((c, b) => (b === zeroBin ? c - zeros : c));
  const top = Math.max(...bars, ...expected, 1);
  const base = y + PLOT_H;
  g.append(node("rect", { x, y, width: PLOT, height: PLOT_H, class: "track" }));
  bars.forEach((c, b) => {
    const bh = (c / top) * PLOT_H;
    if (bh > 0) g.append(node("rect", { x: x + b * binW, y: base - bh, width: Math.max(binW - 1, 1), height: bh, fill: color, opacity: 0.8, class: "bar" }));
  });
  if (zeros > 0 && zeroBin >= 0) g.append(node("line", { x1: at(0), x2: at(0), y1: y, y2: base, class: "zero-spike" }));
  if (expected.length) {
    const d = expected.map((e, b) => `${b ? "L" : "M"}${(x + (b + 0.5) * binW).toFixed(1)},${(base - (Math.min(e, top) / top) * PLOT_H).toFixed(1)}`).join("");
    g.append(node("path", { d, class: "theory-curve" }));
  }
  for (const t of ticks) {
    if (t >= hist.lo && t <= hist.hi) g.append(node("line", { x1: at(t), x2: at(t), y1: y - 1, y2: base, class: "theory-tick" }));
  }
  g.append(node("line", { x1: x, x2: x + PLOT, y1: base, y2: base, class: "baseline" }));
  const total = hist.counts.reduce((a, b) => a + b, 0);
  if (zeros > 0 && total) g.append(node("text", { x: x + 2, y: y + 8, class: "value small" }, `${pct(zeros / total)} = 0`));
  g.append(node("text", { x, y: base + 10, class: "units" }, `±${fmt((hist.hi - hist.lo) / 2)}`));
  if (note) g.append(node("text", { x: x + PLOT, y: base + 10, class: "units", "text-anchor": "end" }, note));
  return g;
}

function rowTitle(l, { sizes, activations, now, theory, verdict }) {
  const hidden = l < sizes.length - 2;
  const z = now.z_hist?.[l];
  const dz = now.dz_hist?.[l];
  return [
    hidden ? `hidden layer ${l + 1}: ${sizes[l + 1]} units, ${activations[l]}` : `output: ${sizes[l + 1]} unit(s)`,
    z ? `z from ${fmt(z.lo)} to ${fmt(z.hi)}; std now ${fmt(now.pre_std[l])}, theory at init ${fmt(theory?.pre_std?.[l])}` : "no histograms: the model diverged",
    dz ? `∂C/∂z from ${fmt(dz.lo)} to ${fmt(dz.hi)}; ‖∂C/∂z‖ now ${fmt(now.grad_z[l])}, theory at init ${fmt(theory?.grad_z?.[l])}` : "",
    `σ_w² = ${fmt(theory?.sigma_w2?.[l])}${hidden ? `, χ = ${fmt(theory?.chi?.[l])}` : ""}`,
    `verdict: ${verdict}`,
  ].filter(Boolean).join("\n");
}

export function drawHistograms(el, args) {
  const { sizes, activations, now, theory, color, index } = args;
  const L = sizes.length - 1;
  const rowH = PLOT_H + 18;
  const width = 360;
  const label = 66;
  const x2 = label + PLOT + 18;
  const height = 16 + L * rowH;
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, class: "layers histograms", role: "img" });
  svg.append(node("text", { x: label, y: 10, class: "head" }, "z (dashed: theory)"));
  svg.append(node("text", { x: x2, y: 10, class: "head" }, "∂C/∂z (ticks: theory)"));
  for (let l = 0; l < L; l++) {
    const y = 16 + l * rowH;
    const hidden = l < L - 1;
    const g = node("g", { class: "layer-row" });
    g.append(node("rect", { x: 0, y: y - 2, width, height: rowH - 2, class: "row-bg" }));
    const name = hidden ? `${l + 1}: ${sizes[l + 1]} ${activations[l]}` : `out: ${sizes[l + 1]}`;
    g.append(node("text", { x: 2, y: y + 15, class: "label" }, name.length > 11 ? name.slice(0, 10) + "…" : name));
    const z = now.z_hist?.[l];
    const dz = now.dz_hist?.[l];
    if (z && dz) {
      const total = z.counts.reduce((a, b) => a + b, 0);
      const expected = zCurve(z, total, theory?.q?.[l]);
      g.append(histogram(z, { x: label, y, color, expected, testid: `z-histogram-${index}-${l}`, note: `σ ${fmt(now.pre_std[l])}` }));
      const g0 = theory?.grad_z?.[l];
      const rms = g0 > 0 && total > 0 ? g0 / Math.sqrt(total) : null;
      const ticks = rms ? [-rms, rms] : [];
      const note = `rms ${fmt(total > 0 ? now.grad_z[l] / Math.sqrt(total) : null)}`;
      g.append(histogram(dz, { x: x2, y, color, ticks, testid: `grad-histogram-${index}-${l}`, note }));
    } else {
      g.append(node("text", { x: label, y: y + 15, class: "units" }, "diverged: no histograms"));
    }
    g.append(node("title", {}, rowTitle(l, args)));
    svg.append(g);
  }
  el.replaceChildren(svg);
}
