// The data: class colours, the points on the plane, the data panel (built-in datasets with their
// noise and size, or a CSV file whose content is uploaded — never a path on the server).

export const CLASS_COLORS = ["#f59322", "#0877bd", "#2ca25f", "#d7301f", "#756bb1", "#636363", "#e7298a", "#66a61e"];

export function classColor(c) {
  return CLASS_COLORS[c % CLASS_COLORS.length];
}

// "moons:noise=0.2,n_samples=500" -> {name: "moons", params: {noise: "0.2", n_samples: "500"}}
export function parseDataset(spec) {
  const [name, rest = ""] = String(spec).split(/:(.*)/s);
  const params = {};
  for (const item of rest.split(",")) {
    const [key, value] = item.split("=");
    if (key && value !== undefined) params[key.trim()] = value.trim();
  }
  return { name: name.trim(), params };
}

export function datasetSpec(name, params) {
  const items = Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined);
  return items.length ? `${name}:${items.map(([k, v]) => `${k}=${v}`).join(",")}` : name;
}

// Map a point of the plane to canvas pixels.
export function toPixels(x, y, extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  return [((x - x0) / (x1 - x0)) * width, ((y1 - y) / (y1 - y0)) * height];
}

// Training points filled, test points hollow, as the report draws them.
export function drawPoints(ctx, points, extent, { hollow = false, radius = 3 } = {}) {
  const { width, height } = ctx.canvas;
  ctx.save();
  ctx.lineWidth = 1.2;
  for (const [x, y, c] of points) {
    const [px, py] = toPixels(x, y, extent, width, height);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    if (hollow) {
      ctx.strokeStyle = classColor(c);
      ctx.stroke();
    } else {
      ctx.fillStyle = classColor(c);
      ctx.fill();
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.stroke();
    }
  }
  ctx.restore();
}

// A point of the plane from a click on a canvas showing `extent`.
export function fromPixels(px, py, extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  return [x0 + (px / width) * (x1 - x0), y1 - (py / height) * (y1 - y0)];
}

// Points drawn by hand as a CSV file (x1, x2, label): they travel as an upload, so the command
// that reproduces the page is `initlab compare --dataset csv:points.csv` with this file.
export function pointsCsv(points) {
  const rows = points.map(([x, y, c]) => `${x.toFixed(4)},${y.toFixed(4)},${c}`);
  return ["x1,x2,label", ...rows].join("\n") + "\n";
}

// Whether hand-drawn points can train: two classes with at least 2 points each (one for the
// training split, one for the test split).
export function enoughPoints(points) {
  const counts = new Map();
  for (const [, , c] of points) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts.size >= 2 && [...counts.values()].every((n) => n >= 2);
}

// A CSV file's content for the `configure` message, or an Error with a clear message.
export async function readUpload(file, maxBytes) {
  if (file.size > maxBytes) {
    throw new Error(`${file.name} has ${file.size.toLocaleString()} bytes; the limit is ${maxBytes.toLocaleString()}`);
  }
  return { name: file.name.replace(/[/\\]/g, "_"), content: await file.text() };
}

// The data panel. `choices` are the server's generated datasets; `onChange(spec)` is called with
// a new dataset spec, `onUpload({name, content, options})` with an uploaded file.
export function dataPanel(el, { choices, spec, upload, maxBytes, onChange, onUpload, onError, onClear, drawn }) {
  const { name, params } = parseDataset(spec);
  el.innerHTML = "";
  const select = document.createElement("select");
  select.dataset.testid = "dataset";
  for (const choice of choices) select.add(new Option(choice, choice, false, choice === name));
  const noise = numberField("noise", params.noise ?? "", "0.05", "0.01");
  const size = numberField("samples", params.n_samples ?? "", "300", "10");
  const emit = () => {
    const next = { ...params, noise: noise.input.value, n_samples: size.input.value };
    onChange(datasetSpec(select.value, next));
  };
  select.addEventListener("change", () => {
    noise.input.value = "";
    size.input.value = "";
    onChange(select.value);
  });
  noise.input.addEventListener("change", emit);
  size.input.addEventListener("change", emit);
  el.append(row("dataset", select), noise.row, size.row);

  const file = document.createElement("input");
  file.type = "file";
  file.accept = ".csv,text/csv";
  file.dataset.testid = "csv";
  const options = document.createElement("input");
  options.placeholder = "label=species,standardize=true";
  options.title = "CSV options, as after csv:FILE in the CLI";
  const note = document.createElement("div");
  note.className = "note";
  note.textContent = upload ? `using ${upload}` : "numeric feature columns; the label last (or label=NAME)";
  file.addEventListener("change", async () => {
    if (!file.files.length) return;
    try {
      const content = await readUpload(file.files[0], maxBytes);
      onUpload({ ...content, options: options.value.trim() });
    } catch (error) {
      onError(error.message);
    }
  });
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "small";
  clear.textContent = "Clear: draw your own";
  clear.dataset.testid = "clear-points";
  clear.addEventListener("click", onClear);
  const hint = document.createElement("div");
  hint.className = "note";
  hint.textContent = drawn
    ? `${drawn} points drawn: click a boundary to add class 0, shift-click class 1`
    : "click a boundary to add a point (shift-click: the other class)";
  el.append(row("CSV file", file), row("options", options), note, clear, hint);
}

function numberField(label, value, placeholder, step) {
  const input = document.createElement("input");
  input.type = "number";
  input.step = step;
  input.min = "0";
  input.value = value;
  input.placeholder = placeholder;
  return { input, row: row(label, input) };
}

export function row(label, control) {
  const wrap = document.createElement("label");
  wrap.className = "row";
  const span = document.createElement("span");
  span.textContent = label;
  wrap.append(span, control);
  return wrap;
}
