"""Every example in README.md runs as written, and so do the Python examples of docs/*.md (their
shell commands repeat the README's or read files those pages only describe).

Each ``bash`` block's ``initlab …`` commands (continuation lines joined, comments dropped, split at
``&&``) run in order in a fresh temporary folder, each in its own subprocess as a user types it
(so ``sweep`` → ``summarize`` → ``export`` share their store); each ``python`` block runs in a
subprocess of its own. The text is never edited: the runs are shortened by the environment
variable ``INITLAB_MAX_ITERATIONS=50`` (:func:`initlab.runs.defaults.capped`, which caps the
iterations of compare, diagnose, sweep and the estimator's ``max_iter``). ``initlab explore``
runs until it prints its URL, then is stopped (``BROWSER=true``: the "browser" it opens is the
``true`` command). A failing exit code, a traceback or an explore server that prints no URL
fails the test. What is left out is listed in ``SKIPPED``, each with the test that runs the same
thing for real.
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CLI, cli_env

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHORT = {"INITLAB_MAX_ITERATIONS": "50", "BROWSER": "true"}

# what is not run here, and where the same thing runs for real
SKIPPED = {
    # the dask scheduler and workers at 10.0.0.5 and a sweep.toml: tests/runs/test_backends.py
    # sweeps on a real Dask cluster (scheduler and workers on this machine)
    "initlab sweep --spec sweep.toml --backend dask --scheduler tcp://10.0.0.5:8786 --store s.db",
}
# the widget needs a Jupyter front end: tests/explore/test_widget.py executes it in a notebook and
# tests/explore/test_jupyterlab.py in a real JupyterLab page
SKIPPED_PYTHON = ("initlab.explore(",)

_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(path: Path, language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(path.read_text()) if lang == language]


def commands(block: str) -> list[list[str]]:
    """The ``initlab`` commands of a shell block, as argument lists (without ``initlab``)."""
    out = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        while words:
            part = words[: words.index("&&")] if "&&" in words else words
            words = words[len(part) + 1 :]
            if part and part[0] == "initlab":
                out.append(part[1:])
    return out


def _skipped(argv: list[str]) -> bool:
    text = shlex.join(["initlab", *argv])
    return any(text == s or text.startswith(s + " ") for s in SKIPPED)


SHELL = [
    pytest.param(path, i, block, id=f"{path.name}-bash-{i}")
    for path in DOCS[:1]
    for i, block in enumerate(blocks(path, "bash"))
    if any(not _skipped(argv) for argv in commands(block))
]
PYTHON = [
    pytest.param(path, i, block, id=f"{path.name}-python-{i}")
    for path in DOCS
    for i, block in enumerate(blocks(path, "python"))
    if not any(s in block for s in SKIPPED_PYTHON)
]


def _env() -> dict[str, str]:
    return {**cli_env(), **SHORT}


def _explore(argv: list[str], cwd: Path) -> None:
    """Start the server, wait for its URL (60 s at most), stop it with Ctrl-C (SIGINT)."""
    process = subprocess.Popen(
        [*CLI, *argv],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        assert process.stdout is not None
        while "http://" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
        assert "http://" in line, f"initlab {shlex.join(argv)}: no URL; {process.stderr.read()}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_examples_are_found():
    readme = [shlex.join(c) for b in blocks(ROOT / "README.md", "bash") for c in commands(b)]
    assert len(readme) >= 12
    assert "compare --dataset iris:standardize=true --layers auto,16,auto" in readme
    assert "compare" in readme  # `pip install . && initlab compare`: the part after &&
    skipped = [
        s for s in SKIPPED if not any(s in block for p in DOCS for block in blocks(p, "bash"))
    ]
    assert skipped == [], "a skipped example is no longer in the docs"
    assert len([p for p in PYTHON if p.values[0].name == "README.md"]) == 3


#: the files of a reader's own that shell examples name (``--torch model.py:make_model --data
#: X.npy``): written beside each run, the model being the README's PyTorch example as a factory
USER_MODEL = """
from torch import nn


def make_model():
    model = nn.Sequential()
    body = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
    model.add_module("body", body)
    model.add_module("head", nn.Linear(64, 5))
    return model
"""


def _bring_user_files(folder: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    (folder / "model.py").write_text(USER_MODEL)
    np.save(folder / "X.npy", rng.standard_normal((256, 20)).astype(np.float32))
    np.save(folder / "y.npy", rng.integers(0, 5, 256))


@pytest.mark.parametrize(("path", "index", "block"), SHELL)
def test_shell_example_runs(tmp_path, path, index, block):
    _bring_user_files(tmp_path)
    for argv in commands(block):
        if _skipped(argv):
            continue
        if argv[:1] == ["explore"]:
            _explore(argv, tmp_path)
            continue
        done = subprocess.run(
            [*CLI, *argv], cwd=tmp_path, env=_env(), capture_output=True, text=True
        )
        where = f"{path.name}: initlab {shlex.join(argv)}"
        assert done.returncode == 0, f"{where} exited {done.returncode}:\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{where}:\n{done.stderr}"


@pytest.mark.parametrize(("path", "index", "block"), PYTHON)
def test_python_example_runs(tmp_path, path, index, block):
    done = subprocess.run(
        [sys.executable, "-c", block], cwd=tmp_path, env=_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, f"{path.name} python block {index}:\n{done.stderr}"


def test_the_cap_is_what_shortens_them(tmp_path):
    """The same command without the variable runs the iterations it asks for; with it, 50."""
    import json

    argv = ["compare", "--inits", "he", "--iterations", "120", "--every", "10", "--json", "r.json"]
    env = {k: v for k, v in _env().items() if k != "INITLAB_MAX_ITERATIONS"}
    for cap, expected in ((None, 120), ("50", 50)):
        run_env = env if cap is None else {**env, "INITLAB_MAX_ITERATIONS": cap}
        out = tmp_path / str(expected)
        out.mkdir()
        done = subprocess.run([*CLI, *argv], cwd=out, env=run_env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert json.loads((out / "r.json").read_text())["iterations"] == expected
