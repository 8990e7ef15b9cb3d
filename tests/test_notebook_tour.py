"""The tour notebook (notebooks/initlab-tour.ipynb), executed as it is in a real Jupyter kernel
(nbclient): its last cell displays the comparison's rich HTML, with the table, the verdicts and
the figures inline, beside the short text repr."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TOUR = Path(__file__).resolve().parents[1] / "notebooks" / "initlab-tour.ipynb"


def test_the_tour_shows_the_comparison_as_html_with_its_figures(tmp_path: Path, monkeypatch):
    notebook = nbformat.read(TOUR, as_version=4)
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    monkeypatch.setenv("PATH", path)  # the kernel runs this interpreter's ``python``
    source = str(Path(__file__).resolve().parents[1] / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]))
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    last = notebook.cells[-1]
    assert last.source.strip() == "result"
    (shown,) = [o for o in last.outputs if o.get("output_type") == "execute_result"]
    html, text = shown["data"]["text/html"], shown["data"]["text/plain"]
    assert text.startswith("Comparison: 2-10-5-1 network") and len(text.splitlines()) == 4
    assert "<table" in html and "class='lesson'" in html
    for init in ("zeros", "random:scale=10.0", "he"):
        assert init in html
    assert "fails to break symmetry" in html  # the verdicts
    assert "%" in html and "0.5</td>" not in html  # accuracies as percentages, not fractions
    figures = html.count("<img")
    assert figures >= 4 and html.count("data:image/png;base64,") == figures
