"""Residual networks through the public API and the CLI: ReZero/SkipInit beat a plain deep MLP
with He; the residual schemes run in compare, diagnose and the estimator; bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import run_main

from initlab.experiments.compare import compare
from initlab.experiments.diagnose import diagnose

RESIDUAL = "auto,8,res8x32,auto"  # 32 blocks: 34 weight layers
PLAIN = ",".join(["auto"] + ["8"] * 33 + ["auto"])  # 34 weight layers


def test_rezero_and_skipinit_beat_the_plain_deep_mlp_with_he() -> None:
    kwargs = dict(dataset="spiral", iterations=150, lr=0.05, every=50, engine="numpy")
    residual = compare(["rezero", "skipinit"], RESIDUAL, **kwargs)
    plain = compare(["he"], PLAIN, **kwargs)
    he_cost = plain.runs[0].final_cost
    assert he_cost is not None
    for run in residual.runs:
        assert run.final_cost is not None and run.final_cost < he_cost - 0.05, run.init


def test_residual_schemes_run_in_diagnose_with_gradients_through_the_shortcuts() -> None:
    result = diagnose(
        ["rezero", "fixup", "zero"],
        "auto,6,res6x4:2,auto",
        iterations=20,
        dataset="spiral",
        engine="fast",
    )
    first = result.stats[0]
    assert first.grad_w.shape == (3, 10)
    assert np.isfinite(first.grad_w).all()
    # ReZero at α = 0: no gradient reaches a branch weight, but the first layer gets one
    # through the shortcuts
    assert first.grad_w[0, 1] == 0 and first.grad_w[0, 0] > 0
    assert result.alive.all()


def test_the_diagnose_command_takes_residual_layers_and_says_so(monkeypatch, capsys, tmp_path):
    import json

    code, out, err = run_main(
        monkeypatch,
        capsys,
        "diagnose",
        "--inits",
        "skipinit,idinit,rai",
        "--layers",
        "auto,4,res4x2:2,auto",
        "--iterations",
        "4",
        "--engine",
        "numpy",
        "--out",
        str(tmp_path / "d"),
    )
    assert code in (0, None), err
    numbers = json.loads((tmp_path / "d" / "results.json").read_text())
    assert numbers["network"]["layers"] == [2, 4, 4, 4, 4, 4, 1]
    assert numbers["network"]["blocks"] == [[1, 2], [3, 2]]
    assert numbers["network"]["text"] == "2-4-res4x2:2-1"
    assert [len(run["checkpoints"][0]["pre_std"]) for run in numbers["runs"]] == [6, 6, 6]
    # SkipInit's α = 0: the branches add nothing, so the first layer's signal reaches the last
    # hidden layer unchanged
    first = numbers["runs"][0]["checkpoints"][0]
    assert first["act_std"][0] == first["act_std"][-1]


def test_the_estimator_takes_the_plain_schemes_and_refuses_fixup() -> None:
    from initlab.errors import InitlabError
    from initlab.estimator import MLPClassifier

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    for init in ("zero", "idinit", "rai"):
        model = MLPClassifier((4, 4), init=init, max_iter=20, engine="numpy").fit(X, y)
        assert np.isfinite(model.loss_)
    with pytest.raises(InitlabError, match="residual networks"):
        MLPClassifier((4, 4), init="fixup", max_iter=2).fit(X, y)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layers", "auto,res8x3,auto"], "the item before it must be a layer of 8 units"),
        (["--layers", "auto,4,res8x3,auto"], "it follows a layer of 4 units"),
        (["--layers", "auto,8,res8x3:3,auto"], "m in (1, 2)"),
        (["--inits", "fixup"], "is for residual networks"),
    ],
)
def test_bad_residual_input_is_one_clear_error(monkeypatch, capsys, tmp_path, args, message):
    code, out, err = run_main(
        monkeypatch, capsys, "compare", *args, "--iterations", "2", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert err.startswith("initlab: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_the_race_profiles_are_the_gradients_of_each_layer(monkeypatch, capsys, tmp_path) -> None:
    import json

    from initlab.experiments.residual_race import residual_race

    race = residual_race(
        ["rezero", "he"], blocks=3, width=4, iterations=10, every=5, engine="numpy"
    )
    assert race.residual_profile.shape == (2, 5) and race.plain_profile.shape == (1, 5)
    # ReZero at α = 0: the branch layers (2..4) get exactly no gradient, the ends do
    assert (race.residual_profile[0, 1:4] == 0).all() and race.residual_profile[0, 0] > 0
    assert (race.residual_profile[1] > 0).all()
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "residual",
        "--inits",
        "rezero",
        "--blocks",
        "2",
        "--width",
        "4",
        "--iterations",
        "5",
        "--engine",
        "numpy",
        "--out",
        str(tmp_path / "r"),
    )
    assert code in (0, None), err
    numbers = json.loads((tmp_path / "r" / "race.json").read_text())
    assert [r["network"] for r in numbers["runs"]] == ["residual", "plain"]
    assert (tmp_path / "r" / "race.png").read_bytes()[:4] == b"\x89PNG"
