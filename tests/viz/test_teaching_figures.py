"""What the figures show a class: the cost to the last iteration, many boundaries as a grid with
x₁, x₂ and a class legend, the output layer named, and shares in percent."""

from __future__ import annotations

import pandas as pd
import pytest

import initlab
from initlab.viz.summary import metric_figure

INITS = ["zeros", "random", "he", "glorot_uniform", "orthogonal", "lecun_normal", "xavier_normal"]


@pytest.fixture(scope="module")
def seven():
    return initlab.compare(INITS, iterations=150, every=100, engine="numpy")


def test_the_cost_curves_end_at_the_last_iteration(seven):
    (ax,) = seven.plot().axes
    assert not any(run.diverged for run in seven.runs)
    for line, run in zip(ax.get_lines(), seven.runs, strict=True):
        x, y = line.get_data()
        assert x[-1] == 150 and y[-1] == run.final_cost  # recorded at 0 and 100 only
    assert ax.get_xlim()[1] >= 150


def test_many_boundaries_make_a_grid_with_axis_labels_and_a_legend(seven):
    fig = seven.figures()["boundaries"]
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 7
    columns = {round(ax.get_position().x0, 3) for ax in shown}
    rows = {round(ax.get_position().y0, 3) for ax in shown}
    assert len(columns) == 4 and len(rows) == 2
    assert {ax.get_xlabel() for ax in shown} == {"x₁"} and {ax.get_ylabel() for ax in shown} == {
        "x₂"
    }
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1"]
    width, height = fig.get_size_inches()
    assert width < 14 and height > 6  # not one 2,772-px strip


def test_the_output_layer_is_labelled_in_depth_figures(seven):
    fig = seven.figures()["signal"]
    ax = fig.axes[2]  # he: 2-10-5-1 has layers 1, 2 and the output
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "out"]


def test_accuracies_in_the_summary_figure_read_as_percentages():
    table = pd.DataFrame(
        {
            "init": ["he", "zeros"],
            "n": [5, 5],
            "test_accuracy_mean": [0.93, 0.5],
            "test_accuracy_ci_low": [0.9, 0.5],
            "test_accuracy_ci_high": [0.96, 0.5],
        }
    )
    fig = metric_figure(table, None)
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels and all(label.endswith("%") for label in labels)
    assert "100%" in labels
