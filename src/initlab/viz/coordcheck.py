"""Width-scaling figures: the coordinate check (size of each layer's pre-activations against the
width, one panel per parametrization) and learning-rate transfer (final loss against the learning
rate, one curve per width), after Yang et al. 2022 (Tensor Programs V, Figs. 1 and 5).

Returns matplotlib :class:`~matplotlib.figure.Figure` objects; nothing is shown or saved here."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from initlab.viz.style import color, new_figure

NAMES = {"sp": "standard parametrization (SP)", "ntk": "NTK parametrization", "mup": "μP"}


def coord_check(widths: np.ndarray, sizes: Mapping[str, np.ndarray], title: str) -> Figure:
    """``sizes[p]`` ``(len(widths), layers)``: one line per layer (the last the logits), log-log,
    the panels sharing their y axis."""
    figure = new_figure(4.2 * len(sizes) + 0.4, 3.6)
    axes = figure.subplots(1, len(sizes), squeeze=False, sharey=True)[0]
    for ax, (name, values) in zip(axes, sizes.items(), strict=True):
        layers = values.shape[1]
        for l in range(layers):
            label = "logits" if l == layers - 1 else f"hidden {l + 1}"
            ax.plot(widths, values[:, l], marker="o", ms=3, color=color(l), label=label)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("width")
        ax.set_title(NAMES.get(name, name), fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("RMS of pre-activations")
    axes[-1].legend(fontsize=7)
    figure.suptitle(f"Coord check: {title}", fontsize=10)
    return figure


def lr_transfer(
    lrs: np.ndarray, widths: np.ndarray, losses: Mapping[str, np.ndarray], title: str
) -> Figure:
    """``losses[p]`` ``(len(widths), len(lrs))``: one curve per width over log2 η, the best η of
    each marked; diverged runs (``inf``) are left out."""
    figure = new_figure(4.2 * len(losses) + 0.4, 3.6)
    axes = figure.subplots(1, len(losses), squeeze=False, sharey=True)[0]
    for ax, (name, values) in zip(axes, losses.items(), strict=True):
        for i, width in enumerate(widths):
            row = np.where(np.isfinite(values[i]), values[i], np.nan)
            ax.plot(lrs, row, marker="o", ms=3, color=color(i + 3), label=f"width {width}")
            if np.isfinite(row).any():
                best = int(np.nanargmin(row))
                ax.plot(lrs[best], row[best], marker="*", ms=12, color=color(i + 3))
        ax.set_xscale("log", base=2)
        ax.set_xlabel("learning rate η")
        ax.set_title(NAMES.get(name, name), fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("training loss")
    axes[-1].legend(fontsize=7)
    figure.suptitle(f"Learning-rate transfer: {title} (★ best η per width)", fontsize=10)
    return figure
