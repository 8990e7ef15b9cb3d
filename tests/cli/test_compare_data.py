"""``initlab compare`` on other datasets, activations and the user's own files."""

import json

import numpy as np
import pytest
from helpers import run_cli, run_main


def _flowers(path, n=90, features=4):
    """A CSV with a header, ``features`` numeric columns and a text label in the middle."""
    rng = np.random.default_rng(1)
    names = ["setosa", "versicolor", "virginica"]
    y = np.arange(n) % 3
    X = rng.standard_normal((n, features)) * 0.5 + np.eye(3, features)[y] * 3
    cols = [f"f{j}" for j in range(features)]
    lines = [",".join(cols[:1] + ["species"] + cols[1:])]
    for x, c in zip(X, y, strict=True):
        cells = [f"{v:.4f}" for v in x]
        lines.append(",".join(cells[:1] + [names[c]] + cells[1:]))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_done_when_spiral(tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "compare",
        "--dataset",
        "spiral",
        "--layers",
        "auto,32,32,32,auto",
        "--activation",
        "tanh",
        "--inits",
        "zeros,glorot_uniform,he",
        "--iterations",
        "300",
        "--every",
        "100",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert {"boundaries.png", "costs.png", "dataset.png", "report.html", "results.json"} <= names
    data = json.loads((out / "results.json").read_text())
    assert data["network"] == {
        "layers": [2, 32, 32, 32, 1],
        "activation": "tanh",
        "output": "sigmoid",
    }
    assert [r["init"].partition(":")[0] for r in data["runs"]] == ["zeros", "glorot_uniform", "he"]
    assert "fails to break symmetry" in data["runs"][0]["diagnosis"]
    for run in data["runs"]:
        assert {"train_accuracy", "test_accuracy", "final_cost", "test_cost"} <= set(run)
    assert "2-32-32-32-1 tanh on spiral" in result.stdout


def test_done_when_on_a_user_csv(tmp_path, monkeypatch, capsys):
    csv = _flowers(tmp_path / "flowers.csv")
    out = tmp_path / "out"
    code, stdout, stderr = run_main(
        monkeypatch,
        capsys,
        "compare",
        "--dataset",
        f"csv:{csv},label=species,standardize=true",
        "--layers",
        "auto,32,32,32,auto",
        "--activation",
        "tanh",
        "--inits",
        "zeros,glorot_uniform,he",
        "--iterations",
        "200",
        "--every",
        "100",
        "--lr",
        "0.1",
        "--out",
        str(out),
    )
    assert code == 0, stderr
    names = {p.name for p in out.iterdir()}
    assert {"costs.png", "dataset.png", "report.html", "report.md", "results.json"} <= names
    assert "boundaries.png" not in names
    data = json.loads((out / "results.json").read_text())
    assert data["network"]["layers"] == [4, 32, 32, 32, 3]
    assert data["network"]["output"] == "softmax"
    he = data["runs"][2]
    assert set(he["test_per_class_accuracy"]) == {"setosa", "versicolor", "virginica"}
    report = (out / "report.md").read_text()
    assert "no decision-boundary figure: the data has 4 features" in report
    assert "principal components" in report and "categorical" not in stderr
    assert "Per class on the test set: setosa" in report


def test_multiclass_boundaries_and_per_layer_activations(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    code, stdout, stderr = run_main(
        monkeypatch,
        capsys,
        "compare",
        "--dataset",
        "blobs:classes=4",
        "--layers",
        "auto,8,8,auto",
        "--activation",
        "relu,tanh",
        "--inits",
        "he",
        "--iterations",
        "100",
        "--every",
        "50",
        "--out",
        str(out),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert code == 0, stderr
    assert (out / "boundaries.png").exists()
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["network"] == {
        "layers": [2, 8, 8, 4],
        "activation": ["relu", "tanh"],
        "output": "softmax",
    }


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "not found"),
        ("x1,x2,y\n1,2,0\n3,oops,1\n", "line 3, column 'x2': 'oops' is not a number"),
        ("x1,x2,y\n1,2,0\n3,nan,1\n", "line 3, column 'x2': 'nan' is not a finite number"),
        ("x1,x2,y\n1,2,0\n3,4,0\n5,6,0\n", "single class ('0')"),
        ("x1,x2,y\n1,2,0\n3,4,1\n5,6,0\n", "class '1' has only 1 sample (line 3)"),
        ("x1,x2,y\n1,2,0\n3,4\n", "line 3 has 2 fields; expected 3"),
    ],
)
def test_bad_user_files_are_one_clear_error(tmp_path, monkeypatch, capsys, content, message):
    csv = tmp_path / "in" / "bad.csv"
    csv.parent.mkdir()
    if content is not None:
        csv.write_text(content)
    out = tmp_path / "out"
    code, stdout, stderr = run_main(
        monkeypatch,
        capsys,
        "compare",
        "--dataset",
        f"csv:{csv}",
        "--iterations",
        "5",
        "--out",
        str(out),
    )
    assert code == 2
    assert message in stderr and str(csv) in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr + stdout
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--activation", "tanhh"], "did you mean 'tanh'"),
        (["--activation", "relu,tanh,relu"], "3 entries (relu, tanh, relu) but the network has 2"),
        (["--output", "sigmoid", "--dataset", "blobs"], "sigmoid output separates 2 classes"),
        (["--output", "softmx"], "unknown output 'softmx'"),
        (["--layers", "auto,4,2", "--dataset", "blobs"], "softmax output for 3 classes needs 3 "),
        (["--layers", "auto,4,2", "--dataset", "moons"], "make the last size 1 (or auto)"),
        (["--layers", "5,4,auto"], "the first size must be 2 (or auto)"),
        (["--dataset", "moons:noise=-1"], "noise must be a finite number >= 0"),
        (["--dataset", "spiral:arms=3"], "unknown parameter 'arms' for dataset 'spiral'"),
    ],
)
def test_bad_options_are_one_clear_error(tmp_path, monkeypatch, capsys, args, message):
    code, stdout, stderr = run_main(
        monkeypatch,
        capsys,
        "compare",
        "--iterations",
        "5",
        *args,
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and message in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []
