// The network panel: hidden layers with their widths and activations, and residual blocks
// (res<width>x<blocks>), added and removed.
//
// The first and last sizes stay as written ("auto": the data's features in, the output units its
// labels need out); the hidden layers are edited here. One activation for every layer is written
// once ("relu"); different ones as a list ("relu,tanh"), as the CLI takes them.

import { splitSpecs } from "./state.js";
import { row } from "./dataset.js";

// A hidden item is a width (a number) or residual blocks {width, blocks, m}: "res8x4" is 4
// blocks x + α·f(x) of width 8, "res8x4:2" with two layers per branch (the CLI's form).
const RESIDUAL = /^res(\d+)x(\d+)(?::(\d+))?$/i;

function parseItem(text) {
  const match = RESIDUAL.exec(text);
  if (!match) return Number(text);
  return { width: Number(match[1]), blocks: Number(match[2]), m: Number(match[3] ?? 1) };
}

function formatItem(item) {
  if (typeof item === "number") return String(item);
  return `res${item.width}x${item.blocks}` + (item.m > 1 ? `:${item.m}` : "");
}

// Hidden layers an item stands for: one for a width, blocks × m for residual blocks.
const span = (item) => (typeof item === "number" ? 1 : item.blocks * item.m);

export function parseNetwork(layers, activation) {
  const sizes = String(layers).split(",").map((s) => s.trim()).filter(Boolean);
  const first = sizes[0] ?? "auto";
  const last = sizes.length > 1 ? sizes[sizes.length - 1] : "auto";
  const hidden = sizes.slice(1, -1).map(parseItem);
  const acts = splitSpecs(activation);
  const total = hidden.reduce((n, item) => n + span(item), 0);
  const starts = hidden.map((_, i) => hidden.slice(0, i).reduce((n, item) => n + span(item), 0));
  const perLayer = hidden.map((_, i) => (acts.length === total ? acts[starts[i]] : acts[0] ?? "relu"));
  return { first, last, hidden, activations: perLayer };
}

export function formatNetwork({ first, last, hidden, activations }) {
  const layers = [first, ...hidden.map(formatItem), last].join(",");
  const same = activations.every((a) => a === activations[0]);
  const each = hidden.flatMap((item, i) => Array(span(item)).fill(activations[i]));
  const activation = activations.length === 0 ? "relu" : same ? activations[0] : each.join(",");
  return { layers, activation };
}

function numberInput(value, max, title, testid, onValue) {
  const input = document.createElement("input");
  input.type = "number";
  input.min = "1";
  input.max = String(max);
  input.value = String(value);
  input.title = title;
  if (testid) input.dataset.testid = testid;
  input.addEventListener("change", () => {
    const n = Math.round(Number(input.value));
    onValue(Math.min(max, Math.max(1, Number.isFinite(n) ? n : 1)));
  });
  return input;
}

// `onChange({layers, activation})` after every edit.
export function networkPanel(el, { layers, activation, choices, maxLayers, maxWidth, maxBlocks = 64, onChange }) {
  const net = parseNetwork(layers, activation);
  el.innerHTML = "";
  const list = document.createElement("div");
  list.className = "layers-edit";
  const emit = () => onChange(formatNetwork(net));
  net.hidden.forEach((item, i) => {
    const a = document.createElement("select");
    const options = choices.includes(net.activations[i]) ? choices : [net.activations[i], ...choices];
    for (const c of options) a.add(new Option(c, c, false, c === net.activations[i]));
    a.addEventListener("change", () => {
      net.activations[i] = a.value;
      emit();
    });
    const remove = document.createElement("button");
    remove.textContent = "−";
    remove.title = `remove hidden item ${i + 1}`;
    remove.className = "small";
    remove.addEventListener("click", () => {
      net.hidden.splice(i, 1);
      net.activations.splice(i, 1);
      emit();
    });
    let line;
    if (typeof item === "number") {
      const w = numberInput(item, maxWidth, `units of hidden layer ${i + 1}`, "", (n) => {
        net.hidden[i] = n;
        emit();
      });
      line = row(`layer ${i + 1}`, w);
    } else {
      const w = numberInput(item.width, maxWidth, "width of the blocks (the layer before has it too)",
        `residual-width-${i}`, (n) => { item.width = n; emit(); });
      const b = numberInput(item.blocks, maxBlocks, "residual blocks x + α·f(x)",
        `residual-blocks-${i}`, (n) => { item.blocks = n; emit(); });
      const m = document.createElement("select");
      m.title = "layers per branch f";
      for (const k of [1, 2]) m.add(new Option(`${k} per branch`, String(k), false, k === item.m));
      m.addEventListener("change", () => {
        item.m = Number(m.value);
        emit();
      });
      line = row(`res ${i + 1}`, w);
      line.append(" × ", b, m);
    }
    line.append(a, remove);
    list.append(line);
  });
  const plain = net.hidden.filter((item) => typeof item === "number").length;
  const blocks = net.hidden.reduce((n, item) => n + (typeof item === "number" ? 0 : item.blocks), 0);
  const add = document.createElement("button");
  add.textContent = "+ hidden layer";
  add.className = "small";
  add.disabled = plain >= maxLayers;
  const lastWidth = () => {
    const item = net.hidden[net.hidden.length - 1];
    return item === undefined ? 8 : typeof item === "number" ? item : item.width;
  };
  const lastActivation = () => (net.activations.length ? net.activations[net.activations.length - 1] : "relu");
  add.addEventListener("click", () => {
    net.hidden.push(lastWidth());
    net.activations.push(lastActivation());
    emit();
  });
  // residual blocks add their input to their output, so they follow a layer of their width
  const addResidual = document.createElement("button");
  addResidual.textContent = "+ residual blocks";
  addResidual.className = "small";
  addResidual.dataset.testid = "add-residual";
  addResidual.disabled = blocks + 4 > maxBlocks || (net.hidden.length === 0 && plain >= maxLayers);
  addResidual.addEventListener("click", () => {
    if (net.hidden.length === 0) {
      net.hidden.push(8);
      net.activations.push("relu");
    }
    net.hidden.push({ width: lastWidth(), blocks: 4, m: 1 });
    net.activations.push(lastActivation());
    emit();
  });
  const io = document.createElement("div");
  io.className = "note";
  io.textContent = `in: ${net.first} · out: ${net.last} (auto = from the data)`;
  el.append(list, add, addResidual, io);
}
