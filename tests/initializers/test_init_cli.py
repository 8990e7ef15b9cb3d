"""``initlab inits``, the docs table, and ``initlab compare`` with every kind of initializer."""

import json
from pathlib import Path

from helpers import run_cli, run_main

from initlab.initializers import REGISTRY
from initlab.initializers.catalog import markdown_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "initializers.md"


def test_inits_lists_every_initializer_with_formula_and_framework_names(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "inits")
    assert code == 0
    for name in REGISTRY:
        assert name in out
    for framework_name in [
        "xavier_uniform_",
        "GlorotUniform",
        "kaiming_normal_",
        "HeNormal",
        "VarianceScaling",
        "orthogonal_(gain)",
        "trunc_normal_",
    ]:
        assert framework_name in out
    assert "ship those names as truncated normals of the same variance" in " ".join(out.split())


def test_inits_json_is_the_registry(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "inits", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == list(REGISTRY)
    by_name = {r["name"]: r for r in rows}
    assert by_name["he_normal"]["aliases"] == ["kaiming_normal"]
    assert by_name["he_normal"]["defaults"] == {
        "a": 0.0,
        "mode": "fan_in",
        "nonlinearity": "leaky_relu",
    }
    assert by_name["he_normal"]["pytorch"] == "kaiming_normal_"
    assert by_name["he_truncated_normal"]["keras"].startswith("HeNormal")
    assert by_name["lsuv"]["needs_data"] and by_name["torch_linear"]["bias"]


def test_the_docs_carry_the_current_table():
    assert markdown_table() in DOCS.read_text()


def test_bad_init_spec_exits_2_with_one_message(monkeypatch, capsys, tmp_path):
    out_dir = tmp_path / "out"
    for spec, message in [
        ("he,variance_scaling:scale=-2", "scale must be a finite number > 0; got -2"),
        ("sparse:sparsity=1", "sparsity must be a number in [0, 1); got 1"),
        ("glorot_unifrom", "did you mean 'glorot_uniform'"),
        ("he_normal:gain=2", "unknown parameter 'gain' for initializer 'he_normal'"),
        ("variance_scaling:distribution=cauchy", "unknown distribution 'cauchy'"),
    ]:
        code, out, err = run_main(
            monkeypatch,
            capsys,
            "compare",
            "--inits",
            spec,
            "--iterations",
            "2",
            "--out",
            str(out_dir),
        )
        assert code == 2, spec
        assert err.startswith("initlab: error: ") and message in err and err.count("\n") == 1
        assert "Traceback" not in out + err
        assert not out_dir.exists()


def test_compare_runs_every_kind_of_initializer_end_to_end(tmp_path):
    inits = "zeros,random,he,glorot_uniform,lecun_normal,orthogonal,lsuv"
    result = run_cli(
        "compare",
        "--inits",
        inits,
        "--iterations",
        "60",
        "--every",
        "20",
        "--out",
        str(tmp_path / "out"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert [run["init"] for run in data["runs"]] == [
        "zeros",
        "random:scale=10.0",
        "he",
        "glorot_uniform:gain=1.0",
        "lecun_normal",
        "orthogonal:gain=1.0",
        "lsuv:tol=0.1,max_tries=10",
    ]
    for run in data["runs"]:
        assert [c[0] for c in run["costs"]] == [0, 20, 40]
        assert 0 <= run["train_accuracy"] <= 1
        assert run["init"] in result.stdout
    assert "lsuv:tol=0.1,max_tries=10" in (tmp_path / "out" / "report.html").read_text()
