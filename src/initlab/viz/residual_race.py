"""The residual race: training cost of each residual initializer beside a plain MLP, and each
network's gradient norm per layer at initialization.

Returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from initlab.runs.run import Run
from initlab.viz.style import clip_to_drawable, color, new_figure


def race_figure(
    runs: Sequence[Run], labels: Sequence[str], profiles: np.ndarray, network: str, dataset: str
) -> Figure:
    """Left: cost against iteration (log scale, cut at 3× the largest cost of a run that did not
    diverge), a cross where a run diverged. Right:
    ‖∂C/∂W_l‖_F against the layer l at initialization (log scale; exact zeros drawn at the
    bottom edge, as a hollow marker)."""
    fig = new_figure(13, 5.4)
    left, right = fig.subplots(1, 2)
    alive = [c for run in runs if not run.diverged for _, c in run.costs if math.isfinite(c)]
    top = 3 * max(alive) if alive else None
    for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
        style = "--" if label.startswith("plain") else "-"
        if run.costs:
            its, raw = zip(*run.costs, strict=True)
            costs, _ = clip_to_drawable(raw, True)
            if top is not None:
                costs = np.minimum(costs, top)
            tag = f" (diverged at {run.diverged_at})" if run.diverged else ""
            left.plot(its, costs, style, color=color(i), label=label + tag)
            if run.diverged:
                left.plot(its[-1], costs[-1], "x", markersize=9, color=color(i))
        grads = profiles[i]
        positive = grads[np.isfinite(grads) & (grads > 0)]
        floor = positive.min() / 10 if positive.size else 1e-12
        layers = np.arange(1, grads.size + 1)
        shown = np.where(np.isfinite(grads) & (grads > 0), grads, np.nan)
        right.plot(layers, shown, style, marker=".", markersize=4, color=color(i), label=label)
        zeros = grads == 0
        if zeros.any():
            right.plot(
                layers[zeros], np.full(zeros.sum(), floor), "o", mfc="none", ms=4, color=color(i)
            )
    left.set_yscale("log")
    left.set_xlabel("iteration")
    left.set_ylabel("training cost")
    left.set_title(f"{network} on {dataset}: cost", fontsize=10)
    right.set_yscale("log")
    right.set_xlabel("layer l")
    right.set_ylabel("‖∂C/∂W_l‖ at initialization")
    right.set_title("gradient per layer at initialization (hollow: exactly 0)", fontsize=10)
    handles, names = left.get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return fig
