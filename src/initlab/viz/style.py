"""Shared look of initlab's figures: one colour per run, figures detached from pyplot, values
kept within what matplotlib can draw (:data:`LIMIT`).

initlab never chooses a matplotlib backend: a :class:`~matplotlib.figure.Figure` made here renders
to PNG without one, and the user's own pyplot figures (``%matplotlib inline``) keep theirs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

PALETTE = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
CLASS_COLORS = ["#d7301f", "#2b8cbe", "#31a354", "#756bb1", "#fe9929", "#636363"]


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def new_figure(width: float, height: float) -> Figure:
    """A figure not attached to pyplot, so it is never shown and needs no closing."""
    return Figure(figsize=(width, height), layout="constrained")


#: The largest magnitude a figure draws as it is (and, on a log axis, 1/LIMIT the smallest above
#: 0): matplotlib's axis arithmetic (margins, tick steps, 10**decade) overflows float64 well
#: before 1e308 — a cost of 1e272 on a log axis raised OverflowError.
LIMIT = 1e100


def clip_to_drawable(values: Any, log: bool = False) -> tuple[np.ndarray, bool]:
    """``values`` clipped into [1/LIMIT, LIMIT] (log axis) or [−LIMIT, LIMIT], NaN and ±inf kept
    as they are (matplotlib leaves them out); and whether any finite value was clipped, so the
    figure can say so (:func:`note_clipped`)."""
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    clipped = np.where(finite, np.clip(v, 1 / LIMIT if log else -LIMIT, LIMIT), v)
    moved = finite & (clipped != v)
    if log:
        moved &= v > 0  # values ≤ 0 are not drawn on a log axis at all, not clipped
        clipped = np.where(finite & (v <= 0), v, clipped)
    return clipped, bool(moved.any())


def note_clipped(ax: Any, log: bool = True) -> None:
    """Say in the axes that some values lie beyond what is drawn (see :data:`LIMIT`)."""
    edge = "1e±100" if log else "±1e100"
    ax.text(
        0.01,
        0.99,
        f"values beyond {edge} are drawn at {edge}",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7,
        color="#a00",
    )


def drawing_scale(values: Any) -> tuple[float, str]:
    """``(factor, label suffix)`` to draw coordinates as large as ``values`` (divide them by the
    factor): 1 and ``""`` up to :data:`LIMIT`; beyond, the power of ten of the largest magnitude
    and ``" (×1e307)"``, so data near 1e308 is drawn at its true shape."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    top = float(np.abs(v).max()) if v.size else 0.0
    if top <= LIMIT:
        return 1.0, ""
    exponent = math.floor(math.log10(top))
    return 10.0**exponent, f" (×1e{exponent})"
