"""Learning-rate transfer: the best learning rate at each width of a sweep.

Yang et al. (2022, "Tensor Programs V", Fig. 1 and §3) sweep the learning rate η at several
widths: under the standard parametrization the η of the lowest training loss drifts with the
width (down, as features move Θ(√n) per step), under μP it stays put, so η tuned on a narrow
network transfers to a wide one. :func:`best_learning_rates` reads that off a sweep's summary
table (:func:`initlab.analysis.statistics.summary_table`, grouped by ``lr`` and anything else,
such as ``width`` and ``parametrization``): for each group of the other columns, the η whose runs
have the lowest mean final cost (the paper's training loss) among the η at which no run diverged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def best_learning_rates(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per group of ``by`` without ``lr``: ``best_lr`` (NaN when every η diverged),
    its mean final cost (``final_cost``), how many η were tried and how many had a diverged run.
    Empty unless ``lr`` is in ``by`` and the table holds at least two learning rates.

    A η at which any run diverged does not count: its mean is over the runs that survived.
    """
    import pandas as pd

    if "lr" not in by or table.empty or table["lr"].nunique() < 2:
        return pd.DataFrame()
    column = "final_cost_mean"
    rest = [c for c in by if c != "lr"]
    groups = table.groupby(rest, sort=False, dropna=False) if rest else [((), table)]
    rows = []
    for values, group in groups:
        keys = values if isinstance(values, tuple) else (values,)
        fine = group[(group["diverged"] == 0) & np.isfinite(group[column].astype(float))]
        row = dict(zip(rest, keys, strict=True))
        row["lrs"] = len(group)
        row["lrs_with_divergence"] = int((group["diverged"] > 0).sum())
        if fine.empty:
            row["best_lr"], row["final_cost"] = None, None
        else:
            scores = fine[column].astype(float).to_numpy()
            pick = int(np.argmin(scores))
            row["best_lr"] = float(fine["lr"].iloc[pick])
            row["final_cost"] = float(scores[pick])
        rows.append(row)
    return pd.DataFrame(rows)
