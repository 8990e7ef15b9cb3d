"""The collapse study: trained runs counted constant against an independent check of each run,
the map's shapes and the CLI's files."""

from __future__ import annotations

import json

import numpy as np
from helpers import run_main

from initlab.signal.collapse import collapse_map, collapsed_after_training


def test_a_born_dead_network_stays_constant_and_a_wide_shallow_one_learns() -> None:
    dead, diverged = collapsed_after_training(20, 2, "he", runs=10, iterations=50, seed=1)
    alive, _ = collapsed_after_training(2, 16, "he", runs=10, iterations=300, seed=1)
    assert dead >= 0.8 and diverged == 0  # width 2, depth 20: born dead (P ≈ 0.99)
    assert alive <= 0.2


def test_the_map_holds_every_cell_and_training_can_be_skipped() -> None:
    result = collapse_map("2,8", "2,4", "he,rai", trials=200, runs=0)
    assert result.born_dead.shape == (2, 2, 2) and np.isnan(result.collapsed).all()
    assert result.born_dead[0, 1, 0] > result.born_dead[0, 0, 0]  # deeper: more dead
    np.testing.assert_allclose(result.bound[1, 0], 1 - 0.75**8)
    assert result.figure() is not None


def test_the_cli_writes_the_picture_and_the_numbers(monkeypatch, capsys, tmp_path) -> None:
    code, out, err = run_main(
        monkeypatch,
        capsys,
        "collapse",
        "--depths",
        "2,6",
        "--widths",
        "2,3",
        "--trials",
        "100",
        "--runs",
        "3",
        "--iterations",
        "20",
        "--out",
        str(tmp_path / "c"),
    )
    assert code in (0, None), err
    numbers = json.loads((tmp_path / "c" / "collapse.json").read_text())
    assert numbers["depths"] == [2, 6] and len(numbers["born_dead"]) == 2
    assert (tmp_path / "c" / "collapse.png").read_bytes()[:4] == b"\x89PNG"
    code, out, err = run_main(
        monkeypatch, capsys, "collapse", "--widths", "2,x", "--out", str(tmp_path / "d")
    )
    assert code == 2 and "widths must be integers >= 1" in err and err.count("\n") == 1
