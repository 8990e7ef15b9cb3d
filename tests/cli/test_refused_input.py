"""Seeds outside numpy's RandomState range and malformed layer lists are refused at the
boundary: one message on stderr naming the parameter and what is allowed, exit code 2, no files."""

import pytest
from helpers import run_main

SEED_RANGE = "[0, 4294967295]"


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "--seed", "4294967296"], f"seed must be an integer in {SEED_RANGE}"),
        (["compare", "--seed", "-1"], f"seed must be an integer in {SEED_RANGE}"),
        (["compare", "--seeds", "4294967290-4294967299"], "a seed must be an integer in"),
        (["compare", "--dataset", "circles:seed=-1"], f"seed must be an integer in {SEED_RANGE}"),
        (
            ["compare", "--dataset", "circles:test_seed=4294967296"],
            f"test_seed must be an integer in {SEED_RANGE}",
        ),
        (["compare", "--dataset", "moons:seed=99999999999"], "seed must be an integer in"),
        (["diagnose", "--seed", "4294967296", "--depth", "2"], "seed must be an integer in"),
        (["sweep", "--seeds", "4294967296", "--inits", "he"], "a seed must be an integer in"),
        (["summarize", "--seed", "-1"], f"seed must be an integer in {SEED_RANGE}"),
        (["compare", "--layers", "2,,1"], "empty size"),
        (["compare", "--layers", "2,10,"], "empty size"),
        (["diagnose", "--layers", ",2,1"], "empty size"),
        (["sweep", "--layers", "2,,1", "--inits", "he"], "empty size"),
    ],
)
def test_refused_before_any_work(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    extra = ["--store", "runs.db"] if args[0] in ("sweep", "summarize") else []
    if args[0] in ("compare", "diagnose", "summarize"):
        extra += ["--out", "out"]
    iterations = ["--iterations", "2"] if args[0] != "summarize" else []
    code, out, err = run_main(monkeypatch, capsys, *args, *iterations, *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []


def test_the_largest_seed_is_accepted(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "compare",
        "--seed",
        "4294967295",
        "--iterations",
        "2",
        "--inits",
        "he",
        "--every",
        "1",
        "--out",
        "out",
    )
    assert code in (0, None), err
    assert "seed 4294967295" in out
