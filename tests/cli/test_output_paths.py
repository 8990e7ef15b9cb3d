"""Where the commands write (issue 14 D, E, F, M): bad destinations refused before any work with
one message and exit code 2, nothing left or changed; a reused --out holds exactly the new run."""

import os

import pytest
from helpers import run_main, snapshot


def refused(monkeypatch, capsys, tmp_path, args, message):
    """Run ``initlab ARGS``: exit 2, ``message`` on stderr, no output, ``tmp_path`` unchanged."""
    before = snapshot(tmp_path)
    code, stdout, stderr = run_main(monkeypatch, capsys, *args)
    assert code == 2
    assert stderr.startswith("initlab: error: ") and stderr.count("\n") == 1
    assert message in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""  # refused before any training or printing
    assert snapshot(tmp_path) == before


FAST = ["--iterations", "10", "--every", "5"]


@pytest.mark.parametrize(
    "case",
    ["out is a file", "out under a file", "json is a folder", "json under a file", "json in out"],
)
def test_bad_destinations_are_refused_before_training(tmp_path, monkeypatch, capsys, case):
    (tmp_path / "f").write_text("a file")
    (tmp_path / "d.json").mkdir()
    out, json = tmp_path / "o", tmp_path / "r.json"
    if case == "out is a file":
        out, message = tmp_path / "f", "is a file; give a folder"
    elif case == "out under a file":
        out, message = tmp_path / "f" / "o", "f is a file, not a folder"
    elif case == "json is a folder":
        json, message = tmp_path / "d.json", "d.json is a folder"
    elif case == "json under a file":
        json, message = tmp_path / "f" / "r.json", "f is a file, not a folder"
    else:
        json, message = out / "report.html", "inside the output folder"
    for command in (["compare", *FAST], ["diagnose", "--depth", "2", *FAST[:2]], ["theory"]):
        args = [*command, "--out", out, "--json", json]
        refused(monkeypatch, capsys, tmp_path, args, message)


def test_bench_checks_its_json_before_the_benchmark(tmp_path, monkeypatch, capsys):
    (tmp_path / "f").write_text("a file")
    args = ["bench", "--quick", "--json", tmp_path / "f" / "b.json"]
    refused(monkeypatch, capsys, tmp_path, args, "--json")


def test_summarize_refuses_a_folder_with_foreign_files(tmp_path, monkeypatch, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "summary.csv").write_text("old")
    (out / "thesis.tex").write_text("the user's")
    args = ["summarize", "--store", tmp_path / "none.db", "--out", out]
    refused(monkeypatch, capsys, tmp_path, args, "holds files initlab did not write (thesis.tex)")


def test_a_reused_out_holds_exactly_the_new_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "boundaries.png").write_bytes(b"a previous compare")
    (out / "report.html").write_text("a previous compare")
    code, stdout, stderr = run_main(monkeypatch, capsys, "theory", "--out", out)
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["phase.png", "theory.json"]
    assert "Removed the previous run's boundaries.png, report.html" in stdout


@pytest.mark.parametrize("case", ["a folder", "under a file"])
def test_export_refuses_a_folder_or_a_path_under_a_file(tmp_path, monkeypatch, capsys, case):
    (tmp_path / "r.db").write_bytes(b"not read: refused before")
    (tmp_path / "d.csv").mkdir()
    (tmp_path / "f").write_text("a file")
    if case == "a folder":
        target, message = tmp_path / "d.csv", "d.csv is a folder"
    else:
        target, message = tmp_path / "f" / "x.csv", "f is a file, not a folder"
    args = ["export", target, "--store", tmp_path / "r.db"]
    refused(monkeypatch, capsys, tmp_path, args, message)


@pytest.mark.parametrize("case", ["same name", "another spelling", "link to the store", "wal"])
def test_export_never_overwrites_the_store(tmp_path, monkeypatch, capsys, case):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs.csv").write_bytes(b"SQLite format 3\x00 the runs")
    (tmp_path / "runs.csv-wal").write_bytes(b"the write-ahead log")
    store, target, message = "runs.csv", "runs.csv", "is the results store 'runs.csv'"
    if case == "another spelling":
        target = str(tmp_path / "." / "runs.csv")
    elif case == "link to the store":
        os.symlink("runs.csv", tmp_path / "link.csv")
        target = "link.csv"
    elif case == "wal":
        os.symlink("runs.csv-wal", tmp_path / "wal.csv")
        target, message = "wal.csv", "is the results store's wal file"
    refused(monkeypatch, capsys, tmp_path, ["export", target, "--store", store], message)


def test_an_unforeseen_os_error_is_one_message_not_a_traceback(monkeypatch, capsys):
    import sys

    import initlab.cli  # noqa: F401  (the package, whose name ``app`` main() calls)

    cli = sys.modules["initlab.cli"]

    def app():
        raise PermissionError(13, "Permission denied", "/data/in.csv")

    monkeypatch.setattr(cli, "app", app)
    code, stdout, stderr = run_main(monkeypatch, capsys, "compare")
    assert code == 2 and stdout == ""
    assert stderr == "initlab: error: /data/in.csv: Permission denied\n"
