"""Activation histograms: the distribution of every hidden layer's activations, side by side.

The layout of deeplearning.ai's note on initialization: one panel per initializer, one column per
hidden layer, so shrinking, exploding and dead (exactly 0) activations show at a glance. Returns
a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from initlab.viz.style import LIMIT, color, new_figure, note_clipped

ZERO_SHARE_SHOWN = 0.005  # a layer's share of exact zeros is printed above this ...
MAX_LABELLED_LAYERS = 24  # ... when the panel has at most this many layers


def _value_axis(layers: list[np.ndarray], bins: int) -> tuple[np.ndarray, str, float]:
    """Bin edges for the activations of every layer, the y scale and its linear threshold.

    Linear when the layers' typical (median non-zero) magnitudes are within a factor 10 of each
    other; else logarithmic (all values positive, as ReLU's) or symmetric-logarithmic with the
    threshold below every layer's typical magnitude, with about 8 bins per decade so each layer
    keeps its shape.
    """
    nonzero = np.concatenate([v[v != 0] for v in layers])
    magnitude = np.abs(nonzero)
    top, low = float(magnitude.max()), float(np.quantile(magnitude, 0.005))
    typical = [float(np.median(np.abs(v[v != 0]))) for v in layers if np.any(v != 0)]
    if max(typical) <= 10 * min(typical) or top <= low:
        bottom, high = min(0.0, float(nonzero.min())), max(0.0, float(nonzero.max()))
        return np.linspace(bottom, high, bins + 1), "linear", 0.0
    decades = math.log10(top / low)
    n = int(min(400, max(bins, 8 * decades)))
    if nonzero.min() > 0:
        return np.geomspace(low, top, n + 1), "log", 0.0
    threshold = max(0.1 * min(typical), top * 1e-300)
    t = np.linspace(-1, 1, 2 * n + 1) * math.log10(1 + top / threshold)
    return np.sign(t) * threshold * (10 ** np.abs(t) - 1), "symlog", threshold


def activation_histograms(
    titles: Sequence[str],
    values: Sequence[Sequence[np.ndarray]],
    activation: str,
    bins: int = 30,
) -> Figure:
    """The distribution of every hidden layer's activations, one panel per initializer, layers side
    by side (the layout of deeplearning.ai's note on initialization).

    ``values[p][l]`` holds panel p's activations of hidden layer l+1 (any shape). Each layer is a
    histogram on its own column, its width the share of values in the bin; exact zeros (ReLU's
    inactive units) are left out of the histogram and their share printed at the foot of the
    column. The value axis is logarithmic (symmetric-logarithmic for values of both signs) when
    the values span more than two decades, so shrinking and exploding activations both show;
    magnitudes beyond what matplotlib can draw are drawn at the edge and the panel says so.
    """
    n = max(1, len(titles))
    columns = min(n, 2)
    rows = math.ceil(n / columns)
    fig = new_figure(6.3 * columns, 3.4 * rows + 0.4)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for p, (ax, title, layers) in enumerate(zip(axes, titles, values, strict=False)):
        finite = [_finite(v) for v in layers]
        clipped = [_drawable(v) for v in finite]
        finite = [v for v, _ in clipped]
        ax.set_title(title, fontsize=10, color=color(p))
        ax.set_xlabel("hidden layer", fontsize=9)
        ax.set_ylabel(f"{activation} activation", fontsize=9)
        if any(np.any(v != 0) for v in finite):
            _draw_histograms(ax, finite, color(p), bins)
            if any(moved for _, moved in clipped):
                note_clipped(ax)
        else:
            _draw_all_zero(ax, color(p), len(finite))
    for ax in axes[len(titles) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Activations of each hidden layer at initialization ({activation}); "
        "grey numbers: share exactly 0",
        fontsize=11,
    )
    return fig


def _finite(values: np.ndarray) -> np.ndarray:
    """The finite values of a layer's activations, flattened."""
    flat = np.ravel(np.asarray(values, dtype=float))
    return flat[np.isfinite(flat)]


def _drawable(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Finite ``values`` with magnitudes clipped into [1/LIMIT, LIMIT] (0 stays 0, signs stay):
    matplotlib's (symmetric) log axis overflows beyond (see :data:`~initlab.viz.style.LIMIT`);
    and whether any value was clipped."""
    magnitude = np.abs(values)
    inside = np.clip(magnitude, 1 / LIMIT, LIMIT)
    moved = (values != 0) & (inside != magnitude)
    return np.where(values != 0, np.sign(values) * inside, values), bool(moved.any())


def _draw_all_zero(ax: Axes, colour: str, n_layers: int) -> None:
    """A panel whose every activation is exactly 0: one thick line at 0, and a note saying so."""
    ax.axhline(0, color=colour, lw=3)
    ax.set_ylim(-1, 1)
    ax.text(
        0.5,
        0.6,
        "every activation is exactly 0",
        transform=ax.transAxes,
        ha="center",
        fontsize=9,
    )
    ax.set_xlim(0.5, n_layers + 0.5)
    _integer_ticks(ax)


def _draw_histograms(ax: Axes, layers: list[np.ndarray], colour: str, bins: int) -> None:
    """Each layer's non-zero activations as a histogram on its own column (width: the share of
    values in the bin), on the value axis of :func:`_value_axis`, with its share of zeros."""
    edges, scale, threshold = _value_axis(layers, bins)
    if scale == "symlog":
        ax.set_yscale("symlog", linthresh=threshold)
    elif scale == "log":
        ax.set_yscale("log")
    centers = (edges[:-1] + edges[1:]) / 2
    for layer, v in enumerate(layers, start=1):
        counts, _ = np.histogram(v[v != 0], bins=edges)
        if counts.sum() == 0:
            continue
        width = 0.42 * counts / counts.max()
        ax.fill_betweenx(
            centers, layer - width, layer + width, color=colour, alpha=0.75, lw=0, step="mid"
        )
        zeros = 1 - np.count_nonzero(v) / max(v.size, 1)
        if zeros > ZERO_SHARE_SHOWN and len(layers) <= MAX_LABELLED_LAYERS:
            _zero_share_label(ax, layer, zeros)
    if scale != "log":
        ax.axhline(0, color="#999", lw=0.6, zorder=0)
    ax.set_xlim(0.5, len(layers) + 0.5)
    ax.set_ylim(edges[0], edges[-1])
    _integer_ticks(ax)
    ax.grid(alpha=0.25, axis="y")


def _zero_share_label(ax: Axes, layer: int, zeros: float) -> None:
    """The share of a layer's activations that are exactly 0, in grey at the foot of its column."""
    ax.annotate(
        f"{zeros:.0%}",
        (layer, 0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        fontsize=6,
        color="#555",
    )


def _integer_ticks(ax: Axes) -> None:
    """Ticks at whole layer numbers only (the default locator is a :class:`MaxNLocator`)."""
    cast(MaxNLocator, ax.xaxis.get_major_locator()).set_params(integer=True)
