"""The data's points on a plane: one colour per class, the scatter of a class-labelled set, and
whether two axes are similar enough to share one scale.
Shared by the dataset and boundary figures."""

from __future__ import annotations

from typing import cast

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, to_hex

from initlab.viz.style import CLASS_COLORS


def class_colors(n_classes: int) -> list[str]:
    """One colour per class: initlab's six, or matplotlib's tab20 for more classes."""
    if n_classes <= len(CLASS_COLORS):
        return CLASS_COLORS[: max(2, n_classes)]
    tab20 = cast(ListedColormap, colormaps["tab20"])  # a listed colormap of 20 RGB colours
    rgb = cast("list[tuple[float, float, float]]", tab20.colors)
    return [to_hex(c) for c in rgb[:n_classes]] + ["#444444"] * max(0, n_classes - 20)


def class_cmap(n_classes: int) -> ListedColormap:
    return ListedColormap(class_colors(n_classes))


def scatter(ax, X: np.ndarray, y: np.ndarray, n_classes: int | None = None, **kwargs) -> None:
    n = max(2, int(y.max()) + 1 if n_classes is None else n_classes)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=class_cmap(n), vmin=0, vmax=n - 1, **kwargs)


def comparable(X: np.ndarray) -> bool:
    """Whether the two axes have similar ranges (then they are drawn to the same scale)."""
    spans = np.ptp(X, axis=0)
    return bool(spans.min() > 0 and spans.max() / spans.min() < 3)
