"""Depth profiles: what each panel shows, from given numbers."""

import numpy as np
from matplotlib.figure import Figure

from initlab.report.document import png_bytes
from initlab.viz import depth as figures


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def test_depth_figure_draws_measured_and_theory_on_log_axes():
    layers = [1, 2, 3, 4]
    panels = [
        figures.Panel(
            "he",
            [
                figures.Curve("measured", layers, [1.0, 0.9, 1.1, 0.5]),
                figures.Curve("theory", layers, [1.0] * 4, kind="theory"),
            ],
            0,
        ),
        figures.Panel(
            "zeros",
            [figures.Curve("measured", layers, [0.0, 0.0, 0.0, 0.0])],
            1,
            "every value is 0",
        ),
        figures.Panel("lecun", [figures.Curve("measured", layers, [1.0, None, 0.25, 0.125])], 2),
    ]
    fig = figures.depth_figure(panels, "std", "title")
    assert isinstance(fig, Figure)
    axes = visible_axes(fig)
    assert len(axes) == 3
    he, zeros, lecun = axes
    assert he.get_yscale() == "log" and len(he.lines) == 2
    np.testing.assert_array_equal(he.lines[1].get_ydata(), [1.0] * 4)
    assert he.lines[1].get_linestyle() == "--"
    assert not zeros.lines and any("every value is 0" in t.get_text() for t in zeros.texts)
    np.testing.assert_array_equal(lecun.lines[0].get_xdata(), [1, 3, 4])  # None left out
    assert png_bytes(fig)[:4] == b"\x89PNG"


def test_run_panel_notes_layers_with_zero_values():
    panel = figures.run_panel(
        "zeros",
        0,
        "grad_z",
        {"grad_z": [0.0, 0.0, 0.03]},
        {"grad_z": [0.0, 0.0, 0.02]},
        {"grad_z": [0.0, 0.0, 0.03]},
    )
    assert panel.note == "exactly 0 at layers 1–2"
    assert [c.kind for c in panel.curves] == ["measured", "theory", "later"]
