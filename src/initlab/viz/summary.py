"""A sweep's figure: a metric against one swept axis, one line per initializer with its CI band.

Reads a summary table (:func:`initlab.analysis.statistics.summary_table`): for a metric ``m`` the
columns ``m_mean``, ``m_ci_low``, ``m_ci_high`` (``success`` uses ``success_rate`` and its Wilson
interval). Returns the figure; nothing is shown or saved here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from initlab.errors import InitlabError
from initlab.viz.style import color, new_figure

METRICS = {
    "test_accuracy": ("test accuracy", "test_accuracy_mean", "test_accuracy_ci"),
    "final_cost": ("final cost", "final_cost_mean", "final_cost_ci"),
    "success": ("success rate", "success_rate", "success_ci"),
}


def _label(values: tuple, names: list[str]) -> str:
    return ", ".join(
        str(v) if n in ("init", "init_name") else f"{n}={v}"
        for n, v in zip(names, values, strict=True)
    )


def metric_figure(
    summary: pd.DataFrame,
    x: str | None,
    metric: str = "test_accuracy",
    *,
    confidence: float = 0.95,
    title: str | None = None,
) -> Figure:
    """``metric`` (mean, or success rate) against column ``x`` of ``summary``; one line per value
    of the other group columns (the initializer, usually), shaded between its CI bounds.

    A numeric ``x`` (depth, width, lr, ...) is plotted to scale (log scale for learning rates
    spanning more than a decade); a text ``x`` (layers, dataset) as evenly spaced categories.
    ``x=None`` puts each line's single point side by side with its interval as an error bar.
    """
    if metric not in METRICS:
        raise InitlabError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    name, mean_col, ci = METRICS[metric]
    by = list(summary.columns[: list(summary.columns).index("n")])  # the group columns come first
    groups = [c for c in by if c != x]
    fig = new_figure(7, 4.4)
    ax = fig.add_subplot()
    if x is not None and x not in summary.columns:
        raise InitlabError(f"the figure's x axis {x!r} is not a column of the summary")
    numeric = x is not None and pd.api.types.is_numeric_dtype(summary[x])
    categories = [] if x is None or numeric else list(dict.fromkeys(summary[x].astype(str)))
    lines = list(summary.groupby(groups, sort=False)) if groups else [((), summary)]
    labels = []
    for i, (values, rows) in enumerate(lines):
        values = values if isinstance(values, tuple) else (values,)
        labels.append(_label(values, groups) if groups else name)
        columns = (mean_col, f"{ci}_low", f"{ci}_high")
        _draw_line(ax, i, rows, columns, x, numeric, categories, labels[-1])
    _x_axis(ax, summary, x, numeric, categories, labels)
    if metric in ("test_accuracy", "success"):
        ax.set_ylim(-0.03, 1.03)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))  # shares read as percentages
    what = "mean" if metric != "success" else "rate"
    band = "shaded" if x is not None else "bars"
    ax.set_ylabel(f"{name} ({what}, {confidence:.0%} CI {band})")
    ax.grid(alpha=0.3)
    if groups and x is not None:
        ax.legend(fontsize=9, loc="best")
    n = int(summary["n"].min()) if "n" in summary.columns and len(summary) else 0
    ax.set_title(title or f"{name} over {n} runs per point", fontsize=11)
    return fig


def _draw_line(
    ax: Axes,
    i: int,
    rows: pd.DataFrame,
    columns: tuple[str, str, str],
    x: str | None,
    numeric: bool,
    categories: list[str],
    label: str,
) -> None:
    """Line ``i``: its means through ``rows`` against ``x`` with the band between its CI bounds
    (``columns`` = mean, low, high); with no ``x``, one point at position ``i`` with error bars."""
    mean, low, high = (rows[c].to_numpy(dtype=float) for c in columns)
    if x is None:
        ax.errorbar(
            [i] * len(mean),
            mean,
            yerr=[mean - low, high - mean],
            fmt="o",
            color=color(i),
            capsize=6,
            markersize=7,
        )
        return
    if numeric:
        order = np.argsort(rows[x].to_numpy(dtype=float), kind="stable")
        xs = rows[x].to_numpy(dtype=float)[order]
        mean, low, high = mean[order], low[order], high[order]
    else:
        xs = np.array([categories.index(v) for v in rows[x].astype(str)], dtype=float)
    ax.plot(xs, mean, "o-", color=color(i), label=label, linewidth=1.8)
    ax.fill_between(xs, low, high, color=color(i), alpha=0.18, linewidth=0)


def _x_axis(
    ax: Axes,
    summary: pd.DataFrame,
    x: str | None,
    numeric: bool,
    categories: list[str],
    labels: list[str],
) -> None:
    """Ticks and label of the x axis: one tick per line (no ``x``), to scale (log for learning
    rates spanning more than a decade, integer ticks for whole numbers) or one per category."""
    if x is None:
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(
            labels,
            rotation=20 if len(labels) > 4 else 0,
            ha="right" if len(labels) > 4 else "center",
        )
        ax.set_xlim(-0.6, len(labels) - 0.4)
    elif numeric:
        ax.set_xlabel(x)
        xs_all = summary[x].to_numpy(dtype=float)
        if x == "lr" and xs_all.min() > 0 and xs_all.max() / xs_all.min() > 10:
            ax.set_xscale("log")
        elif np.allclose(xs_all, np.round(xs_all)):
            ax.set_xticks(sorted(set(xs_all)))
    else:
        ax.set_xlabel(x)
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels(categories, rotation=20, ha="right")
