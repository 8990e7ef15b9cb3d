"""The Jupyter widget: it runs in a real kernel through nbclient and gives compare's result, and
its ES module (the web app's modules joined by bundle.py) renders in Chromium against a harness."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from initlab.explore import messages
from initlab.explore.bundle import widget_module
from initlab.explore.limits import DEFAULT_LIMITS
from initlab.explore.session import Session

from .conftest import WAIT

NOTEBOOK = [
    'import initlab.explore\nw = initlab.explore.explore(dataset="circles", inits=["zeros", "he"])'
    "\nw",
    "w.step(200)\nr = w.result()\nprint(w.iteration, [run.final_cost for run in r.runs])",
    "import initlab\nc = initlab.compare(['zeros', 'he'], iterations=200)\n"
    "assert [x.final_cost for x in c.runs] == [x.final_cost for x in r.runs]\n"
    "assert type(c) is type(r)\nprint('same')",
]


def test_widget_executes_in_a_notebook():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK]
    NotebookClient(notebook, timeout=int(WAIT * 2), kernel_name="python3").execute()
    shown, stepped, same = (cell.outputs for cell in notebook.cells)
    assert "application/vnd.jupyter.widget-view+json" in shown[0]["data"]
    iteration, costs = stepped[0]["text"].split(" ", 1)
    assert iteration == "200"
    assert len(json.loads(costs)) == 2
    printed = [o["text"] for o in same if "text" in o]  # past compare's progress bar (HTML)
    assert printed[0].strip() == "same"


def _session_messages():
    """What a real session sends for a configure and 10 steps (to replay in the browser)."""
    sent: list[dict] = []
    session = Session(lambda m, droppable: sent.append(json.loads(json.dumps(m))), DEFAULT_LIMITS)
    session.start()
    settings = {"dataset": "moons", "inits": "zeros,he", "layers": "auto,8,auto"}
    session.submit(
        messages.parse(json.dumps({"type": "configure", "settings": settings}), DEFAULT_LIMITS)
    )
    session.submit(messages.Step(type="step", n=10))
    session.query(lambda s: None)
    session.close()
    return settings, sent


HARNESS = """
async ([source, settings, replies]) => {
  const listeners = [];
  window.sent = [];
  const model = {
    get: (name) => (name === "settings" ? settings : undefined),
    send: (message) => {
      window.sent.push(message);
      const replay = () => replies.forEach((r) => listeners.forEach((f) => f(r)));
      if (message.type === "configure") setTimeout(replay, 0);
    },
    on: (event, callback) => { if (event === "msg:custom") listeners.push(callback); },
    off: () => {},
  };
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const module = await import(url);
  const el = document.getElementById("app");
  window.cleanup = module.default.render({ model, el });
  return typeof module.render;
}
"""


def test_the_widget_module_renders_in_chromium(page):
    settings, replies = _session_messages()
    page.set_content('<div id="app"></div>')
    kind = page.evaluate(HARNESS, [widget_module(), settings, replies])
    assert kind == "function"
    page.wait_for_function(
        "document.querySelector('[data-testid=\"iteration\"]').dataset.value === '10'",
        timeout=int(WAIT * 1000),
    )
    sent = page.evaluate("window.sent")
    assert sent[0]["type"] == "configure"
    assert sent[0]["settings"]["inits"] == "zeros,he"
    last = replies[-1]
    for k, model in enumerate(last["models"]):
        shown = page.get_attribute(f'[data-testid="cost-{k}"]', "data-value")
        assert float(shown) == model["cost"]
    assert page.locator("canvas.boundary").count() == 2
    assert "moons" in page.get_attribute('[data-testid="copy-command"]', "data-value")
    assert page.errors == []


@pytest.mark.parametrize("bad", ["import x from './y.js';", "export default 3;"])
def test_the_joiner_refuses_forms_it_cannot_read(tmp_path, monkeypatch, bad):
    from initlab.explore import bundle

    (tmp_path / "playground.js").write_text(f"{bad}\nexport function render() {{}}\n")
    monkeypatch.setattr(bundle, "STATIC", tmp_path)
    with pytest.raises(ValueError):
        bundle.widget_module()


def test_the_package_is_callable_as_the_function():
    """``initlab.explore(...)`` works even after a submodule import rebinds the name."""
    import initlab.explore
    import initlab.explore.widget  # noqa: F401  (binds the package in initlab's namespace)

    widget = initlab.explore(dataset="moons", inits=["zeros", "he"], until=10)
    try:
        assert widget.settings["dataset"] == "moons"
        assert widget.settings["inits"] == "zeros,he"
        assert widget.settings["until"] == 10
        widget.step(150)
        assert widget.iteration == 150
        with pytest.raises(initlab.InitlabError):
            widget.step(0)
    finally:
        widget.close()
    with pytest.raises(initlab.InitlabError):
        initlab.explore(inits="he", lr=-1)
