"""Figures render whatever finite numbers they are given (issue 14, cause B): costs of 1e300 beside
tiny ones, depth profiles over 1e-300..1e300, activations as large, data near 1e308 — values beyond
what matplotlib can draw are drawn at the edge (or in units of a power of ten) and the figure
says so."""

import numpy as np
import pytest

from initlab.data.dataset import Dataset
from initlab.nn.network import Network
from initlab.report.document import png_bytes
from initlab.runs.run import Run
from initlab.viz import activations, boundary, costs, dataset, depth
from initlab.viz.style import LIMIT, clip_to_drawable, drawing_scale

PNG = b"\x89PNG"


def _texts(fig):
    return (
        " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
        + " "
        + (fig._supxlabel.get_text() if getattr(fig, "_supxlabel", None) else "")
    )


def _run(init, cost_values, diverged_at=None, sizes=(2, 3, 1)):
    params = [(np.zeros((o, i)), np.zeros(o)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    return Run(
        init,
        0,
        list(enumerate(cost_values)),
        None if diverged_at is not None else cost_values[-1],
        None if diverged_at is not None else cost_values[-1],
        None if diverged_at is not None else 0.5,
        None if diverged_at is not None else 0.5,
        diverged_at,
        "",
        params,
        params,
    )


def test_clip_to_drawable_keeps_what_fits_and_reports_what_it_moves():
    values, moved = clip_to_drawable([1e-300, 0.5, 1e300, np.nan, 0.0], log=True)
    assert moved
    np.testing.assert_array_equal(values[[1, 4]], [0.5, 0.0])
    assert values[0] == 1 / LIMIT and values[2] == LIMIT and np.isnan(values[3])
    same, moved = clip_to_drawable([-3.0, 2.0, 1e50])
    assert not moved and list(same) == [-3.0, 2.0, 1e50]


@pytest.mark.parametrize(
    "curves",
    [
        [[0.7, 1e10, 1e272], [0.69, 0.5, 1e-300]],
        [[1e300, 1e301, 1e-320], [1.0, 0.1, 0.01]],
        [[1.7e308, 1.0], [5e-324, 2.0]],
    ],
)
def test_the_cost_figure_renders_huge_and_tiny_costs_and_says_so(curves):
    runs = [_run("random", curves[0], diverged_at=len(curves[0])), _run("he", curves[1])]
    fig = costs.cost_figure(runs, 0.1)
    assert png_bytes(fig).startswith(PNG)
    assert fig.axes[0].get_yscale() == "log"
    assert "drawn at" in _texts(fig)


def test_an_ordinary_cost_figure_has_no_clipping_note():
    fig = costs.cost_figure([_run("he", [0.7, 0.5, 0.3])], 0.1)
    assert png_bytes(fig).startswith(PNG)
    assert "drawn at" not in _texts(fig)


def test_depth_profiles_from_1e_minus_300_to_1e300_render():
    layers = list(range(1, 201))
    values = list(np.geomspace(1e-300, 1e300, 200))
    panels = [
        depth.Panel("random", [depth.Curve("measured", layers, values)], 0),
        depth.Panel("he", [depth.Curve("measured", layers, values[::-1], "later", 0.5)], 1),
        depth.Panel("plain", [depth.Curve("measured", [1, 2], [1.0, 2.0])], 2),
    ]
    fig = depth.depth_figure(panels, "std", "title")
    assert png_bytes(fig).startswith(PNG)
    notes = [" ".join(t.get_text() for t in ax.texts) for ax in fig.axes if ax.get_visible()]
    assert "drawn at" in notes[0] and "drawn at" in notes[1] and "drawn at" not in notes[2]


def test_activation_histograms_of_huge_and_tiny_values_render():
    rng = np.random.default_rng(0)
    layers = [rng.normal(size=200) * 10.0**e for e in (-300, -100, 0, 100, 300)]
    fig = activations.activation_histograms(["random", "he"], [layers, layers[:3]], "tanh")
    assert png_bytes(fig).startswith(PNG)
    assert "drawn at" in _texts(fig)


def _huge_dataset(n_features, scale=1e307):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(40, n_features)) * scale
    y = (X[:, 0] > 0).astype(int)
    return Dataset("csv", X[:30], y[:30], X[30:], y[30:])


@pytest.mark.parametrize("n_features", [1, 2, 3])
@pytest.mark.parametrize("scale", [1e307, 1.7e308])
def test_the_data_figure_of_values_near_1e308_renders_in_named_units(n_features, scale):
    fig = dataset.dataset_figure(_huge_dataset(n_features, scale))
    assert png_bytes(fig).startswith(PNG)
    assert "×1e30" in fig.axes[0].get_xlabel()


def test_the_boundary_figure_of_values_near_1e308_renders_in_named_units():
    data = _huge_dataset(2)
    runs = [_run("he", [0.7, 0.6]), _run("random", [0.7, 1e300], diverged_at=2)]
    fig = boundary.boundary_figure(Network((2, 3, 1)), runs, data, resolution=20)
    assert png_bytes(fig).startswith(PNG)
    assert "units of 1e30" in _texts(fig)


def test_drawing_scale_is_one_for_ordinary_data():
    assert drawing_scale([[-3.0, 2.0], [1e90, 0.0]]) == (1.0, "")
    assert drawing_scale([1e307]) == (1e307, " (×1e307)")
