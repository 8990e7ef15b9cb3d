"""Issue 14 J: stores that cannot be read or written, a store under a file and hand-edited values
each give one message (exit 2, no traceback, nothing left or changed); a read-only store is called
read-only, not corrupt, and a sweep into it leaves no -wal/-shm files; reading (summarize, export)
works on a read-only store in a read-only folder.

File permissions do not bind root, so when the suite runs as root the commands run in this
process with the effective user ``nobody`` (``os.seteuid``), everything they import loaded first.
"""

import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from helpers import run_main, snapshot

import initlab

NOBODY = 65534


@pytest.fixture(scope="module")
def source_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s.db"
    initlab.sweep(["he", "zeros"], "0-2", iterations=2, every=1, store=str(path), engine="numpy")
    initlab.summarize(str(path), "init").files()  # loads all summarize needs while root
    initlab.export(str(path), path.with_suffix(".csv"))
    return path


@pytest.fixture
def shared(source_store):
    """A folder in /tmp that user nobody can enter, holding a copy of the store."""
    folder = Path(tempfile.mkdtemp(prefix="initlab-store-"))
    folder.chmod(0o777)
    shutil.copy(source_store, folder / "s.db")
    (folder / "s.db").chmod(0o666)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777)
    shutil.rmtree(folder)


@contextmanager
def as_nobody():
    """Run as an unprivileged user (when root), with what the commands import loaded first."""
    import urllib.parse  # noqa: F401

    import initlab.cli.sweep  # noqa: F401

    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def _refused(monkeypatch, capsys, folder, *args, nobody=True):
    monkeypatch.chdir(folder)
    before = snapshot(folder)
    with as_nobody() if nobody else nullcontext():
        code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 2, err
    assert err.count("initlab: error:") == 1 and "Traceback" not in out + err
    assert snapshot(folder) == before
    return err


def test_an_unreadable_store_is_one_message(shared, monkeypatch, capsys):
    (shared / "s.db").chmod(0o000)
    for args in (["summarize"], ["export", "x.csv"], ["sweep", "--inits", "he", "--seeds", "0"]):
        err = _refused(monkeypatch, capsys, shared, *args, "--store", "s.db")
        assert "cannot use store 's.db': Permission denied" in err
        assert "corrupt" not in err


def test_a_sweep_into_a_read_only_store_says_so_and_leaves_no_side_files(
    shared, monkeypatch, capsys
):
    (shared / "s.db").chmod(0o444)
    err = _refused(
        monkeypatch, capsys, shared, "sweep", "--inits", "he", "--seeds", "7", "--store", "s.db"
    )
    assert "store 's.db' is read-only for you; a sweep adds runs to it" in err
    assert "corrupt" not in err
    assert sorted(p.name for p in shared.iterdir()) == ["s.db"]


def test_a_sweep_into_a_read_only_folder_says_so(shared, monkeypatch, capsys):
    shared.chmod(0o555)
    err = _refused(
        monkeypatch, capsys, shared, "sweep", "--inits", "he", "--seeds", "7", "--store", "s.db"
    )
    assert f"is in a read-only folder {str(Path('.'))!r}" in err or "read-only folder" in err


@pytest.mark.parametrize("mode", [0o444, 0o666])
def test_summarize_and_export_read_a_store_in_a_read_only_folder(
    shared, source_store, monkeypatch, capsys, tmp_path, mode
):
    (shared / "s.db").chmod(mode)
    shared.chmod(0o555)
    out = Path(tempfile.mkdtemp(prefix="initlab-out-"))
    out.chmod(0o777)
    before = snapshot(shared)
    monkeypatch.chdir(shared)
    try:
        with as_nobody():
            code, stdout, err = run_main(
                monkeypatch, capsys, "summarize", "--store", "s.db", "--out", str(out / "sum")
            )
            assert code in (0, None), err
            code, stdout, err = run_main(
                monkeypatch, capsys, "export", str(out / "runs.csv"), "--store", "s.db"
            )
            assert code in (0, None), err
        assert err == ""
        assert snapshot(shared) == before  # nothing written beside the store
        assert (out / "sum" / "summary.csv").exists()
        assert len((out / "runs.csv").read_text().splitlines()) == 1 + 6
    finally:
        shutil.rmtree(out)


def test_reading_a_writable_store_leaves_no_side_files(shared, monkeypatch, capsys):
    monkeypatch.chdir(shared)
    code, out, err = run_main(monkeypatch, capsys, "export", "x.csv", "--store", "s.db")
    assert code in (0, None), err
    assert sorted(p.name for p in shared.iterdir()) == ["s.db", "x.csv"]


@pytest.mark.parametrize("store", ["f/s.db", "f/deeper/s.db"])
@pytest.mark.parametrize("command", [["summarize"], ["export", "x.csv"], ["sweep", "--inits=he"]])
def test_a_store_under_a_file(tmp_path, monkeypatch, capsys, store, command):
    (tmp_path / "f").write_text("not a folder")
    err = _refused(monkeypatch, capsys, tmp_path, *command, "--store", store, nobody=False)
    assert f"store {store!r} cannot be made: 'f' is a file, not a folder" in err


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            "UPDATE initlab_meta SET value = 'two' WHERE name = 'schema_version'",
            "its schema_version is 'two', not an integer (this initlab writes 1)",
        ),
        ("UPDATE runs SET width = 'wide'", "column width of run '"),
        ("UPDATE runs SET diverged_at = 2.5", "holds 2.5, not an integer"),
        ("UPDATE runs SET test_accuracy = 'high'", "holds 'high', not a number (or empty)"),
    ],
)
def test_hand_edited_values(shared, monkeypatch, capsys, edit, message):
    with sqlite3.connect(shared / "s.db") as connection:
        connection.execute(edit)
    connection.close()
    for args in (["summarize"], ["export", "x.csv"]):
        err = _refused(monkeypatch, capsys, shared, *args, "--store", "s.db")
        assert "store 's.db' was edited by hand: " in err
        assert message in err
