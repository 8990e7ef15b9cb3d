"""The prose of a sweep's summary (:func:`initlab.summarize`): its Markdown page and figure title.

The tables it shows are :class:`~initlab.experiments.summary.Summary`'s ``display_table()`` and
``display_pairs()``: bootstrap confidence intervals of the mean, Wilson intervals of the success
rate and Wilcoxon signed-rank tests (:mod:`initlab.analysis.statistics`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from initlab.report.document import markdown_table
from initlab.report.format import percent

if TYPE_CHECKING:
    import pandas as pd


def metric_title(metric: str, target: float, n: int) -> str:
    """The summary figure's title: what is drawn, over how many runs per point."""
    what = {
        "test_accuracy": "test accuracy",
        "final_cost": "final cost",
        "success": f"success rate (test accuracy ≥ {percent(target, 0)})",
    }[metric]
    return f"{what}, {n} runs per point"


def summary_lead(confidence: float, target: float) -> str:
    """How the summary's numbers were computed, in one sentence."""
    return (
        f"Accuracies in percent: mean ± standard deviation over the runs, with a "
        f"{percent(confidence, 0)} bootstrap confidence interval of the mean; success is a test "
        f"accuracy ≥ {percent(target, 0)}, with a Wilson interval."
    )


def summary_markdown(
    *,
    n_runs: int,
    by: Sequence[str],
    confidence: float,
    target: float,
    table: pd.DataFrame,
    pairs: pd.DataFrame,
    pair_metric: str,
    best_lr: pd.DataFrame | None = None,
) -> str:
    """``summary.md``: the statistics ``table`` and the paired tests ``pairs`` (both already
    written for people), each with a sentence saying how they were computed."""
    level = percent(confidence, 0)
    parts = [
        f"# Sweep summary: {n_runs} runs by {', '.join(by)}",
        "",
        f"Test accuracy in percent: mean ± standard deviation, percentile-bootstrap "
        f"{level} CI of the mean, median; success is a test accuracy ≥ "
        f"{percent(target, 0)}, with a Wilson {level} interval; a diverged run "
        "counts as a failure and is left out of the means.",
        "",
        markdown_table(table),
        "",
    ]
    if not pairs.empty:
        parts += [
            f"## Initializers compared over matched runs ({pair_metric})",
            "",
            "Wilcoxon signed-rank test (two-sided) on runs that share every setting but the "
            "initializer; r is the matched-pairs rank-biserial correlation (> 0: a higher).",
            "",
            markdown_table(pairs),
            "",
        ]
    if best_lr is not None and not best_lr.empty:
        parts += ["## Best learning rate", "", BEST_LR_TEXT, "", markdown_table(best_lr), ""]
    parts += ["![summary](summary.png)", ""]
    return "\n".join(parts)


BEST_LR_TEXT = (
    "For each group of the other columns (each width, say), the learning rate whose runs reached "
    "the lowest mean final cost, among the learning rates at which no run diverged. "
    "Under the standard parametrization the best learning rate shrinks as the network widens; "
    "under μP it stays put, so a rate tuned on a narrow network transfers to a wide one (Yang "
    "et al. 2022, Tensor Programs V)."
)
