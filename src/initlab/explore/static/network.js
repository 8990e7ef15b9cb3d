// The network panel: hidden layers with their widths and activations, added and removed.
//
// The first and last sizes stay as written ("auto": the data's features in, the output units its
// labels need out); the hidden layers are edited here. One activation for every layer is written
// once ("relu"); different ones as a list ("relu,tanh"), as the CLI takes them.

import { splitSpecs } from "./state.js";
import { row } from "./dataset.js";

export function parseNetwork(layers, activation) {
  const sizes = String(layers).split(",").map((s) => s.trim()).filter(Boolean);
  const first = sizes[0] ?? "auto";
  const last = sizes.length > 1 ? sizes[sizes.length - 1] : "auto";
  const hidden = sizes.slice(1, -1).map((s) => Number(s));
  const acts = splitSpecs(activation);
  const perLayer = hidden.map((_, i) => (acts.length === hidden.length ? acts[i] : acts[0] ?? "relu"));
  return { first, last, hidden, activations: perLayer };
}

export function formatNetwork({ first, last, hidden, activations }) {
  const layers = [first, ...hidden, last].join(",");
  const same = activations.every((a) => a === activations[0]);
  const activation = activations.length === 0 ? "relu" : same ? activations[0] : activations.join(",");
  return { layers, activation };
}

// `onChange({layers, activation})` after every edit.
export function networkPanel(el, { layers, activation, choices, maxLayers, maxWidth, onChange }) {
  const net = parseNetwork(layers, activation);
  el.innerHTML = "";
  const list = document.createElement("div");
  list.className = "layers-edit";
  const emit = () => onChange(formatNetwork(net));
  net.hidden.forEach((width, i) => {
    const w = document.createElement("input");
    w.type = "number";
    w.min = "1";
    w.max = String(maxWidth);
    w.value = String(width);
    w.title = `units of hidden layer ${i + 1}`;
    w.addEventListener("change", () => {
      const n = Math.round(Number(w.value));
      net.hidden[i] = Math.min(maxWidth, Math.max(1, Number.isFinite(n) ? n : 1));
      emit();
    });
    const a = document.createElement("select");
    const options = choices.includes(net.activations[i]) ? choices : [net.activations[i], ...choices];
    for (const c of options) a.add(new Option(c, c, false, c === net.activations[i]));
    a.addEventListener("change", () => {
      net.activations[i] = a.value;
      emit();
    });
    const remove = document.createElement("button");
    remove.textContent = "−";
    remove.title = `remove hidden layer ${i + 1}`;
    remove.className = "small";
    remove.addEventListener("click", () => {
      net.hidden.splice(i, 1);
      net.activations.splice(i, 1);
      emit();
    });
    const line = row(`layer ${i + 1}`, w);
    line.append(a, remove);
    list.append(line);
  });
  const add = document.createElement("button");
  add.textContent = "+ hidden layer";
  add.className = "small";
  add.disabled = net.hidden.length >= maxLayers;
  add.addEventListener("click", () => {
    net.hidden.push(net.hidden.length ? net.hidden[net.hidden.length - 1] : 8);
    net.activations.push(net.activations.length ? net.activations[net.activations.length - 1] : "relu");
    emit();
  });
  const io = document.createElement("div");
  io.className = "note";
  io.textContent = `in: ${net.first} · out: ${net.last} (auto = from the data)`;
  el.append(list, add, io);
}
