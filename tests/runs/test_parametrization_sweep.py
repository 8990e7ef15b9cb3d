"""Sweeps over parametrization × width × learning rate, and the best learning rate per width.

Independent checks: μP at its base width is SP to the bit, through the whole sweep; each swept
run equals the engine's own run of the same network; an SP run keeps the key it had before
parametrizations existed (its canonical spec has no new field); the best learning rate is checked
on a table whose answer is read off by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import run_main

import initlab
from initlab import engine, initializers
from initlab.analysis.transfer import best_learning_rates
from initlab.engine.initial import initial_batch
from initlab.errors import InitlabError
from initlab.nn.network import Network
from initlab.nn.outputs import targets
from initlab.report.format import MISSING_STATISTIC
from initlab.runs.grid import make_grid
from initlab.runs.spec import load_dataset

SMALL = {"iterations": 40, "every": 20, "engine": "numpy", "progress": False}


def test_mup_at_its_base_width_is_sp_through_the_sweep(tmp_path):
    db = tmp_path / "s.db"
    outcome = initlab.sweep(
        "he",
        "0-1",
        depth=2,
        width="8,32",
        lr="0.1,1",
        parametrization="sp,mup",
        base_width=8,
        store=str(db),
        **SMALL,
    )
    assert outcome.total == 16
    runs = initlab.load(db)
    assert set(runs["parametrization"]) == {"sp", "mup:base_width=8"}
    key = ["width", "lr", "seed"]
    sp = runs[runs["parametrization"] == "sp"].set_index(key).sort_index()
    mup = runs[runs["parametrization"] != "sp"].set_index(key).sort_index()
    assert not set(sp["key"]) & set(mup["key"])  # told apart in the store
    at_base = sp.loc[8, "final_cost"].to_numpy(), mup.loc[8, "final_cost"].to_numpy()
    assert np.array_equal(*at_base)
    wide = sp.loc[32, "final_cost"].to_numpy(), mup.loc[32, "final_cost"].to_numpy()
    assert not np.array_equal(*wide)


def test_a_swept_mup_run_equals_the_engines_run_of_that_network(tmp_path):
    db = tmp_path / "s.db"
    initlab.sweep(
        "he", "3", depth=2, width=24, lr=0.5, parametrization="mup", base_width=6,
        store=str(db), **SMALL,
    )  # fmt: skip
    row = initlab.load(db).iloc[0]
    dataset = load_dataset("circles")
    net = Network((2, 24, 24, 1), "relu", "sigmoid", parametrization="mup", base_width=6)
    params = initial_batch(net, [(initializers.get("he"), 3)])
    Y = targets(dataset.y_train, net.output_layer(), dataset.n_classes)
    history = engine.train(net, params, dataset.X_train.T, Y, 0.5, 40, 20, engine="numpy")
    assert row["final_cost"] == history.final_costs[0]


def test_an_sp_run_keeps_its_key_and_mup_adds_its_rule_to_the_spec():
    (sp,) = make_grid("he", "0", depths=1, widths=8, iterations=10).runs()
    (mup,) = make_grid(
        "he", "0", depths=1, widths=8, iterations=10, parametrizations="mup", base_width=4
    ).runs()
    assert "parametrization" not in sp.canonical() and "base_width" not in sp.canonical()
    assert mup.canonical()["parametrization"] == "mup" and mup.canonical()["base_width"] == 4
    assert sp.key != mup.key and sp.group != mup.group


def test_the_best_learning_rate_per_width_read_off_by_hand():
    table = pd.DataFrame(
        {
            "width": [64, 64, 64, 256, 256, 256, 1024, 1024],
            "lr": [0.1, 1.0, 10.0, 0.1, 1.0, 10.0, 0.1, 1.0],
            "diverged": [0, 0, 0, 0, 0, 2, 1, 2],
            "final_cost_mean": [0.5, 0.2, 0.1, 0.4, 0.3, 0.01, 0.6, np.nan],
        }
    )
    best = best_learning_rates(table, ["width", "lr"])
    # width 64: 10 has the lowest cost; 256: 10 diverged, so 1; 1024: every lr had a divergence
    assert best["best_lr"].tolist()[:2] == [10.0, 1.0] and np.isnan(best["best_lr"][2])
    assert best["final_cost"].tolist()[:2] == [0.1, 0.3] and np.isnan(best["final_cost"][2])
    assert summary_text(best) == ["10", "1", MISSING_STATISTIC]
    assert best["lrs_with_divergence"].tolist() == [0, 1, 2]
    assert best_learning_rates(table, ["width"]).empty  # lr not grouped: nothing to pick


def summary_text(best: pd.DataFrame) -> list[str]:
    from initlab.experiments.summary import Summary

    empty = pd.DataFrame()
    summary = Summary(
        table=empty, pairs=empty, by=["width", "lr"], target=0.9, confidence=0.95,
        metric="final_cost", pair_metric="final_cost", x=None, n_runs=0, best_lr=best,
    )  # fmt: skip
    return summary.display_best_lr()["best lr"].tolist()


def test_summarize_by_width_and_lr_writes_the_best_learning_rates(tmp_path, monkeypatch, capsys):
    db = tmp_path / "s.db"
    initlab.sweep("he", "0", depth=1, width="4,16", lr="0.05,0.5", store=str(db), **SMALL)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(
        monkeypatch, capsys, "summarize", "--store", db, "--by", "width,lr", "--resamples", "50",
        "--out", "sum",
    )  # fmt: skip
    assert code == 0, err
    assert "Best learning rate" in out
    markdown = (tmp_path / "sum" / "summary.md").read_text()
    assert "## Best learning rate" in markdown
    summary = initlab.summarize(db, "width,lr", n_resamples=50)
    runs = initlab.load(db)
    for width, row in summary.best_lr.set_index("width").iterrows():
        costs = runs[runs["width"] == width].groupby("lr")["final_cost"].mean()
        assert row["best_lr"] == costs.idxmin()
    assert len(json.loads(summary.to_json())["best_lr"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parametrization", "mup"], "needs --base-width"),
        (["--parametrization", "sp", "--base-width", "8"], "--base-width is for"),
        (["--parametrization", "mu", "--base-width", "8"], "unknown parametrization 'mu'"),
        (["--parametrization", "mup", "--base-width", "0"], "base_width"),
    ],
)
def test_bad_parametrization_options_get_one_error(args, message, tmp_path, monkeypatch, capsys):
    code, out, err = run_main(
        monkeypatch, capsys, "sweep", "--store", tmp_path / "s.db", "--iterations", "5", *args
    )
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "s.db").exists()


def test_the_grid_refuses_a_parametrization_without_a_base_width():
    with pytest.raises(InitlabError, match="needs --base-width"):
        make_grid("he", "0", parametrizations=["sp", "ntk"])
