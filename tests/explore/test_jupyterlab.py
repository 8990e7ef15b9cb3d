"""The widget in a real JupyterLab page opened in Chromium: run the notebook's cell, the
playground renders, trains to ``until`` and shows initlab.compare's numbers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import nbformat
import pytest

import initlab

from .conftest import WAIT

TOKEN = "lab-token-0123456789"
CELL = (
    "import initlab.explore\n"
    'w = initlab.explore(dataset="circles", inits=["zeros", "he"], until=200)\n'
    "w"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, tmp_path / "explore.ipynb")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={tmp_path}",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT
    while True:
        try:
            if httpx.get(f"{base}/api/status?token={TOKEN}").status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "JupyterLab did not start"
        time.sleep(0.2)
    yield f"{base}/lab/tree/explore.ipynb?token={TOKEN}"
    process.terminate()
    process.wait(WAIT)


def test_the_widget_renders_and_trains_in_jupyterlab(lab, page):
    ms = int(WAIT * 1000) * 2
    page.goto(lab)
    cell = page.locator(".jp-Cell .jp-InputArea-editor").first
    cell.wait_for(timeout=ms)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=ms)  # the kernel is up
    cell.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "(() => { const n = document.querySelector('.initlab-explore [data-testid=\"iteration\"]');"
        " return n !== null && n.dataset.value === '200'; })()",
        timeout=ms,
    )
    page.wait_for_function(
        "!document.querySelector('.initlab-explore [data-testid=\"play\"]').disabled", timeout=ms
    )
    shown = [
        float(page.get_attribute(f'.initlab-explore [data-testid="cost-{k}"]', "data-value"))
        for k in (0, 1)
    ]
    result = initlab.compare(["zeros", "he"], iterations=200)
    assert shown == pytest.approx([run.final_cost for run in result.runs], rel=1e-12, abs=0)
