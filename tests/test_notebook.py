"""initlab in a notebook: executed for real in a Jupyter kernel (nbclient), as a learner runs it.

``import initlab`` must leave the user's matplotlib backend alone: with ``%matplotlib inline``, a
pyplot figure drawn after ``import initlab`` and after ``initlab.compare(...)`` still shows, and
initlab's own figures display inline too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import initlab

CELLS = [
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport initlab",
    "plt.plot([0, 1], [1, 0])\nplt.show()",
    "result = initlab.compare(['zeros', 'he'], iterations=200, every=100, engine='numpy')\n"
    "print(result.run('he').final_cost)",
    "import matplotlib\nprint(matplotlib.get_backend())\nplt.plot([0, 1], [0, 1])\nplt.show()",
    "result.plot()",
]


def _images(cell) -> int:
    return sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def test_pyplot_figures_still_show_after_import_initlab_and_compare(tmp_path: Path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    monkeypatch.setenv("PATH", path)  # the kernel runs this interpreter's ``python``
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    cells = notebook.cells
    assert _images(cells[1]) == 1, "a pyplot figure after import initlab"
    he_cost = float(next(o["text"] for o in cells[2].outputs if "text" in o).strip())
    direct = initlab.compare(["zeros", "he"], iterations=200, every=100, engine="numpy")
    assert he_cost == direct.run("he").final_cost
    backend = cells[3].outputs[0]["text"].splitlines()[0]
    assert "inline" in backend, backend
    assert _images(cells[3]) == 1, "a pyplot figure after initlab.compare"
    assert _images(cells[4]) == 1, "initlab's own figure displays inline"
