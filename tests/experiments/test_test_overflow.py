"""A run whose training stays finite but whose test logits overflow (test data far outside the
training range; issue 14, cause C): no NaN in the table or the JSON, and the table says so."""

import json

import numpy as np
import pytest

import initlab
from initlab.data.dataset import Dataset
from initlab.report.format import TEST_NOT_FINITE


def _far_test_set(n_classes=2, far=1e308):
    rng = np.random.default_rng(0)
    X_train = rng.uniform(-1, 1, size=(80, 2))
    y_train = (X_train[:, 0] > 0).astype(int) if n_classes == 2 else rng.integers(0, 3, 80)
    X_test = np.array([[far, far], [-far, far], [0.5, -0.5], [far, -far]])
    y_test = np.array([1, 0, 1, 0]) if n_classes == 2 else np.array([0, 1, 2, 0])
    return Dataset("far", X_train, y_train, X_test, y_test)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("engine", ["numpy", "fast"])
def test_test_logits_that_overflow_are_named_not_nan(n_classes, engine):
    result = initlab.compare(
        ["he", "glorot_uniform"],
        layers="auto,16,16,auto",
        dataset=_far_test_set(n_classes),
        iterations=50,
        every=10,
        engine=engine,
    )
    assert all(not run.diverged for run in result.runs)  # training stayed finite
    table = result.table()
    assert not table.isna().any().any()
    assert all(np.isfinite(v) for v in table["final cost"])
    cells = list(table["test cost"])
    assert cells[0] == TEST_NOT_FINITE  # he's test logits overflow on these points
    assert all(c == TEST_NOT_FINITE or np.isfinite(c) for c in cells)
    text = result.display_table().to_string()
    assert "nan" not in text.lower() and "test logits overflowed" in text
    data = result.to_dict()
    dumped = json.dumps(data, allow_nan=False)  # raises on NaN or inf anywhere
    assert "NaN" not in dumped
    for run, cell in zip(data["runs"], cells, strict=True):
        overflowed = cell == TEST_NOT_FINITE
        assert (run["test_cost"] is None) == overflowed
        assert run["test_cost_finite"] is not overflowed
        assert run["diverged"] is False and run["final_cost"] is not None


def test_a_test_set_in_range_keeps_its_number():
    data = _far_test_set(far=0.9)
    result = initlab.compare(["he"], layers="auto,8,auto", dataset=data, iterations=20, every=10)
    run = result.to_dict()["runs"][0]
    assert isinstance(run["test_cost"], float) and run["test_cost_finite"] is True
    assert isinstance(result.table()["test cost"][0], float)


def test_the_command_names_the_overflow_in_its_table_and_json(tmp_path):
    from helpers import run_cli

    far = _far_test_set()
    np.savez(
        tmp_path / "far.npz",
        X_train=far.X_train,
        y_train=far.y_train,
        X_test=far.X_test,
        y_test=far.y_test,
    )
    done = run_cli(
        "compare",
        "--dataset",
        f"npz:{tmp_path / 'far.npz'}",
        "--inits",
        "he",
        "--layers",
        "auto,16,16,auto",
        "--iterations",
        "50",
        "--every",
        "10",
        "--json",
        str(tmp_path / "r.json"),
    )
    assert done.returncode == 0, done.stderr
    assert "not finite" in done.stdout and "nan" not in done.stdout.lower()
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["runs"][0]["test_cost"] is None and data["runs"][0]["test_cost_finite"] is False
