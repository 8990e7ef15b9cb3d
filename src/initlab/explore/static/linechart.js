// A small SVG line chart: several series overlaid on shared axes (linear or log y).

import { node } from "./svg.js";

function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

function format(value) {
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a >= 10000) return `${+(value / 1000).toPrecision(3)}k`;
  if (a < 0.01 || a >= 1e5) return value.toExponential(0);
  return String(+value.toPrecision(3));
}

export class LineChart {
  // options: {title, log, yMin, yMax, width, height, percent}
  constructor(el, options = {}) {
    this.el = el;
    this.options = { width: 460, height: 200, log: false, ...options };
  }

  // series: [{color, dash, label, points: [[x, y], ...]}]; null y values are gaps.
  update(series, xMax) {
    const { width, height, log, title, percent } = this.options;
    const m = { left: 46, right: 12, top: 22, bottom: 24 };
    const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" });
    svg.append(node("text", { x: m.left, y: 14, class: "chart-title" }, title ?? ""));
    const ys = [];
    for (const s of series) for (const [, y] of s.points) if (y !== null && Number.isFinite(y) && (!log || y > 0)) ys.push(y);
    let lo = this.options.yMin ?? (ys.length ? Math.min(...ys) : 0);
    let hi = this.options.yMax ?? (ys.length ? Math.max(...ys) : 1);
    if (log) {
      lo = Math.log10(Math.max(lo, 1e-12));
      hi = Math.log10(Math.max(hi, 1e-12));
      lo = Math.floor(lo * 2) / 2;
      hi = Math.ceil(hi * 2) / 2;
    }
    if (hi - lo < 1e-12) {
      lo -= log ? 0.5 : 0.5 * Math.abs(lo || 1);
      hi += log ? 0.5 : 0.5 * Math.abs(hi || 1);
    }
    const xHi = Math.max(1, xMax);
    const px = (x) => m.left + (x / xHi) * (width - m.left - m.right);
    const py = (y) => {
      let v = log ? Math.log10(Math.max(y, 1e-12)) : y;
      v = Math.min(hi, Math.max(lo, v)); // a fixed axis clips what falls outside it
      return m.top + (1 - (v - lo) / (hi - lo)) * (height - m.top - m.bottom);
    };
    const axis = node("g", { class: "axis" });
    const yTicks = log
      ? niceTicks(lo, hi, 4).filter((t) => Number.isInteger(t)).map((t) => 10 ** t)
      : niceTicks(lo, hi, 4);
    for (const t of yTicks) {
      const y = py(t);
      axis.append(node("line", { x1: m.left, x2: width - m.right, y1: y, y2: y, class: "grid" }));
      axis.append(node("text", { x: m.left - 5, y: y + 3.5, "text-anchor": "end" }, percent ? `${Math.round(t * 100)}%` : format(t)));
    }
    for (const t of niceTicks(0, xHi, 5)) {
      const x = px(t);
      axis.append(node("line", { x1: x, x2: x, y1: height - m.bottom, y2: height - m.bottom + 4 }));
      axis.append(node("text", { x, y: height - m.bottom + 15, "text-anchor": "middle" }, format(t)));
    }
    axis.append(node("line", { x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom }));
    svg.append(axis);
    for (const s of series) {
      let d = "";
      let pen = false;
      for (const [x, y] of s.points) {
        if (y === null || !Number.isFinite(y) || (log && y <= 0)) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
        pen = true;
      }
      const path = node("path", { d, fill: "none", stroke: s.color, "stroke-width": 2, "stroke-linejoin": "round" });
      if (s.dash) path.setAttribute("stroke-dasharray", s.dash);
      path.append(node("title", {}, s.label ?? ""));
      svg.append(path);
    }
    this.el.replaceChildren(svg);
  }
}
