// The playground: wires the state, the controls, the panels and the charts to a session.
//
// `render({model, el})` is an anywidget front end: in Jupyter `model` is the widget's model, in
// the web app it is the WebSocket adapter of socket.js. Either way the page sends the session
// messages with model.send(...) and draws the frames it receives on "msg:custom".
//
// Test contract (docs/explorer.md): data-testid play, pause, step, rewind, new-seed, iteration
// (data-value: updates done), cost-0, cost-1, … (data-value: that model's training cost now, full
// precision), copy-command (data-value: the command text).

import { DEFAULTS, settingsOf, splitSpecs, toQuery } from "./state.js";
import { dataPanel, drawPoints, enoughPoints, fromPixels, pointsCsv, row } from "./dataset.js";
import { decode, drawBoundary } from "./heatmap.js";
import { LineChart } from "./linechart.js";
import { networkPanel } from "./network.js";
import { drawHistograms, drawLayers, logRange } from "./layers.js";
import { compareCommand, pythonCall } from "./commands.js";

export const INIT_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
const MAX_CURVE_POINTS = 1500;
const BOUNDARY_PX = 260;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "testid") el.dataset.testid = v;
    else if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function percent(v) {
  return v === null || v === undefined ? "—" : `${(100 * v).toFixed(1)}%`;
}

function shortCost(v) {
  return v === null || v === undefined ? "diverged" : v >= 1000 ? v.toExponential(3) : v.toPrecision(4);
}

export function render({ model, el }) {
  const syncUrl = Boolean(model.get("sync_url"));
  const state = { ...DEFAULTS, ...(model.get("settings") || {}) };
  const view = {
    ready: null,
    frame: null,
    running: false,
    curves: [],
    upload: null,
    stepSize: 1,
    pendingUntil: state.until,
    drawQueued: false,
    points: null, // hand-drawn points [[x, y, class], ...] once the user has clicked or cleared
    whyView: "bars", // or "histograms"
  };

  // -- the skeleton ------------------------------------------------------------------------------
  const button = (label, testid, onclick, title) => h("button", { testid, onclick, title, type: "button" }, label);
  const play = button("▶ Play", "play", () => model.send({ type: "play", until: null }), "train until paused");
  const pause = button("❚❚ Pause", "pause", () => model.send({ type: "pause" }), "stop after this segment");
  const step = button("Step", "step", () => model.send({ type: "step", n: view.stepSize }), "train this many more iterations");
  const sizes = h("span", { class: "segmented" });
  for (const n of [1, 10, 100]) {
    const b = h("button", { type: "button", class: n === 1 ? "on" : "", testid: `step-${n}` }, String(n));
    b.addEventListener("click", () => {
      view.stepSize = n;
      for (const other of sizes.children) other.classList.toggle("on", other === b);
    });
    sizes.append(b);
  }
  const rewind = button("⟲ Rewind", "rewind", () => model.send({ type: "rewind" }), "back to the same initial weights");
  const newSeed = button("New seed", "new-seed", () => {
    state.seed = Math.floor(Math.random() * 2 ** 31);
    seed.value = String(state.seed);
    configure();
  }, "draw new initial weights");
  const iteration = h("span", { testid: "iteration", class: "iteration", "data-value": "0" }, "0");
  const lr = h("input", { type: "number", step: "any", min: "0", value: String(state.lr), class: "short", testid: "lr" });
  lr.addEventListener("change", () => {
    const v = Number(lr.value);
    if (Number.isFinite(v) && v > 0) {
      state.lr = v;
      configure();
    }
  });
  const seed = h("input", { type: "number", step: "1", min: "0", value: String(state.seed), class: "short", testid: "seed" });
  seed.addEventListener("change", () => {
    const v = Number(seed.value);
    if (Number.isInteger(v) && v >= 0) {
      state.seed = v;
      configure();
    }
  });
  const speed = h("input", { type: "range", min: "1", max: "3.8", step: "0.1", value: String(Math.log10(2000)), title: "updates per second" });
  const speedText = h("span", { class: "note" }, "2000/s");
  speed.addEventListener("input", () => {
    const ups = Math.round(10 ** Number(speed.value));
    speedText.textContent = `${ups}/s`;
    model.send({ type: "speed", updates_per_second: ups });
  });
  const copyCommand = button("Copy command", "copy-command", () => copy(copyCommand.dataset.value));
  const copyPython = button("Copy Python", "copy-python", () => copy(copyPython.dataset.value));
  const download = button("Download JSON", "download", () => downloadJson());
  const report = button("Report & figures", "report", () => {
    status.classList.remove("error");
    status.textContent = "building initlab compare's report…";
    model.send({ type: "report" });
  }, "the report, figures and results.json initlab compare writes for this iteration");
  const files = h("span", { class: "files", testid: "files" });
  const status = h("div", { class: "status", testid: "status", role: "status" });

  const toolbar = h(
    "div",
    { class: "toolbar" },
    h("div", { class: "brand" }, h("b", {}, "initlab"), " explore"),
    h("div", { class: "group" }, play, pause, step, sizes, rewind, newSeed),
    h("div", { class: "group" }, h("span", { class: "label" }, "iteration"), iteration),
    h("div", { class: "group" }, h("label", {}, "learning rate ", lr), h("label", {}, "seed ", seed), h("label", { class: "speed" }, "speed ", speed, speedText)),
  );
  const dataBox = h("div", { class: "box" });
  const netBox = h("div", { class: "box" });
  const initText = h("input", { value: state.inits, testid: "inits", class: "wide", title: "initializers, comma-separated, CLI syntax (random:scale=5)" });
  initText.addEventListener("change", () => {
    state.inits = initText.value.trim();
    configure();
  });
  const initAdd = h("select", { title: "add an initializer from initlab's registry" });
  initAdd.addEventListener("change", () => {
    if (!initAdd.value) return;
    const list = splitSpecs(state.inits);
    list.push(initAdd.value);
    state.inits = list.join(",");
    initText.value = state.inits;
    initAdd.value = "";
    configure();
  });
  const initBox = h("div", { class: "box" }, row("inits", initText), row("add", initAdd), h("div", { class: "note" }, "up to 8, e.g. zeros,random:scale=5,he,lsuv"));
  const sidebar = h(
    "aside",
    { class: "sidebar" },
    h("h3", {}, "Data"),
    dataBox,
    h("h3", {}, "Network"),
    netBox,
    h("h3", {}, "Initializers"),
    initBox,
  );
  const costChart = h("div", { class: "chart-box" });
  const accChart = h("div", { class: "chart-box" });
  const charts = h("div", { class: "charts" }, costChart, accChart);
  const legend = h("div", { class: "legend" });
  const whyView = h("span", { class: "segmented", testid: "why-view", title: "the why, layer by layer" });
  for (const [mode, text] of [["bars", "spread & gradient"], ["histograms", "histograms of z, ∂C/∂z"]]) {
    const b = h("button", { type: "button", class: mode === view.whyView ? "on" : "", testid: `why-${mode}` }, text);
    b.addEventListener("click", () => {
      view.whyView = mode;
      for (const other of whyView.children) other.classList.toggle("on", other === b);
      queueDraw();
    });
    whyView.append(b);
  }
  const legendBox = h("div", { class: "legend-box" }, legend, h("div", { class: "note" }, "why, layer by layer:"), whyView);
  const panels = h("div", { class: "panels" });
  const commandLine = h("code", { class: "command", testid: "command-text" });
  const footer = h("div", { class: "share" }, copyCommand, copyPython, download, report, files, commandLine);
  const main = h("main", { class: "main" }, status, h("div", { class: "top" }, charts, legendBox), panels, footer);
  const root = h("div", { class: "initlab-explore" }, toolbar, h("div", { class: "body" }, sidebar, main));
  el.replaceChildren(root);
  const costs = new LineChart(costChart, { title: "training cost (log scale)", log: true });
  const accuracy = new LineChart(accChart, { title: "accuracy: train ━  test ┅", yMin: 0.4, yMax: 1, percent: true });

  // -- talking to the session --------------------------------------------------------------------
  function configure() {
    view.running = false;
    state.until = null;
    model.send({ type: "configure", settings: settingsOf(state), csv: view.upload });
    writeUrl();
  }

  function writeUrl() {
    if (!syncUrl) return;
    const token = new URLSearchParams(window.location.search).get("token");
    const query = toQuery(state) + (token ? `&token=${encodeURIComponent(token)}` : "");
    window.history.replaceState(null, "", window.location.pathname + query);
  }

  function onMessage(message) {
    if (message.type === "ready") onReady(message);
    else if (message.type === "frame") onFrame(message);
    else if (message.type === "error") showError(message.message);
    else if (message.type === "report") onReport(message);
  }

  function showError(text) {
    status.textContent = text;
    status.classList.add("error");
  }

  function clearError() {
    status.textContent = "";
    status.classList.remove("error");
  }

  function onReady(ready) {
    clearError();
    view.ready = ready;
    view.frame = null;
    view.curves = ready.inits.map(() => []);
    Object.assign(state, ready.settings);
    initText.value = state.inits;
    lr.value = String(state.lr);
    seed.value = String(state.seed);
    accuracy.options.yMin = ready.n_classes > 2 ? 0 : 0.4; // chance level stays on the chart
    buildSidebar(ready);
    buildPanels(ready);
    for (const old of files.querySelectorAll("a")) URL.revokeObjectURL(old.href);
    files.replaceChildren();
    if (view.upload) {
      // the data the command names: csv:NAME is this file
      const blob = new Blob([view.upload.content], { type: "text/csv" });
      files.append(h("a", { href: URL.createObjectURL(blob), download: view.upload.name, class: "file", testid: "data-file" }, view.upload.name));
    }
    if (view.pendingUntil !== null && view.pendingUntil !== undefined) {
      model.send({ type: "play", until: view.pendingUntil });
      view.pendingUntil = null;
    }
  }

  function onFrame(frame) {
    if (!view.ready || frame.models.length !== view.ready.inits.length) return;
    const last = view.frame?.iteration ?? -1;
    if (frame.iteration < last || frame.iteration === 0) view.curves = view.ready.inits.map(() => []);
    frame.models.forEach((m, k) => {
      if (frame.iteration === last && view.curves[k].length) view.curves[k].pop();
      view.curves[k].push([frame.iteration, m.cost, m.train_accuracy, m.test_accuracy]);
      if (view.curves[k].length > MAX_CURVE_POINTS) view.curves[k] = view.curves[k].filter((_, i) => i % 2 === 0 || i === view.curves[k].length - 1);
    });
    view.frame = frame;
    view.running = frame.running;
    iteration.dataset.value = String(frame.iteration);
    iteration.textContent = frame.iteration.toLocaleString("en-US");
    frame.models.forEach((m, k) => {
      const cell = panels.querySelector(`[data-testid="cost-${k}"]`);
      if (cell) {
        cell.dataset.value = m.cost === null ? "NaN" : String(m.cost);
        cell.textContent = shortCost(m.cost);
      }
    });
    const command = compareCommand(state, frame.iteration);
    copyCommand.dataset.value = command;
    copyPython.dataset.value = pythonCall(state, frame.iteration);
    commandLine.textContent = "$ " + command;
    play.disabled = frame.running;
    pause.disabled = !frame.running;
    if (!frame.running) {
      state.until = frame.iteration > 0 ? frame.iteration : null;
      writeUrl();
    }
    queueDraw();
  }

  function queueDraw() {
    if (!view.drawQueued) {
      view.drawQueued = true;
      requestAnimationFrame(draw);
    }
  }

  // A click on a boundary adds a point (shift: class 1) to the data, which becomes points.csv.
  function addPoint(event, canvas) {
    const { ready } = view;
    if (!ready || ready.projected || ready.n_classes > 2) {
      showError("points can be added to 2-feature, 2-class data only");
      return;
    }
    const box = canvas.getBoundingClientRect();
    const [x, y] = fromPixels(event.clientX - box.left, event.clientY - box.top, ready.extent, box.width, box.height);
    if (view.points === null) view.points = [...ready.train, ...ready.test].map((p) => [...p]);
    view.points.push([x, y, event.shiftKey ? 1 : 0]);
    if (!enoughPoints(view.points)) {
      view.ready = { ...ready, train: view.points, test: [] };
      queueDraw();
      return;
    }
    const content = pointsCsv(view.points);
    view.upload = { name: "points.csv", content, options: "" };
    state.dataset = "csv:points.csv";
    configure();
  }

  // -- building and drawing ----------------------------------------------------------------------
  function buildSidebar(ready) {
    dataPanel(dataBox, {
      choices: ready.choices.datasets,
      spec: state.dataset,
      upload: ready.upload,
      maxBytes: ready.limits.max_csv_bytes,
      onChange: (spec) => {
        view.upload = null;
        view.points = null;
        state.dataset = spec;
        configure();
      },
      onUpload: (upload) => {
        view.points = null;
        view.upload = upload;
        state.dataset = `csv:${upload.name}${upload.options ? "," + upload.options : ""}`;
        configure();
      },
      onError: showError,
      onClear: () => {
        view.points = [];
        status.classList.remove("error");
        status.textContent = "Click the plane to add points of class 0, shift-click for class 1 (2 of each to start).";
        view.ready = { ...view.ready, train: [], test: [] };
        queueDraw();
      },
      drawn: view.points ? view.points.length : 0,
    });
    networkPanel(netBox, {
      layers: state.layers,
      activation: state.activation,
      choices: ready.choices.activations,
      maxLayers: ready.limits.max_hidden_layers,
      maxWidth: ready.limits.max_width,
      maxBlocks: ready.limits.max_residual_blocks,
      onChange: ({ layers, activation }) => {
        state.layers = layers;
        state.activation = activation;
        configure();
      },
    });
    initAdd.replaceChildren(new Option("+ add…", ""), ...ready.choices.inits.map((n) => new Option(n, n)));
  }

  function buildPanels(ready) {
    panels.replaceChildren();
    legend.replaceChildren();
    ready.inits.forEach((spec, k) => {
      const color = INIT_COLORS[k % INIT_COLORS.length];
      const canvas = h("canvas", { width: String(BOUNDARY_PX), height: String(BOUNDARY_PX), class: "boundary", testid: `boundary-${k}` });
      canvas.addEventListener("click", (event) => addPoint(event, canvas));
      const panel = h(
        "section",
        { class: "panel", testid: `panel-${k}`, style: `--init-color:${color}` },
        h("header", {}, h("span", { class: "swatch" }), h("b", {}, spec)),
        h("div", { class: "plot" }, canvas, ready.cells ? null : h("div", { class: "note overlay" }, `${ready.n_features} features: points on their first two principal components, no boundary`)),
        h(
          "div",
          { class: "numbers" },
          h("span", {}, "cost ", h("b", { testid: `cost-${k}`, "data-value": "" }, "…")),
          h("span", {}, "train ", h("b", { testid: `train-${k}` }, "…")),
          h("span", {}, "test ", h("b", { testid: `test-${k}` }, "…")),
        ),
        h("div", { class: "verdict", testid: `verdict-${k}` }),
        h("div", { class: "why-layers", testid: `layers-${k}` }),
        h("p", { class: "why", testid: `why-${k}` }),
      );
      panels.append(panel);
      legend.append(h("span", { class: "key", style: `--init-color:${color}` }, h("span", { class: "swatch" }), spec));
    });
  }

  function draw() {
    view.drawQueued = false;
    const { ready, frame } = view;
    if (!ready || !frame) return;
    if (frame.models.length !== ready.inits.length) return;
    const stds = frame.models.flatMap((m) => [...m.layers.pre_std, ...(ready.theory[frame.models.indexOf(m)]?.pre_std ?? [])]);
    const grads = frame.models.flatMap((m, k) => [...m.layers.grad_z, ...(ready.theory[k]?.grad_z ?? [])]);
    const ranges = { std: logRange(stds), grad: logRange(grads) };
    frame.models.forEach((m, k) => {
      const panel = panels.children[k];
      if (!panel) return;
      const canvas = panel.querySelector("canvas");
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fafafa";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (m.boundary && ready.cells) drawBoundary(ctx, decode(m.boundary), ready.cells, ready.n_classes);
      drawPoints(ctx, ready.train, ready.extent);
      drawPoints(ctx, ready.test, ready.extent, { hollow: true });
      if (m.diverged_at !== null) {
        ctx.fillStyle = "rgba(255,255,255,0.75)";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = "#b00";
        ctx.font = "bold 16px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.fillText(`diverged at iteration ${m.diverged_at}`, canvas.width / 2, canvas.height / 2);
      }
      panel.querySelector(`[data-testid="train-${k}"]`).textContent = percent(m.train_accuracy);
      panel.querySelector(`[data-testid="test-${k}"]`).textContent = percent(m.test_accuracy);
      panel.querySelector(".verdict").textContent = m.verdict;
      if (m.why) panel.querySelector(".why").textContent = m.why;
      const drawWhy = view.whyView === "histograms" ? drawHistograms : drawLayers;
      drawWhy(panel.querySelector(".why-layers"), {
        sizes: ready.sizes,
        activations: ready.activations,
        output: ready.output,
        now: m.layers,
        theory: ready.theory[k],
        verdict: m.verdict,
        color: INIT_COLORS[k % INIT_COLORS.length],
        index: k,
        ranges,
      });
    });
    const xMax = Math.max(frame.iteration, 10);
    costs.update(
      view.curves.map((points, k) => ({
        color: INIT_COLORS[k % INIT_COLORS.length],
        label: ready.inits[k],
        points: points.map(([i, c]) => [i, c]),
      })),
      xMax,
    );
    accuracy.update(
      view.curves.flatMap((points, k) => [
        { color: INIT_COLORS[k % INIT_COLORS.length], label: `${ready.inits[k]} train`, points: points.map(([i, , a]) => [i, a]) },
        { color: INIT_COLORS[k % INIT_COLORS.length], dash: "4 3", label: `${ready.inits[k]} test`, points: points.map(([i, , , t]) => [i, t]) },
      ]),
      xMax,
    );
  }

  // -- sharing -----------------------------------------------------------------------------------
  function onReport(message) {
    clearError();
    const links = Object.entries(message.files).map(([name, content]) => {
      const blob = content.text !== undefined
        ? new Blob([content.text], { type: name.endsWith(".html") ? "text/html" : "text/plain" })
        : new Blob([decode(content.base64)], { type: "image/png" });
      return h("a", { href: URL.createObjectURL(blob), download: name, class: "file" }, name);
    });
    for (const old of files.querySelectorAll("a:not([data-testid])")) URL.revokeObjectURL(old.href);
    const data = files.querySelector('[data-testid="data-file"]');
    files.replaceChildren(...(data ? [data] : []), h("span", { class: "note" }, `iteration ${message.iteration}:`), ...links);
  }

  function copy(text) {
    if (!text) return;
    const done = () => {
      status.classList.remove("error");
      status.textContent = "copied";
      setTimeout(() => {
        if (status.textContent === "copied") status.textContent = "";
      }, 1200);
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    else fallbackCopy(text, done);
  }

  function fallbackCopy(text, done) {
    const area = h("textarea", {}, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    done();
  }

  function downloadJson() {
    const { ready, frame } = view;
    if (!ready || !frame) return;
    const run = {
      settings: settingsOf(state),
      dataset: ready.dataset,
      sizes: ready.sizes,
      activations: ready.activations,
      output: ready.output,
      iteration: frame.iteration,
      command: compareCommand(state, frame.iteration),
      python: pythonCall(state, frame.iteration),
      runs: ready.inits.map((init, k) => ({
        init,
        cost: frame.models[k].cost,
        train_accuracy: frame.models[k].train_accuracy,
        test_accuracy: frame.models[k].test_accuracy,
        diverged_at: frame.models[k].diverged_at,
        verdict: frame.models[k].verdict,
        layers: frame.models[k].layers,
        theory: ready.theory[k],
        curve: view.curves[k].map(([i, c, a, t]) => ({ iteration: i, cost: c, train_accuracy: a, test_accuracy: t })),
      })),
    };
    const blob = new Blob([JSON.stringify(run, null, 2)], { type: "application/json" });
    const a = h("a", { href: URL.createObjectURL(blob), download: `initlab-explore-${frame.iteration}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  model.on("msg:custom", onMessage);
  configure();
  return () => {
    model.off?.("msg:custom", onMessage);
    model.close?.();
  };
}
