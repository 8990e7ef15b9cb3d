"""The cost-curve figure: each run's training cost against the iteration, on a log scale.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure

from initlab.runs.run import Run
from initlab.viz.style import clip_to_drawable, color, new_figure, note_clipped


def with_final(run: Run, iterations: int | None) -> list[tuple[int, float]]:
    """The run's recorded costs and, when the last record is before ``iterations`` and the run
    did not diverge, its final cost at ``iterations``: the curve ends where training ended."""
    pairs = list(run.costs)
    if iterations is None or run.diverged or run.final_cost is None:
        return pairs
    if not pairs or pairs[-1][0] < iterations:
        pairs.append((iterations, run.final_cost))
    return pairs


def cost_figure(
    runs: Sequence[Run],
    lr: float,
    loss: str = "binary cross-entropy",
    iterations: int | None = None,
) -> Figure:
    """The cost of every run against the iteration, on one axis (log scale when costs span
    more than two decades), up to ``iterations`` (each run's final cost drawn there,
    :func:`with_final`); a diverged run ends with a cross. Costs beyond what matplotlib can
    draw are drawn at the edge (:data:`~initlab.viz.style.LIMIT`) and the figure says so."""
    fig = new_figure(7, 4.2)
    ax = fig.add_subplot()
    curves = [with_final(run, iterations) for run in runs]
    spread = [c for pairs in curves for _, c in pairs if c > 0 and math.isfinite(c)]
    log = bool(spread) and max(spread) / min(spread) > 100  # (a ratio of inf is > 100 too)
    clipped = False
    for i, (run, pairs) in enumerate(zip(runs, curves, strict=True)):
        if not pairs:
            continue
        its, raw = zip(*pairs, strict=True)
        costs, moved = clip_to_drawable(raw, log)
        clipped |= moved
        label = run.init + (f" (diverged at {run.diverged_at})" if run.diverged else "")
        ax.plot(its, costs, marker="o", markersize=3, color=color(i), label=label)
        if run.diverged:
            ax.plot(its[-1], costs[-1], marker="x", markersize=10, color=color(i))
    if log:
        ax.set_yscale("log")
    if clipped:
        note_clipped(ax, log)
    if iterations is not None:
        ax.set_xlim(-0.02 * iterations, 1.02 * iterations)
    ax.set_xlabel("iteration")
    ax.set_ylabel(f"cost ({loss})")
    ax.set_title(f"Cost during training (learning rate {lr:g})", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return fig
