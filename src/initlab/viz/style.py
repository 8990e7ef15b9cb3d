"""Shared look of initlab's figures: a non-interactive backend and one colour per run."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.figure import Figure  # noqa: E402

PALETTE = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
CLASS_COLORS = ["#d7301f", "#2b8cbe", "#31a354", "#756bb1", "#fe9929", "#636363"]


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def new_figure(width: float, height: float) -> Figure:
    """A figure not attached to pyplot, so it is never shown and needs no closing."""
    return Figure(figsize=(width, height), layout="constrained")
