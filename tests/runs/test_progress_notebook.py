"""The progress bar in a real notebook: executed in a Jupyter kernel (nbclient), the bar is one
HTML display, updated in place to the end of training."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELLS = [
    "import initlab",
    "r = initlab.compare(['zeros', 'he'], iterations=300, every=100, engine='numpy')",
    "r = initlab.compare(['he'], iterations=300, engine='numpy', progress=False)",
]


def test_a_notebook_shows_one_bar_updated_to_the_end(tmp_path: Path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    monkeypatch.setenv("PATH", path)  # the kernel runs this interpreter's ``python``
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    bars = [o for o in notebook.cells[1].outputs if o.get("output_type") == "display_data"]
    assert len(bars) == 1  # one display, updated in place (not one output per update)
    html = bars[0]["data"]["text/html"]
    assert "<progress" in html and "300/300 iterations" in html, html
    assert notebook.cells[2].outputs == []  # progress=False: nothing at all
