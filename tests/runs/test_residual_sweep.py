"""Sweeps of residual networks: every initializer, each run equal to its own compare run, resumed
without training twice, told apart from the plain network of the same widths."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from helpers import run_main

import initlab
from initlab.errors import InitlabError
from initlab.experiments.compare import compare
from initlab.runs.grid import make_grid

RESIDUAL = "auto,6,res6x3,auto"  # widths 2-6-6-6-6-1: blocks at weight layers 1, 2, 3
PLAIN = "auto,6,6,6,6,auto"  # the same widths without shortcuts
INITS = ["he", "fixup", "rezero", "skipinit", "zero", "idinit", "rai"]
SMALL = {"iterations": 30, "every": 10, "engine": "numpy", "progress": False}


def test_a_residual_sweep_equals_separate_compare_runs(tmp_path):
    """K models trained in one batch give each model's numbers alone (compare with one init)."""
    db = tmp_path / "s.db"
    outcome = initlab.sweep(INITS, "0-1", layers=RESIDUAL, store=str(db), **SMALL)
    assert (outcome.total, outcome.ran, outcome.batches) == (14, 14, 1)
    runs = initlab.load(db)
    history = initlab.load(db, "history")
    assert set(runs["layers"]) == {"2-6-res6x3-1"} and set(runs["depth"]) == {4}
    for init in INITS:
        for seed in (0, 1):
            alone = compare(
                [init], RESIDUAL, seed=seed, iterations=30, every=10, engine="numpy", progress=False
            ).runs[0]
            row = runs[(runs["init_name"] == init) & (runs["seed"] == seed)]
            assert len(row) == 1
            assert row["final_cost"].item() == alone.final_cost
            assert row["train_accuracy"].item() == alone.train_accuracy
            assert row["test_accuracy"].item() == alone.test_accuracy
            curve = history[history["key"] == row["key"].item()]
            assert list(curve["cost"])[:-1] == [cost for _, cost in alone.costs]


def test_fixup_starts_at_the_identity_in_a_sweep(tmp_path):
    """Fixup's output layer is 0, so every run starts at the cost ln 2 of p = 1/2 exactly."""
    import math

    db = tmp_path / "s.db"
    initlab.sweep("fixup", "0-2", layers=RESIDUAL, store=str(db), **SMALL)
    history = initlab.load(db, "history")
    first = history[history["iteration"] == 0]["cost"]
    assert len(first) == 3 and all(cost == pytest.approx(math.log(2), abs=1e-15) for cost in first)


def test_resume_trains_nothing_twice_and_plain_and_residual_are_different_rows(tmp_path):
    db = str(tmp_path / "s.db")
    first = initlab.sweep(["he", "rezero"], "0-1", layers=RESIDUAL, store=db, **SMALL)
    again = initlab.sweep(["he", "rezero"], "0-1", layers=RESIDUAL, store=db, **SMALL)
    assert (first.ran, again.already, again.ran) == (4, 4, 0)
    done = []
    more = initlab.sweep(
        "he",
        "0-2",
        layers=f"{RESIDUAL};{PLAIN}",
        store=db,
        **{**SMALL, "progress": done.append},
    )
    # only seed 2 of the residual network and all three plain runs are new
    assert (more.total, more.already, more.ran) == (6, 2, 4)
    assert sum(done) == 4 * 30
    runs = initlab.load(db)
    assert len(runs) == 8 and runs["key"].is_unique
    he = runs[(runs["init"] == "he") & (runs["seed"] == 0)]
    assert sorted(he["layers"]) == ["2-6-6-6-6-1", "2-6-res6x3-1"]
    residual, plain = (he[he["layers"] == name] for name in ("2-6-res6x3-1", "2-6-6-6-6-1"))
    # same widths, same draws (He, seed 0), different networks: different numbers
    assert residual["final_cost"].item() != plain["final_cost"].item()
    specs = [json.loads(text) for text in he["spec"]]
    assert [spec["layers"] for spec in specs] == [[2, 6, 6, 6, 6, 1]] * 2
    assert sorted("blocks" in spec for spec in specs) == [False, True]
    exported = pd.read_csv(initlab.export(db, tmp_path / "runs.csv"))
    assert sorted(set(exported["layers"])) == ["2-6-6-6-6-1", "2-6-res6x3-1"]
    assert list(exported["key"]) == list(runs["key"])
    summary = initlab.summarize(db, by="layers")
    assert sorted(summary.table["layers"]) == ["2-6-6-6-6-1", "2-6-res6x3-1"]


def test_a_plain_runs_key_is_the_one_stores_already_hold():
    """A plain network's canonical spec has no blocks: its key is the one written before
    residual sweeps existed (computed with that version), so an old store resumes."""
    run = make_grid("he", "3", layers=PLAIN.replace("6", "8"), iterations=20, every=10).runs()[0]
    assert run.key == "f3ab50a15b41ce18021c3b3123894ff7"


def test_a_toml_spec_takes_residual_layers(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "sweep.toml"
    spec.write_text(
        'inits = ["rezero", "idinit"]\nseeds = "0"\nlayers = [[2, 6, "res6x2:2", 1], '
        '["auto", 6, 6, "auto"]]\niterations = 20\nevery = 10\nengine = "numpy"\n'
        f'store = "{tmp_path / "t.db"}"\n'
    )
    code, out, err = run_main(monkeypatch, capsys, "sweep", "--spec", spec)
    assert code == 2 and "'rezero' is for residual networks" in err and err.count("\n") == 1
    assert not (tmp_path / "t.db").exists()  # refused before the store was made
    spec.write_text(spec.read_text().replace(', ["auto", 6, 6, "auto"]', ""))
    code, out, err = run_main(monkeypatch, capsys, "sweep", "--spec", spec)
    assert code == 0, err
    assert "2 runs in the grid" in out
    assert set(initlab.load(tmp_path / "t.db")["layers"]) == {"2-6-res6x2:2-1"}


def test_the_command_line_sweep_takes_residual_layers(tmp_path, monkeypatch, capsys):
    db = tmp_path / "c.db"
    args = ["--inits", "skipinit,zero", "--seeds", "0-1", "--iterations", "20", "--every", "10"]
    code, out, err = run_main(
        monkeypatch, capsys, "sweep", *args, "--layers", "auto,4,res4x2,auto", "--store", db
    )
    assert code == 0, err
    assert "4 runs in the grid" in out
    with pytest.raises(InitlabError, match="item before it must be a layer of 4 units"):
        make_grid("he", "0", layers="auto,res4x2,auto").runs()
    code, out, err = run_main(
        monkeypatch, capsys, "sweep", *args, "--layers", "auto,4,res4x2:3,auto", "--store", db
    )
    assert code == 2 and "m in (1, 2)" in err and err.count("\n") == 1
