"""The SQLite store: schema, transactions, refusing what is not a store, resuming after a kill."""

import os
import signal
import sqlite3
import subprocess
import time

import numpy as np
import pytest
from helpers import CLI, cli_env, store_rows

import initlab
from initlab.errors import InitlabError
from initlab.runs import backends, store
from initlab.runs.batch import Batch, run_batch
from initlab.runs.execute import execute
from initlab.runs.grid import make_grid
from initlab.runs.spec import RunSpec

SMALL = {"iterations": 60, "every": 20}


def _results(inits="zeros,he", seeds="0-2", **kwargs):
    runs = make_grid(inits, seeds, **{**SMALL, **kwargs}).runs()
    return run_batch(Batch(0, tuple(runs)), "numpy")


def test_a_new_store_is_recognized_and_in_wal_mode(tmp_path):
    path = tmp_path / "s.db"
    store.open_store(path, create=True).close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
    meta = dict(connection.execute("SELECT name, value FROM initlab_meta"))
    assert meta["application"] == "initlab" and meta["schema_version"] == "1"
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"initlab_meta", "runs", "history"} <= tables
    connection.close()


def test_runs_and_histories_round_trip(tmp_path):
    results = _results()
    opened = store.open_store(tmp_path / "s.db", create=True)
    assert opened.write(results) == len(results)
    assert opened.write(results) == 0  # already there: nothing added, nothing duplicated
    runs, history = opened.runs(), opened.history()
    opened.close()
    assert list(runs["key"]) == [r.key for r in results]
    for result, (_, row) in zip(results, runs.iterrows(), strict=True):
        assert row["init"] == result.spec.init and row["seed"] == result.spec.seed
        assert row["final_cost"] == result.final_cost
        assert row["test_accuracy"] == result.test_accuracy
        assert row["layers"] == "2-10-5-1" and row["depth"] == 2 and row["engine"] == "numpy"
        assert row["initlab_version"] == initlab.__version__
        assert RunSpec(**{**eval_spec(row["spec"])}).key == row["key"]
    assert len(history) == sum(len(r.history) for r in results)
    first = history[history["key"] == results[0].key]
    assert list(first["iteration"]) == [0, 20, 40, 60]
    assert list(first["cost"]) == [c for _, c, _, _ in results[0].history]


def eval_spec(text):
    import json

    spec = json.loads(text)
    return {
        "init": spec["init"],
        "layers": tuple(spec["layers"]),
        "activation": spec["activation"],
        "output": spec["output"],
        "dataset": spec["dataset"],
        "lr": spec["lr"],
        "iterations": spec["iterations"],
        "every": spec["every"],
        "seed": spec["seed"],
    }


def test_a_batch_is_written_whole_or_not_at_all(tmp_path):
    results = _results()
    opened = store.open_store(tmp_path / "s.db", create=True)
    broken = [*results[:2], results[2].__class__(**{**results[2].__dict__, "history": [("x",)]})]
    with pytest.raises(Exception):  # noqa: B017 — any failure inside the transaction
        opened.write(broken)
    assert opened.count() == 0
    opened.close()


def test_load_and_export(tmp_path):
    path = tmp_path / "s.db"
    opened = store.open_store(path, create=True)
    opened.write(_results())
    opened.close()
    frame = initlab.load(path)
    assert len(frame) == 6 and frame["test_accuracy"].between(0, 1).all()
    assert frame["width"].isna().all() and str(frame["diverged_at"].dtype) == "Int64"
    initlab.export(path, tmp_path / "runs.csv")
    initlab.export(path, tmp_path / "runs.parquet")
    initlab.export(path, tmp_path / "history.csv", table="history")
    import pandas as pd

    csv = pd.read_csv(tmp_path / "runs.csv")
    parquet = pd.read_parquet(tmp_path / "runs.parquet")
    assert list(csv["key"]) == list(frame["key"]) == list(parquet["key"])
    np.testing.assert_array_equal(csv["final_cost"], frame["final_cost"])
    np.testing.assert_array_equal(parquet["final_cost"], frame["final_cost"])
    assert len(pd.read_csv(tmp_path / "history.csv")) == 6 * 4
    with pytest.raises(InitlabError, match=r"\.csv or \.parquet"):
        initlab.export(path, tmp_path / "runs.xlsx")


@pytest.mark.parametrize("kind", ["text", "other sqlite", "corrupt", "directory", "missing"])
def test_what_is_not_a_store_is_refused(tmp_path, kind):
    path = tmp_path / "x.db"
    if kind == "text":
        path.write_text("key,value\n1,2\n")
        message = "not an initlab database"
    elif kind == "other sqlite":
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE people (name TEXT)")
        connection.commit()
        connection.close()
        message = "not an initlab database .its tables are people"
    elif kind == "corrupt":
        opened = store.open_store(path, create=True)
        opened.write(_results())
        opened.close()
        data = bytearray(path.read_bytes())
        data[4096:] = b"\xa5" * (len(data) - 4096)  # every page after the first is garbage
        path.write_bytes(bytes(data))
        message = "not a readable initlab store"
    elif kind == "directory":
        path.mkdir()
        message = "is a directory"
    else:
        message = "no store at"
    with pytest.raises(InitlabError, match=message):
        opened = store.open_store(path, create=kind == "corrupt", check=True)
        opened.runs()


# -- a sweep killed part-way resumes with nothing lost, nothing duplicated -------------------


# 12 batches of 4 runs, about 0.2 s each with the NumPy engine (no compilation in the subprocess)
ARGS = [
    "--inits",
    "zeros,random,he,lecun_normal",
    "--seeds",
    "0-11",
    "--iterations",
    "1500",
    "--every",
    "500",
    "--batch-size",
    "4",
    "--engine",
    "numpy",
]


def _sweep(path, *extra, args=ARGS):
    return [*CLI, "sweep", *args, "--store", str(path), *extra]


def _rows(path):
    return store_rows(
        path, "key, final_cost, best_cost, test_accuracy, train_accuracy, diverged_at"
    )


def _count(path):
    try:
        connection = sqlite3.connect(path, timeout=5)
        try:
            return connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0


def _api_sweep(path):
    """The same sweep as ``ARGS``, through the Python API (what the command calls)."""
    return initlab.sweep(
        "zeros,random,he,lecun_normal",
        "0-11",
        iterations=1500,
        every=500,
        batch_size=4,
        engine="numpy",
        store=str(path),
    )


def test_a_sweep_killed_part_way_resumes_exactly(tmp_path):
    whole = tmp_path / "whole.db"
    _api_sweep(whole)

    killed = tmp_path / "killed.db"
    process = subprocess.Popen(
        _sweep(killed),
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while process.poll() is None and _count(killed) < 8:
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    part = _count(killed)
    assert 8 <= part < 48 and part % 4 == 0  # whole batches only

    resumed = _api_sweep(killed)
    assert (resumed.already, resumed.ran) == (part, 48 - part)
    assert _rows(killed) == _rows(whole)
    assert len(_rows(killed)[0]) == 48


def test_two_sweeps_on_one_store_at_once_neither_corrupt_nor_duplicate(tmp_path):
    env = cli_env()
    path = tmp_path / "shared.db"
    short = [
        *ARGS[: ARGS.index("--iterations")],
        "--iterations",
        "200",
        "--every",
        "50",
        "--batch-size",
        "4",
        "--engine",
        "numpy",
    ]
    first, second = (
        subprocess.Popen(
            _sweep(path, args=short),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    )
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    runs, history = _rows(path)
    assert len(runs) == len({r[0] for r in runs}) == 48
    assert len(history) == len({(h[0], h[1]) for h in history}) == 48 * 5
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_a_rerun_skips_everything(tmp_path):
    grid = make_grid("zeros,he", "0-3", **SMALL)
    local = backends.get("local", engine="numpy")
    first = execute(grid, str(tmp_path / "s.db"), local, batch_size=3)
    again = execute(grid, str(tmp_path / "s.db"), local, batch_size=3)
    assert (first.total, first.already, first.ran, first.added, first.batches) == (8, 0, 8, 8, 3)
    assert (again.already, again.ran, again.batches) == (8, 0, 0)
