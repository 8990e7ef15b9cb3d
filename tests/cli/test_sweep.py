"""``initlab sweep``, ``summarize``, ``export`` and ``compare --seeds`` from the command line."""

import socket
import sqlite3

import numpy as np
import pandas as pd
import pytest
from helpers import run_cli, run_main

import initlab

SMALL = ["--iterations", "40", "--every", "20", "--engine", "numpy"]


def test_sweep_summarize_export_end_to_end(tmp_path):
    """The real command in a subprocess, as a user runs it."""
    db = tmp_path / "s.db"
    sweep = run_cli(
        "sweep",
        "--inits",
        "zeros,he",
        "--seeds",
        "0-2",
        "--depth",
        "1,2",
        "--width",
        "4",
        *SMALL,
        "--store",
        db,
    )
    assert sweep.returncode == 0, sweep.stderr
    assert "12 runs in the grid: 0 already in" in sweep.stdout
    assert sweep.stderr == ""  # no progress bar when stderr is not a terminal
    out = tmp_path / "summary"
    summary = run_cli("summarize", "--store", db, "--by", "init,depth", "--out", out)
    assert summary.returncode == 0, summary.stderr
    assert "12 runs in" in summary.stdout and "Wilcoxon" in summary.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "pairs.csv",
        "summary.csv",
        "summary.md",
        "summary.png",
    ]
    table = pd.read_csv(out / "summary.csv")
    assert list(zip(table["init"], table["depth"], strict=True)) == [
        ("zeros", 1),
        ("he", 1),
        ("zeros", 2),
        ("he", 2),
    ]
    assert (table["n"] == 3).all()
    runs = initlab.load(db)
    he2 = runs[(runs["init"] == "he") & (runs["depth"] == 2)]["test_accuracy"]
    assert table["test_accuracy_mean"].iloc[3] == pytest.approx(he2.mean())


def test_a_spec_file_gives_the_grid_and_options_override_it(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "sweep.toml"
    spec.write_text(
        '# a small sweep\ninits = ["zeros", "he"]\nseeds = "0-1"\nlr = [0.01, 0.1]\n'
        'iterations = 40\nevery = 20\nengine = "numpy"\n'
        f'store = "{tmp_path / "from-file.db"}"\n'
    )
    code, out, err = run_main(monkeypatch, capsys, "sweep", "--spec", spec)
    assert code == 0, err
    assert "8 runs in the grid" in out
    frame = initlab.load(tmp_path / "from-file.db")
    assert sorted(set(frame["lr"])) == [0.01, 0.1] and set(frame["iterations"]) == {40}
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "sweep",
        "--spec",
        spec,
        "--seeds",
        "0-2",
        "--store",
        tmp_path / "override.db",
    )
    assert code == 0, err
    assert "12 runs in the grid" in out and (tmp_path / "override.db").exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "case",
    [
        "empty grid",
        "backwards seeds",
        "unknown by",
        "spec key",
        "not a store",
        "corrupt store",
        "unreachable scheduler",
        "summarize without store",
        "bad engine",
        "bad export suffix",
    ],
)
def test_bad_input_is_one_clear_error_and_exit_code_2(tmp_path, monkeypatch, capsys, case):
    db = tmp_path / "s.db"
    out = tmp_path / "out"
    if case in ("unknown by", "bad export suffix"):
        initlab.sweep("he", "0", iterations=10, every=10, store=str(db), engine="numpy")
    if case == "empty grid":
        args, message = ["sweep", "--inits", "", "--store", db], "the grid is empty: --inits"
    elif case == "backwards seeds":
        args, message = ["sweep", "--seeds", "5-2", "--store", db], "seed range '5-2' runs back"
    elif case == "unknown by":
        args = ["summarize", "--store", db, "--by", "init,dpeth", "--out", out]
        message = "unknown column 'dpeth' in --by (did you mean 'depth'?); valid: init,"
    elif case == "spec key":
        spec = tmp_path / "s.toml"
        spec.write_text('inits = "he"\nseeds = "0-3"\n\nlearning_rate = 0.1\n')
        args = ["sweep", "--spec", spec, "--store", db]
        message = "unknown key 'learning_rate' on line 4 of spec file"
    elif case == "not a store":
        db.write_text("init,seed\nhe,3\n")
        args, message = ["sweep", "--store", db, *SMALL], "is not an initlab database"
    elif case == "corrupt store":
        initlab.sweep("he", "0-3", iterations=10, every=10, store=str(db), engine="numpy")
        data = bytearray(db.read_bytes())
        data[4096:] = b"\x5a" * (len(data) - 4096)
        db.write_bytes(bytes(data))
        args, message = ["summarize", "--store", db, "--out", out], "not a readable initlab store"
    elif case == "unreachable scheduler":
        address = f"tcp://127.0.0.1:{_free_port()}"
        args = [
            "sweep",
            "--backend",
            "dask",
            "--scheduler",
            address,
            "--timeout",
            "1",
            "--store",
            db,
            *SMALL,
        ]
        message = f"cannot reach the Dask scheduler at {address} within 1 s"
    elif case == "bad engine":
        args, message = ["sweep", "--engine", "gpu", "--store", db], "unknown engine 'gpu'"
    elif case == "summarize without store":
        args, message = ["summarize", "--store", db, "--out", out], "no store at"
    else:
        args, message = ["export", tmp_path / "runs.xlsx", "--store", db], ".csv or .parquet"
    before = sorted(p.name for p in tmp_path.iterdir())
    code, stdout, stderr = run_main(monkeypatch, capsys, *args)
    assert code == 2
    assert message in stderr and stderr.startswith("initlab: error: ")
    assert "Traceback" not in stdout + stderr
    assert not out.exists()
    if case in ("empty grid", "backwards seeds", "spec key", "bad engine", "unreachable scheduler"):
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no store was created


def test_compare_over_seeds(tmp_path, monkeypatch, capsys):
    args = ["--inits", "zeros,he", "--iterations", "60", "--every", "20", "--seeds", "0-3"]
    code, out, err = run_main(monkeypatch, capsys, "compare", *args, "--out", tmp_path / "out")
    assert code == 0, err
    assert "Over 4 seeds" in out
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Over 4 seeds" in report and "test accuracy % [95% CI]" in report
    # the numbers: each seed's runs on their own, through compare(seed=S)
    result = initlab.compare(["zeros", "he"], iterations=60, every=20, seeds="0-3")
    table = result.over_seeds.table.set_index("init")
    alone = [initlab.compare(["zeros", "he"], iterations=60, every=20, seed=s) for s in range(4)]
    for k, init in enumerate(("zeros", "he")):
        runs = [c.runs[k] for c in alone]
        assert table.loc[init, "test_accuracy_mean"] == pytest.approx(
            np.mean([r.test_accuracy for r in runs])
        )
        assert table.loc[init, "final_cost_mean"] == pytest.approx(
            np.mean([r.final_cost for r in runs]), rel=1e-9
        )
    assert result.to_dict()["over_seeds"]["seeds"] == 4


def test_summarize_recomputes_iterations_to_target_for_its_target(tmp_path):
    db = tmp_path / "s.db"
    initlab.sweep("he", "0-3", lr=0.5, iterations=200, every=20, store=str(db), engine="numpy")
    history = initlab.load(db, "history")
    for target in (0.6, 0.8):
        first = history[history["test_accuracy"] >= target].groupby("key")["iteration"].min()
        summary = initlab.summarize(db, "init", target=target, n_resamples=100)
        expected = np.median(first.to_numpy()) if len(first) else np.nan
        assert summary.table["median_iters_to_target"].iloc[0] == pytest.approx(
            expected, nan_ok=True
        )
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 4
    connection.close()
