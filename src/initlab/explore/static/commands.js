// The command line and the Python call that reproduce what the page shows at an iteration.
//
// `initlab compare --iterations N` ends with the cost the page shows at iteration N for the same
// settings, because both train with initlab's engine from the same initial weights.

import { splitSpecs } from "./state.js";

const SAFE = /^[A-Za-z0-9_,.:=+\-/@%]+$/;

function shellQuote(text) {
  const s = String(text);
  return SAFE.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

function pyString(text) {
  return JSON.stringify(String(text));
}

// A learning rate as Python and the CLI read it back: the shortest text of the same double.
function numberText(x) {
  return String(Number(x));
}

export function compareCommand(state, iterations) {
  const n = Math.max(1, iterations | 0);
  return [
    "initlab compare",
    `--dataset ${shellQuote(state.dataset)}`,
    `--layers ${shellQuote(state.layers)}`,
    `--activation ${shellQuote(state.activation)}`,
    `--inits ${shellQuote(state.inits)}`,
    `--lr ${numberText(state.lr)}`,
    `--seed ${Number(state.seed)}`,
    `--iterations ${n}`,
  ].join(" ");
}

export function pythonCall(state, iterations) {
  const n = Math.max(1, iterations | 0);
  const inits = splitSpecs(state.inits).map(pyString).join(", ");
  return (
    "import initlab\n\n" +
    `result = initlab.compare(\n` +
    `    [${inits}],\n` +
    `    layers=${pyString(state.layers)},\n` +
    `    dataset=${pyString(state.dataset)},\n` +
    `    activation=${pyString(state.activation)},\n` +
    `    lr=${numberText(state.lr)},\n` +
    `    seed=${Number(state.seed)},\n` +
    `    iterations=${n},\n` +
    `)\nresult.table()`
  );
}
