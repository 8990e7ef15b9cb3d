"""The report's HTML: numbers right-aligned, formulas set, the table in its own scrolling box,
titles naming the data, and the notebook view of every kind of result."""

from __future__ import annotations

import numpy as np
import pandas as pd

import initlab
from initlab.data.naming import dataset_name
from initlab.report.document import math_html, numeric_columns, render_html


def test_numeric_columns_are_found_by_their_cells():
    table = pd.DataFrame(
        {
            "init": ["he", "zeros"],
            "train accuracy": ["99.3%", "diverged"],
            "final cost": [0.0648, "diverged"],
            "CI": ["[91.0, 95.5]", "–"],
            "diagnosis": ["converged", "diverged"],
        }
    )
    assert numeric_columns(table) == [False, True, True, True, False]


def test_formulas_are_set_and_names_left_alone():
    assert math_html("q_l = σ_w²·E[φ(√q_{l−1} z)²] + σ_b²") == (
        "q<sub>l</sub> = σ<sub>w</sub>²·E[φ(√q<sub>l−1</sub> z)²] + σ<sub>b</sub>²"
    )
    assert math_html("glorot_uniform and lecun_normal <b>") == (
        "glorot_uniform and lecun_normal &lt;b&gt;"
    )


def test_the_comparison_page(seed_comparison):
    page = render_html(seed_comparison.report())
    assert "<meta name='viewport'" in page and "<div class='table-box'>" in page
    assert "<th class='num'>train accuracy</th>" in page
    assert '<td class="num">99.3%</td>' in page
    assert "q_{" not in page and "q<sub>l−1</sub>" in page


def test_titles_name_the_dataset(tmp_path):
    assert dataset_name("circles:noise=0.1") == "circles"
    assert dataset_name(f"csv:{tmp_path}/flowers.csv,label=y") == "flowers.csv"
    assert dataset_name(f"npz:{tmp_path}/d.npz") == "d.npz"
    rng = np.random.default_rng(0)
    path = tmp_path / "two.npz"
    np.savez(path, X=rng.normal(size=(40, 3)), y=(rng.random(40) > 0.5).astype(int))
    result = initlab.compare(["he"], dataset=f"npz:{path}", iterations=20, engine="numpy")
    assert result.report().title == "Weight initialization on two.npz"


def test_every_result_has_a_rich_and_a_short_view():
    phase = initlab.phase_diagram("tanh", "lecun_normal,he")
    html = phase._repr_html_()
    assert "<table" in html and html.count("<img") == 1 and "σ<sub>w</sub>²" in html
    assert repr(phase).startswith("PhaseDiagram: tanh") and len(repr(phase).splitlines()) == 3
    result = initlab.compare(["zeros", "he"], iterations=50, every=25, seeds="0-2")
    summary = result.over_seeds
    html = summary._repr_html_()
    assert "<table" in html and html.count("<img") == 1
    assert repr(summary).startswith("Summary:")
    html = result._repr_html_()
    assert "Over 3 seeds" in html and "fails to break symmetry" in html
    assert html.count("<img") == len(result.figures())
