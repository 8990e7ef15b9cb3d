"""``initlab compare`` end to end, its JSON, its files and its errors."""

import json

import pytest
from helpers import run_cli
from typer.testing import CliRunner

from initlab.cli import app

runner = CliRunner()


def test_short_run_end_to_end(tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "compare",
        "--iterations",
        "300",
        "--every",
        "100",
        "--out",
        str(out),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stderr
    assert "Cost after iteration 200: " in result.stdout
    assert "fails to break symmetry" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "boundaries.png",
        "costs.png",
        "dataset.png",
        "gradients.png",
        "report.html",
        "report.md",
        "results.json",
        "signal.png",
    ]
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 5 and "<table>" in html
    assert "Why: the signal layer by layer" in html and "Why: the gradient layer by layer" in html
    data = json.loads((tmp_path / "r.json").read_text())
    assert data == json.loads((out / "results.json").read_text())
    assert [run["init"] for run in data["runs"]] == ["zeros", "random:scale=10.0", "he"]
    for run in data["runs"]:
        assert {"init", "costs", "train_accuracy", "test_accuracy"} <= set(run)
        assert [c[0] for c in run["costs"]] == [0, 100, 200]
        assert all(isinstance(c[1], float) for c in run["costs"])
        assert 0 <= run["train_accuracy"] <= 1 and 0 <= run["test_accuracy"] <= 1
    assert data["network"]["layers"] == [2, 10, 5, 1] and data["seed"] == 3


def test_printed_costs_have_full_precision(tmp_path):
    result = runner.invoke(
        app, ["compare", "--inits", "he", "--iterations", "1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert "Cost after iteration 0: 0.88305374634197" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--inits", "xavier_nope"], "unknown initializer 'xavier_nope'"),
        (["--inits", "hee"], "did you mean 'he'"),
        (["--layers", "3,10,1"], "first size must be 2"),
        (["--layers", "2"], "at least 2 sizes"),
        (["--layers", "2,0,1"], "integer >= 1"),
        (["--layers", "2,x,1"], "integers separated by commas"),
        (["--lr", "0"], "lr must be a finite number > 0"),
        (["--lr", "-0.1"], "lr must be a finite number > 0"),
        (["--lr", "nan"], "lr must be a finite number > 0"),
        (["--lr", "abc"], "--lr"),
        (["--iterations", "0"], "iterations must be an integer >= 1"),
        (["--every", "0"], "every must be an integer >= 1"),
        (["--dataset", "squares"], "unknown dataset 'squares'"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, args, message):
    out = tmp_path / "out"
    result = run_cli("compare", "--iterations", "5", *args, "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_unknown_init_lists_the_valid_names(tmp_path):
    result = run_cli("compare", "--inits", "nope", "--out", str(tmp_path / "o"))
    assert "valid: " in result.stderr and "he" in result.stderr and "zeros" in result.stderr


def test_a_diverging_run_is_reported_while_the_others_finish(tmp_path):
    result = run_cli(
        "compare",
        "--inits",
        "random:scale=30,zeros",
        "--layers",
        "2,50,50,50,1",
        "--lr",
        "1",
        "--iterations",
        "200",
        "--every",
        "10",
        "--out",
        str(tmp_path / "o"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stderr
    assert "diverged at iteration" in result.stdout
    assert "nan" not in result.stdout.lower()
    data = json.loads((tmp_path / "r.json").read_text())
    big, zeros = data["runs"]
    assert big["diverged"] and big["diverged_at"] > 0 and big["train_accuracy"] is None
    assert not zeros["diverged"] and zeros["train_accuracy"] == 0.5
