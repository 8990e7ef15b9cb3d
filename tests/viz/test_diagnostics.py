"""Per-layer figures: what each panel shows, from given numbers."""

import numpy as np
from matplotlib.figure import Figure

from initlab.report.document import png_bytes
from initlab.viz import depth as figures
from initlab.viz import phase as phase_figures


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


def test_histograms_pick_the_value_axis_from_the_layers():
    rng = np.random.default_rng(0)
    shrinking = [np.maximum(rng.standard_normal(500), 0) * 2.0**-i for i in range(12)]
    steady = [np.tanh(rng.standard_normal(500)) for _ in range(12)]
    zeros = [np.zeros(500) for _ in range(12)]
    fig = figures.activation_histograms(
        ["lecun", "glorot", "zeros"], [shrinking, steady, zeros], "relu"
    )
    lecun, glorot, zero = visible_axes(fig)
    assert lecun.get_yscale() == "log"  # typical sizes span 2^11: logarithmic
    assert glorot.get_yscale() == "linear"
    assert len(lecun.collections) == 12 and len(glorot.collections) == 12  # one column per layer
    assert any("exactly 0" in t.get_text() for t in zero.texts)
    # ReLU's exact zeros are counted, not drawn: about half of each layer
    shares = [t.get_text() for t in lecun.texts]
    assert len(shares) == 12 and all(s.endswith("%") and 40 <= int(s[:-1]) <= 60 for s in shares)


def test_phase_diagram_draws_the_line_and_the_initializers():
    w = np.linspace(0.1, 4, 20)
    b = np.linspace(0, 0.5, 10)
    chi = np.outer(np.ones_like(b), w / 2)
    markers = [
        phase_figures.Marker("lecun", 1.0, 0.0),
        phase_figures.Marker("glorot", 1.0, 0.0),
        phase_figures.Marker("random", 6400.0, 0.0),
    ]
    fig = phase_figures.phase_diagram(
        "relu", w, b, chi, np.full(5, 2.0), np.linspace(0, 0.5, 5), markers
    )
    ax = fig.axes[0]
    line = ax.lines[0]
    np.testing.assert_array_equal(line.get_xdata(), np.full(5, 2.0))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "lecun = glorot" in labels  # two initializers at one point share a marker
    assert any(label.startswith("random") and "off the chart" in label for label in labels)
