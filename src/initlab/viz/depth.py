"""Depth profiles: a per-layer quantity (signal, gradient) against depth, one panel per initializer.

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

from initlab.viz.style import clip_to_drawable, color, new_figure, note_clipped

MIN_DECADES_SPAN = 100.0  # a depth panel's log axis spans at least two decades
TICKED_LAYERS = 12  # up to this many layers, one tick each


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


def _drawable(curve: Curve) -> tuple[np.ndarray, np.ndarray, bool]:
    """:func:`_positive`, clipped to what a log axis can draw, and whether anything was."""
    x, y = _positive(curve)
    y, clipped = clip_to_drawable(y, log=True)
    return x, y, clipped


def depth_figure(panels: Sequence[Panel], ylabel: str, title: str) -> Figure:
    """Small multiples, one panel per initializer, of a per-layer quantity against depth on a log
    axis: measured (solid), theory (dashed), later in training (thin, light → dark). Values
    beyond what matplotlib can draw are drawn at the edge (:data:`~initlab.viz.style.LIMIT`),
    and the panel says so."""
    n = max(1, len(panels))
    columns = min(n, 4)
    rows = math.ceil(n / columns)
    fig = new_figure(3.4 * columns + 0.6, 3.0 * rows + 0.5)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        base = color(panel.index)
        drawn = clipped = False
        for curve in panel.curves:
            x, y, moved = _drawable(curve)
            clipped |= moved
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
        if clipped:
            note_clipped(ax)
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
        ax.set_title(panel.title, fontsize=10, color=base)
        ax.grid(alpha=0.3)
        _layer_axis(ax, layers)
    for ax in axes[: len(panels)][::columns]:
        ax.set_ylabel(ylabel, fontsize=9)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=11)
    return fig


def _layer_axis(ax: Any, layers: Sequence[int]) -> None:
    """The x axis of a depth panel: the layers, the last of which is the output layer, labelled
    "out" (with a tick per layer up to :data:`TICKED_LAYERS`, else said in the axis label)."""
    ax.set_xlabel("layer", fontsize=9)
    if not layers:
        return
    first, last = min(layers), max(layers)
    ax.set_xlim(first - 0.5, last + 0.5)
    if last - first < TICKED_LAYERS:
        ticks = list(range(first, last + 1))
        ax.set_xticks(ticks, [*map(str, ticks[:-1]), "out"])
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(f"layer ({last} = output)", fontsize=9)


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
