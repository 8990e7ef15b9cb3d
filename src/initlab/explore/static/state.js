// The page's one state object and its URL form.
//
// The URL holds the whole configuration with the CLI's syntax, so a reloaded or shared URL
// reproduces the same run: ?dataset=circles&layers=auto,10,5,auto&activation=relu
// &inits=zeros,random:scale=5,he&lr=0.01&seed=3&until=1000
// Commas, colons and equals signs are left readable in the query (they are legal there).

export const DEFAULTS = Object.freeze({
  dataset: "circles",
  layers: "auto,10,5,auto",
  activation: "relu",
  inits: "zeros,random,he",
  lr: 0.01,
  seed: 3,
  until: null,
});

const KEYS = ["dataset", "layers", "activation", "inits", "lr", "seed", "until"];

// A state from a query string ("?dataset=moons&..."); unknown keys are ignored and bad numbers
// fall back to the defaults (the server validates everything again).
export function fromQuery(search) {
  const params = new URLSearchParams(search);
  const state = { ...DEFAULTS };
  for (const key of KEYS) {
    const value = params.get(key);
    if (value === null || value === "") continue;
    if (key === "lr") {
      const lr = Number(value);
      if (Number.isFinite(lr) && lr > 0) state.lr = lr;
    } else if (key === "seed" || key === "until") {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 0) state[key] = n;
    } else {
      state[key] = value;
    }
  }
  return state;
}

// The query string of a state, keys in a fixed order; `until` only when set.
export function toQuery(state) {
  const parts = [];
  for (const key of KEYS) {
    const value = state[key];
    if (value === null || value === undefined) continue;
    parts.push(`${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%3D/g, "=")}`);
  }
  return "?" + parts.join("&");
}

// What the server's `configure` message takes (everything but `until`, which drives play).
export function settingsOf(state) {
  return {
    dataset: state.dataset,
    layers: state.layers,
    activation: state.activation,
    inits: state.inits,
    lr: Number(state.lr),
    seed: Number(state.seed),
  };
}

// Split a comma-separated spec list the way the CLI does: a piece holding "=" but no ":" continues
// the previous spec's parameters ("variance_scaling:scale=2,mode=fan_avg,he" is two specs).
export function splitSpecs(text) {
  const out = [];
  for (const raw of String(text).split(",")) {
    const piece = raw.trim();
    if (!piece) continue;
    if (piece.includes("=") && !piece.includes(":") && out.length && out[out.length - 1].includes(":")) {
      out[out.length - 1] += "," + piece;
    } else {
      out.push(piece);
    }
  }
  return out;
}
