"""Issue 14 N: a run whose cost is finite but astronomically large did not diverge (the engine's
rule: diverged = the cost or a logit stopped being finite), and the store, the comparison's table
and its JSON agree on it; successful runs with overflow inside (diverging runs, their figures, a
deep random network) print nothing on stderr."""

import json
import math

from helpers import run_cli

import initlab


def test_a_finite_huge_cost_is_not_divergence_in_the_store_table_and_json(tmp_path):
    store = str(tmp_path / "s.db")
    initlab.sweep(
        ["random:scale=1e100"], "0-1", activation="tanh", iterations=5, every=1, store=store
    )
    runs = initlab.load(store)
    assert runs["diverged_at"].isna().all()
    assert all(1e90 < c < 1e110 and math.isfinite(c) for c in runs["final_cost"])

    result = initlab.compare(["random:scale=1e100", "he"], activation="tanh", iterations=5, every=1)
    run = result.run("random:scale=1e+100")
    assert not run.diverged and 1e90 < run.final_cost < 1e110
    data = json.loads(result.to_json())["runs"][0]
    assert data["diverged"] is False and data["final_cost"] == run.final_cost
    row = result.table().iloc[0].to_dict()
    assert row["final cost"] == run.final_cost and "diverged" not in row["diagnosis"]


def test_successful_runs_with_overflow_inside_print_nothing_on_stderr(tmp_path):
    commands = [
        [
            "compare",
            "--inits",
            "random:scale=1e100,he,random:scale=1e150",
            "--iterations",
            "20",
            "--every",
            "1",
            "--out",
            "a",
        ],
        [
            "sweep",
            "--inits",
            "random:scale=1e100,he",
            "--seeds",
            "0-1",
            "--iterations",
            "5",
            "--every",
            "1",
            "--store",
            "s.db",
        ],
        ["summarize", "--store", "s.db", "--metric", "final_cost", "--out", "c"],
    ]
    for args in commands:
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", (args, done.stderr)
