"""The signal commands: bad input is one clear error (exit 2, nothing written); a tiny run writes
its figure, report and JSON."""

import json

import pytest
from helpers import run_main, snapshot


@pytest.mark.parametrize(
    "args, message",
    [
        (["isometry", "--depths", "8,x"], "--depths must be integers separated by commas"),
        (["isometry", "--depths", "8,,32"], "one value between each pair of commas"),
        (["isometry", "--activation", "tanhh"], "unknown activation 'tanhh'"),
        (["isometry", "--width", "1"], "width must be an integer"),
        (["trainability", "--sigma-w2", "1,-2"], "sigma_w2 must be"),
        (["trainability", "--depths", "0.5"], "--depths must be integers"),
        (["coordcheck", "--parametrizations", "sp,abc"], "unknown parametrization 'abc'"),
        (["coordcheck", "--widths", "64,99999"], "at most 8,192"),
        (["coordcheck", "--lr", "0"], "lr must be"),
    ],
)
def test_bad_input_is_one_clear_error(monkeypatch, capsys, tmp_path, args, message):
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    code, _, err = run_main(monkeypatch, capsys, *args, "--out", tmp_path / "out")
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.count("initlab: error:") == 1
    assert snapshot(tmp_path) == before


def test_isometry_writes_its_figure_report_and_json(monkeypatch, capsys, tmp_path):
    out = tmp_path / "iso"
    code, stdout, _ = run_main(
        monkeypatch,
        capsys,
        "isometry",
        "--depths",
        "2,4",
        "--width",
        "16",
        "--inputs",
        "1",
        "--out",
        out,
        "--json",
        tmp_path / "iso.json",
    )
    assert code == 0 and "Wrote" in stdout
    assert {"isometry.png", "report.html", "report.md", "results.json"} <= {
        p.name for p in out.iterdir()
    }
    data = json.loads((tmp_path / "iso.json").read_text())
    assert len(data["spectra"]) == 16 and data["spectra"][0]["theory"]["mean"] > 0
    for item in data["spectra"]:  # the free-probability density beside every histogram
        density = item["density"]
        assert len(density["grid"]) == len(density["density"]) > 100
        assert density["mean"] == pytest.approx(item["theory"]["mean"], rel=0.03)


def test_coordcheck_writes_both_figures(monkeypatch, capsys, tmp_path):
    out = tmp_path / "cc"
    code, _, _ = run_main(
        monkeypatch,
        capsys,
        "coordcheck",
        "--widths",
        "16,32",
        "--dataset",
        "blobs:n_features=4,classes=3",
        "--lrs",
        "0.1,1",
        "--lr-widths",
        "16,32",
        "--lr-steps",
        "2",
        "--out",
        out,
    )
    assert code == 0
    data = json.loads((out / "results.json").read_text())
    assert {"coordcheck.png", "lr_transfer.png"} <= {p.name for p in out.iterdir()}
    assert set(data["best_lr"]) == {"sp", "mup"}
