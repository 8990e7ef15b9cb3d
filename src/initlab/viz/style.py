"""Shared look of initlab's figures: one colour per run, figures detached from pyplot.

initlab never chooses a matplotlib backend: a :class:`~matplotlib.figure.Figure` made here renders
to PNG without one, and the user's own pyplot figures (``%matplotlib inline``) keep theirs."""

from __future__ import annotations

from matplotlib.figure import Figure

PALETTE = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
CLASS_COLORS = ["#d7301f", "#2b8cbe", "#31a354", "#756bb1", "#fe9929", "#636363"]


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def new_figure(width: float, height: float) -> Figure:
    """A figure not attached to pyplot, so it is never shown and needs no closing."""
    return Figure(figsize=(width, height), layout="constrained")
