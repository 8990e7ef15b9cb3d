"""Issue 14 L: a sweep keys a user file (csv:, npz:) by its content's SHA-256, not its path text:
an edited file is new data (its runs are trained again), and two spellings of one path, or two
copies of one file, are one dataset."""

import hashlib
import sqlite3

import numpy as np

import initlab
from initlab.runs.grid import make_grid
from initlab.runs.spec import data_hash


def _write_csv(path, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    path.write_text(
        "a,b,y\n"
        + "".join(f"{float(a)!r},{float(b)!r},{c}\n" for (a, b), c in zip(X, y, strict=True))
    )


def _keys(store):
    with sqlite3.connect(store) as connection:
        return {k for (k,) in connection.execute("SELECT key FROM runs")}


def _sweep(dataset, store):
    return initlab.sweep(["he"], "0-1", dataset=dataset, iterations=2, every=1, store=str(store))


def test_the_key_holds_the_files_hash_not_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write_csv(tmp_path / "d.csv", 40)
    expected = "sha256:" + hashlib.sha256((tmp_path / "d.csv").read_bytes()).hexdigest()
    assert data_hash("csv:d.csv") == expected
    (run,) = make_grid("he", "0", datasets="csv:d.csv").runs()
    assert run.canonical()["dataset"] == f"csv:{expected}"
    assert "d.csv" not in run.to_json()
    assert data_hash("circles") == ""


def test_an_edited_file_is_trained_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write_csv(tmp_path / "d.csv", 40)
    assert _sweep("csv:d.csv", "s.db").ran == 2
    assert _sweep("csv:d.csv", "s.db").ran == 0  # unchanged: resumed, nothing to do
    first = _keys("s.db")
    _write_csv(tmp_path / "d.csv", 41, seed=1)  # edited in place
    again = _sweep("csv:d.csv", "s.db")
    assert again.ran == 2 and again.already == 0
    assert len(_keys("s.db") - first) == 2


def test_two_spellings_and_two_copies_are_one_dataset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    _write_csv(tmp_path / "d.csv", 40)
    (tmp_path / "sub" / "copy.csv").write_bytes((tmp_path / "d.csv").read_bytes())
    assert _sweep("csv:d.csv", "s.db").ran == 2
    for spelling in ("csv:./d.csv", f"csv:{tmp_path / 'd.csv'}", "csv:sub/../d.csv"):
        assert _sweep(spelling, "s.db").ran == 0
    assert _sweep("csv:sub/copy.csv", "s.db").ran == 0
    grid = make_grid("he", "0-1", datasets=["csv:d.csv", "csv:./d.csv"])
    assert len(grid.runs()) == 2


def test_npz_files_are_keyed_by_content_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    np.savez(tmp_path / "d.npz", X=X, y=(X[:, 1] > 0).astype(int))
    assert _sweep("npz:d.npz", "s.db").ran == 2
    assert _sweep("npz:./d.npz", "s.db").ran == 0
    np.savez(tmp_path / "d.npz", X=-X, y=(X[:, 1] > 0).astype(int))
    assert _sweep("npz:d.npz", "s.db").ran == 2
