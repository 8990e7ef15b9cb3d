"""The output writer (issue 14 D, E, F): checked destinations, one transaction, nothing stale."""

import os
import tempfile

import pytest
from helpers import snapshot

from initlab.errors import InitlabError
from initlab.report import files as writer


def test_a_reused_folder_holds_exactly_the_new_runs_files(tmp_path):
    out = tmp_path / "o"
    writer.write_all(out, {"boundaries.png": b"old", "report.html": "old", "results.json": "{}"})
    new = {"report.html": "new", "results.json": "[]"}
    assert writer.previous_outputs(out, new) == ["boundaries.png"]
    writer.write_all(out, new)
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.json"]
    assert (out / "report.html").read_text() == "new"


@pytest.mark.parametrize("foreign", ["notes.txt", "data"])
def test_a_folder_with_foreign_files_is_refused_and_left_as_it_was(tmp_path, foreign):
    out = tmp_path / "o"
    out.mkdir()
    (out / "report.html").write_text("mine")
    if foreign == "data":
        (out / foreign).mkdir()
    else:
        (out / foreign).write_text("the user's")
    before = snapshot(tmp_path)
    with pytest.raises(InitlabError, match=f"did not write \\({foreign}\\)"):
        writer.write_all(out, {"report.html": "new"})
    assert snapshot(tmp_path) == before


def test_a_blocked_move_restores_the_previous_run_whole(tmp_path, monkeypatch):
    out = tmp_path / "o"
    writer.write_all(out, {"a.png": b"1", "report.html": "old"})
    before = snapshot(tmp_path)
    real = os.replace

    def replace(src, dst):
        if str(dst).endswith("b.png"):
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InitlabError, match=r"cannot write .*o: Permission denied"):
        writer.write_all(out, {"report.html": "new", "b.png": b"2"})
    assert snapshot(tmp_path) == before


def test_a_failing_json_leaves_the_folder_and_the_json_unchanged(tmp_path, monkeypatch):
    out, json = tmp_path / "o", tmp_path / "r.json"
    writer.write_all(out, {"report.html": "old"})
    json.write_text("old json")
    before = snapshot(tmp_path)
    real = os.replace

    def replace(src, dst):
        if str(dst) == str(json):
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InitlabError, match=r"cannot write .*r\.json: No space left on device"):
        writer.write_all(out, {"report.html": "new", "results.json": "{}"}, {json: "{}"})
    assert snapshot(tmp_path) == before


def test_folders_created_for_a_failed_write_are_removed(tmp_path, monkeypatch):
    def replace(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InitlabError):
        writer.write_all(
            tmp_path / "a" / "b", {"report.html": "x"}, {tmp_path / "c" / "r.json": "{}"}
        )
    assert list(tmp_path.iterdir()) == []


def test_staging_happens_inside_the_destinations_own_folder(tmp_path, monkeypatch):
    out, json = tmp_path / "o", tmp_path / "j" / "r.json"
    used = []
    mkdtemp, mkstemp = tempfile.mkdtemp, tempfile.mkstemp

    def record_dir(*args, **kwargs):
        used.append(("dir", kwargs["dir"]))
        return mkdtemp(*args, **kwargs)

    def record_file(*args, **kwargs):
        used.append(("file", kwargs["dir"]))
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", record_dir)
    monkeypatch.setattr(tempfile, "mkstemp", record_file)
    writer.write_all(out, {"report.html": "x"}, {json: "{}"})
    assert used and all(
        (kind, str(where)) in (("dir", str(out)), ("file", str(json.parent)))
        for kind, where in used
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j", "o"]
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert sorted(p.name for p in json.parent.iterdir()) == ["r.json"]


def test_bad_destinations_are_refused_naming_the_path(tmp_path):
    (tmp_path / "f").write_text("a file")
    (tmp_path / "d").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(InitlabError, match=r"--out .*f is a file"):
        writer.check_folder(tmp_path / "f")
    with pytest.raises(InitlabError, match=r"f is a file, not a folder"):
        writer.check_folder(tmp_path / "f" / "o")
    with pytest.raises(InitlabError, match=r"--json .*d is a folder"):
        writer.check_file(tmp_path / "d")
    with pytest.raises(InitlabError, match=r"f is a file, not a folder"):
        writer.write_file(tmp_path / "f" / "r.json", "{}")
    with pytest.raises(InitlabError, match=r"inside the output folder"):
        writer.write_all(
            tmp_path / "o", {"report.html": "x"}, {tmp_path / "o" / "report.html": "{}"}
        )
    assert snapshot(tmp_path) == before


def test_a_symbolic_link_is_written_through_and_a_device_refused(tmp_path):
    (tmp_path / "target.json").write_text("old")
    os.symlink("target.json", tmp_path / "link.json")
    writer.write_file(tmp_path / "link.json", "new")
    assert os.path.islink(tmp_path / "link.json")
    assert (tmp_path / "target.json").read_text() == "new"
    with pytest.raises(InitlabError, match="/dev/null is not a regular file"):
        writer.write_file("/dev/null", "{}")


def test_leftovers_of_an_interrupted_write_are_cleared(tmp_path):
    out = tmp_path / "o"
    (out / ".initlab-staging-killed").mkdir(parents=True)
    (out / ".initlab-staging-killed" / "report.html").write_text("half")
    writer.write_all(out, {"report.html": "whole"})
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
