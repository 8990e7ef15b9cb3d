"""``initlab diagnose --torch FILE.py:FACTORY --data X.npy``: a report of your own model, and one
clear message (stderr, exit 2, no traceback) for each thing that can be wrong; PyTorch is loaded
by nothing else."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from helpers import CLI, cli_env, run_main

MODEL = """
from torch import nn

def make_model():
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))

def broken():
    raise ValueError("no weights here")

def not_a_model():
    return 42
"""


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: on a loaded shared machine PyTorch's thread pool spins for seconds."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "bad_syntax.py").write_text("def make_model(:\n")
    rng = np.random.default_rng(0)
    np.save(tmp_path / "X.npy", rng.standard_normal((40, 4)))
    np.save(tmp_path / "wide.npy", rng.standard_normal((40, 7)))
    np.save(tmp_path / "y.npy", np.arange(40) % 3)
    (tmp_path / "notes.npy").write_text("not an array")
    return tmp_path


def test_a_torch_model_gets_the_report(files, monkeypatch, capsys):
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "diagnose",
        "--torch",
        "model.py:make_model",
        "--data",
        "X.npy",
        "--labels",
        "y.npy",
        "--out",
        "out",
        "--json",
        "numbers.json",
    )
    assert code in (0, None), err
    assert "layer by layer" in out and "Wrote 6 files to out/" in out
    data = json.loads((files / "numbers.json").read_text())
    assert data["loss"] == "cross_entropy" and len(data["layers"]) == 2
    assert data["layers"][0]["theory_preact_std"] is not None
    assert {p.name for p in (files / "out").iterdir()} >= {"report.html", "signal.png"}


@pytest.mark.parametrize(
    "args, words",
    [
        (["--torch", "nope.py:make_model", "--data", "X.npy"], ["nope.py not found"]),
        (["--torch", "model.py:missing", "--data", "X.npy"], ["no function 'missing'"]),
        (["--torch", "model.py:broken", "--data", "X.npy"], ["broken()", "no weights here"]),
        (["--torch", "model.py:not_a_model", "--data", "X.npy"], ["returned int"]),
        (["--torch", "bad_syntax.py:make_model", "--data", "X.npy"], ["SyntaxError"]),
        (["--torch", "model.py", "--data", "X.npy"], ["FILE.py:FACTORY"]),
        (["--torch", "model.py:make_model", "--data", "wide.npy"], ["X of shape (40, 7)"]),
        (["--torch", "model.py:make_model", "--data", "nope.npy"], ["--data nope.npy not found"]),
        (["--torch", "model.py:make_model", "--data", "notes.npy"], ["not a .npy"]),
        (["--torch", "model.py:make_model"], ["--data"]),
        (["--data", "X.npy"], ["--torch"]),
        (["--torch", "model.py:make_model", "--data", "X.npy", "--loss", "mse"], ["--labels"]),
        (
            [
                "--torch",
                "model.py:make_model",
                "--data",
                "X.npy",
                "--labels",
                "y.npy",
                "--loss",
                "x",
            ],
            ["unknown loss 'x'"],
        ),
    ],
    ids=[
        "missing-file",
        "missing-factory",
        "factory-raises",
        "not-a-module",
        "syntax-error",
        "no-factory-name",
        "wrong-shape",
        "missing-data",
        "not-npy",
        "no-data",
        "no-torch",
        "loss-without-labels",
        "unknown-loss",
    ],
)
def test_each_mistake_is_one_message(files, monkeypatch, capsys, args, words):
    code, out, err = run_main(monkeypatch, capsys, "diagnose", *args, "--out", "out")
    assert code == 2
    assert err.startswith("initlab: error:") and "Traceback" not in err
    for word in words:
        assert word in err
    assert not (files / "out").exists()


def test_without_pytorch_the_message_says_how_to_install_it(files):
    """A ``torch`` that cannot be imported (a stand-in package raising ImportError)."""
    blocker = files / "blocker" / "torch"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('No module named torch')\n")
    env = cli_env()
    env["PYTHONPATH"] = f"{blocker.parent}:{env.get('PYTHONPATH', '')}"
    result = subprocess.run(
        [*CLI, "diagnose", "--torch", "model.py:make_model", "--data", "X.npy"],
        capture_output=True,
        text=True,
        cwd=files,
        env=env,
    )
    assert result.returncode == 2
    assert 'pip install "initlab[torch]"' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "code",
    [
        "import initlab",
        "import sys\nsys.argv = ['initlab', 'diagnose', '--help']\nfrom initlab.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass",
    ],
    ids=["import", "diagnose-help"],
)
def test_nothing_else_imports_pytorch(code):
    probe = f"{code}\nimport sys\nprint('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_initlab_torch_is_reached_from_the_package():
    """``import initlab`` then ``initlab.torch``: the lazy root resolves it (as the README does)."""
    import initlab
    import initlab.torch as door

    assert "torch" in dir(initlab)
    assert initlab.__getattr__("torch") is door
