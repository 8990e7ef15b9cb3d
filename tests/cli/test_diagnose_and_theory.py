"""``initlab diagnose`` and ``initlab theory`` end to end, their files and their errors."""

import json

import pytest
from helpers import run_cli, run_main


def test_diagnose_end_to_end(tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "diagnose",
        "--depth",
        "4",
        "--width",
        "16",
        "--iterations",
        "20",
        "--engine",
        "numpy",
        "--out",
        str(out),
        "--json",
        str(tmp_path / "d.json"),
    )
    assert result.returncode == 0, result.stderr
    for init in ("zeros", "random", "lecun_normal", "he"):
        assert init in result.stdout
    assert "fails to break symmetry" in result.stdout and "theory" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "activations.png",
            "signal.png",
            "gradients.png",
            "training_signal.png",
            "training_gradients.png",
            "report.html",
            "report.md",
            "results.json",
        ]
    )
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 5 and "Why each row" in html
    data = json.loads((tmp_path / "d.json").read_text())
    assert data == json.loads((out / "results.json").read_text())
    assert data["network"]["layers"] == [2, 16, 16, 16, 16, 1]
    assert data["checkpoints"] == [0, 10, 20]
    he = data["runs"][3]
    assert he["theory"]["sigma_w2"] == [2.0] * 5
    assert len(he["checkpoints"]) == 3 and len(he["checkpoints"][0]["pre_std"]) == 5


def test_theory_end_to_end(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    code, stdout, stderr = run_main(
        monkeypatch,
        capsys,
        "theory",
        "--activation",
        "tanh",
        "--out",
        str(out),
        "--json",
        str(tmp_path / "t.json"),
    )
    assert code == 0, stderr
    assert "Critical line at σ_b² = 0: σ_w² = 1" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["phase.png", "theory.json"]
    data = json.loads((tmp_path / "t.json").read_text())
    line = data["critical_line"]
    assert line["sigma_b2"][0] == 0 and abs(line["sigma_w2"][0] - 1) < 1e-9
    phases = {p["init"]: p["phase"] for p in data["inits"]}
    assert phases["lecun_normal"] == "critical (χ = 1)"
    assert phases["he"].startswith("chaotic") and phases["zeros"].startswith("ordered")


@pytest.mark.parametrize(
    "args, message",
    [
        (["theory", "--activation", "nope"], "unknown activation 'nope'"),
        (["theory", "--inits", "he,orthogonal"], "Supported: "),
        (["theory", "--width", "0"], "width must be an integer >= 1"),
        (
            ["theory", "--width", "1000000000000"],
            "σ_w² = 1e+14, σ_b² = 0, beyond what the theory computes (σ_w² and σ_b² up to 1e+12); "
            "use a width of at most 10,000,000,000",
        ),
        (
            [
                "theory",
                "--activation",
                "relu",
                "--inits",
                "he,normal:std=1000",
                "--width",
                "2000000",
            ],
            "std=1000 gives σ_w² = 2e+12, σ_b² = 0, beyond what the theory computes",
        ),
        (["theory", "--inits", "random:scale=1e7", "--width", "1"], "use a smaller scale"),
        (["diagnose", "--checkpoints", "0,x"], "--checkpoints must be integers"),
        (["diagnose", "--depth", "0"], "depth must be an integer >= 1"),
        (["diagnose", "--inits", "hee"], "did you mean 'he'"),
        (["diagnose", "--engine", "gpu"], "unknown engine 'gpu'"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, monkeypatch, capsys, args, message):
    out = tmp_path / "out"
    code, stdout, stderr = run_main(monkeypatch, capsys, *args, "--out", str(out))
    assert code == 2
    assert stderr.startswith("initlab: error: ") and message in stderr
    assert "Traceback" not in stderr + stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_diagnose_api_and_command_agree_with_their_defaults(tmp_path):
    """One table of defaults (``initlab.runs.defaults``) serves both: the same network, the same
    iterations and checkpoints, the same numbers."""
    import initlab

    result = run_cli("diagnose", "--out", str(tmp_path / "o"), "--json", str(tmp_path / "d.json"))
    assert result.returncode == 0, result.stderr
    from_cli = json.loads((tmp_path / "d.json").read_text())
    from_api = json.loads(initlab.diagnose().to_json())
    for numbers in (from_cli, from_api):
        numbers.pop("created")
    assert from_api["iterations"] == 500 and len(from_api["network"]["layers"]) == 22
    assert from_cli == from_api


def test_theory_at_the_widest_layer_it_computes_gives_a_finite_fixed_point():
    from initlab.experiments import phase_diagram

    point = phase_diagram("tanh", "random", width=10**10).points[0]
    assert point.sigma_w2 == 1e12 and 0 < point.q_star < float("inf")
