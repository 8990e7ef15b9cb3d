"""The phase diagram: the critical line and where the initializers sit."""

import numpy as np

from initlab.viz import phase as phase_figures


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
