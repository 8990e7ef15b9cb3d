"""The sweep figure: one line per initializer through its means, shaded between its CI bounds."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from initlab.analysis.statistics import summary_table
from initlab.errors import InitlabError
from initlab.viz.summary import metric_figure


def _summary():
    rng = np.random.default_rng(0)
    rows = [
        {
            "init": init,
            "depth": depth,
            "seed": seed,
            "test_accuracy": acc,
            "train_accuracy": acc,
            "final_cost": 1 - acc,
            "diverged_at": None,
            "iters_to_target": None,
        }
        for init, base in (("he", 0.9), ("zeros", 0.5))
        for depth in (1, 2, 4)
        for seed in range(6)
        for acc in [float(np.clip(base - 0.02 * depth + rng.normal(0, 0.03), 0, 1))]
    ]
    runs = pd.DataFrame(rows).astype({"diverged_at": "Int64", "iters_to_target": "Int64"})
    return summary_table(runs, ["init", "depth"], target=0.9, n_resamples=200)


def test_one_line_per_initializer_through_the_means_with_its_band(tmp_path):
    table = _summary()
    fig = metric_figure(table, "depth")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"he", "zeros"}
    for init, line in lines.items():
        rows = table[table["init"] == init].sort_values("depth")
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 4])
        np.testing.assert_allclose(line.get_ydata(), rows["test_accuracy_mean"])
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    he = table[table["init"] == "he"]
    vertices = bands[0].get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx(he["test_accuracy_ci_low"].min())
    assert vertices[:, 1].max() == pytest.approx(he["test_accuracy_ci_high"].max())
    assert ax.get_xlabel() == "depth"
    fig.savefig(tmp_path / "sweep.png")
    assert (tmp_path / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_an_axis_each_initializer_is_a_point_with_error_bars():
    table = summary_table(
        pd.DataFrame(
            {
                "init": ["a", "a", "b", "b"],
                "seed": [0, 1, 0, 1],
                "test_accuracy": [0.9, 0.8, 0.5, 0.6],
                "train_accuracy": [1, 1, 1, 1],
                "final_cost": [0.1, 0.2, 0.6, 0.5],
                "diverged_at": [None] * 4,
                "iters_to_target": [None] * 4,
            }
        ).astype({"diverged_at": "Int64", "iters_to_target": "Int64"}),
        "init",
        target=0.9,
        n_resamples=100,
    )
    fig = metric_figure(table, None, "success")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    with pytest.raises(InitlabError, match="unknown metric"):
        metric_figure(table, None, "loss")
