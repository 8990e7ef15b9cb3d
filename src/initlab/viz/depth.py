"""Per-layer figures: activation histograms, signal and gradient against depth, the phase diagram.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here. Depth profiles are given as :class:`Curve` lists, one :class:`Panel` per initializer, so
``initlab diagnose`` and the report of ``initlab compare`` draw them alike: a measured curve
(solid, markers), the theory's prediction (dashed) and later points of training (thin, fading)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from initlab.viz.style import color, new_figure

MIN_DECADES_SPAN = 100.0  # a depth panel's log axis spans at least two decades


@dataclass
class Curve:
    """One line of a depth profile: ``values[i]`` belongs to layer ``layers[i]``.

    ``kind`` is ``"measured"``, ``"theory"`` or ``"later"`` (a later point of training); ``shade``
    in [0, 1] orders later curves from light to dark.
    """

    label: str
    layers: Sequence[int]
    values: Sequence[float | None]
    kind: str = "measured"
    shade: float = 1.0


@dataclass
class Panel:
    """One initializer's curves, drawn in colour ``index`` of the palette; ``note`` is written in
    the panel (e.g. why nothing can be drawn on a log scale)."""

    title: str
    curves: list[Curve]
    index: int = 0
    note: str = ""


def _positive(curve: Curve) -> tuple[np.ndarray, np.ndarray]:
    """Layers and values of a curve that a log axis can show (finite and > 0)."""
    values = np.array([np.nan if v is None else v for v in curve.values], dtype=float)
    layers = np.asarray(curve.layers, dtype=float)
    keep = np.isfinite(values) & (values > 0)
    return layers[keep], values[keep]


def depth_figure(panels: Sequence[Panel], ylabel: str, title: str) -> Figure:
    """Small multiples, one panel per initializer, of a per-layer quantity against depth on a log
    axis: measured (solid), theory (dashed), later in training (thin, light → dark)."""
    n = max(1, len(panels))
    columns = min(n, 4)
    rows = math.ceil(n / columns)
    fig = new_figure(3.4 * columns + 0.6, 3.0 * rows + 0.5)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        base = color(panel.index)
        drawn = False
        for curve in panel.curves:
            x, y = _positive(curve)
            if x.size == 0:
                continue
            drawn = True
            if curve.kind == "theory":
                ax.plot(x, y, "--", color="k", lw=1.4, label=curve.label, zorder=3)
            elif curve.kind == "later":
                cmap = colormaps["Greys"]
                ax.plot(x, y, "-", color=cmap(0.3 + 0.6 * curve.shade), lw=1.0, label=curve.label)
            else:
                ax.plot(x, y, "-o", color=base, ms=3.5, lw=1.8, label=curve.label, zorder=2)
        if drawn:
            ax.set_yscale("log")
            low, high = ax.get_ylim()
            if high < MIN_DECADES_SPAN * low:  # flat curves look flat, not like noise
                middle = math.sqrt(low * high)
                ax.set_ylim(
                    middle / math.sqrt(MIN_DECADES_SPAN), middle * math.sqrt(MIN_DECADES_SPAN)
                )
            ax.legend(fontsize=7, loc="best")
        if panel.note or not drawn:
            ax.text(
                0.5,
                0.5 if not drawn else 0.06,
                panel.note or "nothing > 0 to draw",
                transform=ax.transAxes,
                ha="center",
                va="center" if not drawn else "bottom",
                fontsize=8,
                color="#444",
                wrap=True,
            )
        layers = [x for curve in panel.curves for x in curve.layers]
        if layers:
            ax.set_xlim(min(layers) - 0.5, max(layers) + 0.5)
        ax.set_title(panel.title, fontsize=10, color=base)
        ax.set_xlabel("layer", fontsize=9)
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in axes[: len(panels)][::columns]:
        ax.set_ylabel(ylabel, fontsize=9)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=11)
    return fig


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
    the values span more than two decades, so shrinking and exploding activations both show.
    """
    n = max(1, len(titles))
    columns = min(n, 2)
    rows = math.ceil(n / columns)
    fig = new_figure(6.3 * columns, 3.4 * rows + 0.4)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for p, (ax, title, layers) in enumerate(zip(axes, titles, values, strict=False)):
        flat = [np.ravel(np.asarray(v, dtype=float)) for v in layers]
        finite = [v[np.isfinite(v)] for v in flat]
        nonzero = np.concatenate([v[v != 0] for v in finite]) if finite else np.zeros(0)
        ax.set_title(title, fontsize=10, color=color(p))
        ax.set_xlabel("hidden layer", fontsize=9)
        ax.set_ylabel(f"{activation} activation", fontsize=9)
        if nonzero.size == 0:
            ax.axhline(0, color=color(p), lw=3)
            ax.set_ylim(-1, 1)
            ax.text(
                0.5,
                0.6,
                "every activation is exactly 0",
                transform=ax.transAxes,
                ha="center",
                fontsize=9,
            )
            ax.set_xlim(0.5, len(flat) + 0.5)
            ax.xaxis.get_major_locator().set_params(integer=True)
            continue
        edges, scale, threshold = _value_axis(finite, bins)
        if scale == "symlog":
            ax.set_yscale("symlog", linthresh=threshold)
        elif scale == "log":
            ax.set_yscale("log")
        centers = (edges[:-1] + edges[1:]) / 2
        for layer, v in enumerate(finite, start=1):
            counts, _ = np.histogram(v[v != 0], bins=edges)
            if counts.sum() == 0:
                continue
            width = 0.42 * counts / counts.max()
            ax.fill_betweenx(
                centers, layer - width, layer + width, color=color(p), alpha=0.75, lw=0, step="mid"
            )
            zeros = 1 - np.count_nonzero(v) / max(v.size, 1)
            if zeros > 0.005 and len(finite) <= 24:
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
        if scale != "log":
            ax.axhline(0, color="#999", lw=0.6, zorder=0)
        ax.set_xlim(0.5, len(finite) + 0.5)
        ax.set_ylim(edges[0], edges[-1])
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.25, axis="y")
    for ax in axes[len(titles) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Activations of each hidden layer at initialization ({activation}); "
        "grey numbers: share exactly 0",
        fontsize=11,
    )
    return fig


def run_panel(
    title: str,
    index: int,
    what: str,
    at_init: Mapping[str, Any] | None,
    at_end: Mapping[str, Any] | None = None,
    theory: Mapping[str, Any] | None = None,
    end_label: str = "at the end",
) -> Panel:
    """A depth-profile panel of one run from its JSON-ready numbers: ``what`` (``"pre_std"`` or
    ``"grad_z"``) measured at init, predicted by the theory, and at the end of training.

    ``at_init``/``at_end`` are :meth:`~initlab.analysis.layer_stats.LayerStats.model` dicts,
    ``theory`` an ``InitTheory.to_dict()`` (or ``None`` when the theory does not apply).
    """
    curves = []
    note = ""
    if at_init is not None:
        values = at_init[what]
        layers = list(range(1, len(values) + 1))
        curves.append(Curve("measured at init", layers, values))
        note = zero_note(values)
        if theory is not None:
            curves.append(Curve("theory", layers, theory[what], kind="theory"))
    if at_end is not None:
        values = at_end[what]
        curves.append(Curve(end_label, list(range(1, len(values) + 1)), values, "later", 1.0))
    return Panel(title, curves, index, note)


def zero_note(values: Sequence[float | None]) -> str:
    """What a log axis cannot show: ``"exactly 0 at layers 1–20"`` (empty when nothing is 0)."""
    zero = [i + 1 for i, v in enumerate(values) if v == 0]
    if zero and len(zero) == len(values):
        return "every value is 0 (nothing to draw on a log axis)"
    if zero:
        return f"exactly 0 at layer{'s' if len(zero) > 1 else ''} " + _ranges(zero)
    return ""


def _ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1–3, 5"``."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)
