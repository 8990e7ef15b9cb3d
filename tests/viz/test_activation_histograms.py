"""Activation histograms: the value axis each panel gets, and the share of exact zeros."""

import numpy as np

from initlab.viz import activations as figures


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


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
