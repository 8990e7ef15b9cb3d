"""Statistics over many runs: bootstrap and Wilson intervals, Wilcoxon signed-rank, summary tables.

One run per initializer is an anecdote; these functions turn a sweep's runs (one row each, as
:func:`initlab.load` returns them) into means with confidence intervals, success rates with
Wilson intervals and paired comparisons of initializers over matched seeds.

- :func:`bootstrap_ci` — percentile bootstrap (Efron & Tibshirani 1993, ch. 13), resampling with
  an explicit ``numpy.random.Generator``; the same draws as ``scipy.stats.bootstrap(...,
  method="percentile")`` given the same generator.
- :func:`wilson_interval` — Wilson (1927) score interval for a binomial proportion.
- :func:`wilcoxon_pairs` — Wilcoxon signed-rank test (``scipy.stats.wilcoxon``) with the
  matched-pairs rank-biserial correlation (Kerby 2014) as effect size.
- :func:`summary_table` — one row per group: n, mean, sd, median and bootstrap CI of test and
  train accuracy and final cost, success rate with Wilson interval, median iterations to the
  target accuracy.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from initlab import checks
from initlab.errors import InitlabError, did_you_mean

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_CONFIDENCE = 0.95
DEFAULT_RESAMPLES = 10_000
DEFAULT_BOOTSTRAP_SEED = 0

# The run's spec columns: what a sweep varies, and so what ``by=`` may group on.
AXES = (
    "init",
    "init_name",
    "layers",
    "depth",
    "width",
    "activation",
    "dataset",
    "lr",
    "iterations",
    "every",
    "seed",
    "parametrization",
)


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    rng: np.random.Generator,
    *,
    statistic: Callable[..., np.ndarray] = np.mean,
    confidence: float = DEFAULT_CONFIDENCE,
    n_resamples: int = DEFAULT_RESAMPLES,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of ``statistic`` over ``values``.

    Draws ``n_resamples`` resamples of the n values with replacement (indices
    ``rng.integers(0, n, (n_resamples, n))``), computes ``statistic(resample, axis=-1)`` on each and
    returns its α/2 and 1 − α/2 quantiles (linear interpolation, numpy's default), α = 1 −
    confidence. Non-finite values are dropped first; no values give ``(nan, nan)``.

    Efron & Tibshirani, "An Introduction to the Bootstrap" (1993), §13.3; this is
    ``scipy.stats.bootstrap(..., method="percentile")`` with the same generator.

    >>> bootstrap_ci([1.0, 1.0, 1.0], np.random.default_rng(0))
    (1.0, 1.0)
    """
    confidence = checks.check("confidence", confidence, checks.OPEN_FRACTION)
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (math.nan, math.nan)
    index = rng.integers(0, x.size, (n_resamples, x.size))
    theta = statistic(x[index], axis=-1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(theta, [alpha, 1 - alpha])
    return (float(low), float(high))


def wilson_interval(
    successes: int, n: int, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a proportion of ``successes`` out of ``n``.

    With p̂ = k/n and z the 1 − α/2 normal quantile::

        centre = (p̂ + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · sqrt(p̂(1 − p̂)/n + z²/4n²)

    Wilson, "Probable inference, the law of succession, and statistical inference", JASA 22 (1927);
    recommended over the Wald interval by Brown, Cai & DasGupta, Statistical Science 16 (2001).
    Unlike p̂ ± z·se it stays inside [0, 1] and is not empty at k = 0 or k = n. ``n = 0`` gives
    ``(nan, nan)``.

    >>> [round(v, 4) for v in wilson_interval(0, 10)]
    [0.0, 0.2775]
    """
    from scipy import stats

    confidence = checks.check("confidence", confidence, checks.OPEN_FRACTION)
    if n == 0:
        return (math.nan, math.nan)
    z = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends: centre = half there
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def rank_biserial(differences: Sequence[float] | np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation of paired differences d = a − b.

    Zero differences are dropped (as Wilcoxon's test does); the others are ranked by |d| (ties get
    the mean rank) and r = (T⁺ − T⁻) / (T⁺ + T⁻), T± the rank sums of the positive and negative
    differences. r = 1: a beat b in every pair; −1: b beat a in every pair.

    Kerby, "The simple difference formula", Comprehensive Psychology 3 (2014).
    """
    from scipy import stats

    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    if d.size == 0:
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    plus, minus = ranks[d > 0].sum(), ranks[d < 0].sum()
    return float((plus - minus) / (plus + minus))


def wilcoxon(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Wilcoxon signed-rank test of paired samples ``a`` and ``b`` (two-sided), with effect size.

    Returns ``n`` (pairs), ``median_diff`` (median of a − b), ``statistic`` and ``p_value`` from
    ``scipy.stats.wilcoxon(a, b)`` and ``rank_biserial``. Pairs where every difference is zero
    have nothing to test: p = 1, r = 0.
    """
    from scipy import stats

    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = x - y
    out = {
        "n": int(d.size),
        "median_diff": float(np.median(d)) if d.size else math.nan,
        "statistic": math.nan,
        "p_value": math.nan,
        "rank_biserial": rank_biserial(d) if d.size else math.nan,
    }
    if d.size and not np.any(d != 0):
        out.update(statistic=0.0, p_value=1.0)
    elif d.size:
        result = stats.wilcoxon(x, y)
        out.update(statistic=float(result.statistic), p_value=float(result.pvalue))
    return out


def check_by(by: str | Sequence[str], columns: Sequence[str] = AXES) -> list[str]:
    """``"init,depth"`` or a list → the list of group columns; unknown names raise."""
    names = [b.strip() for b in by.split(",")] if isinstance(by, str) else [str(b) for b in by]
    names = [b for b in names if b]
    if not names:
        raise InitlabError(f"--by needs at least one column; valid: {', '.join(columns)}")
    for name in names:
        if name not in columns:
            raise InitlabError(
                f"unknown column {name!r} in --by{did_you_mean(name, columns)}; "
                f"valid: {', '.join(columns)}"
            )
    if len(set(names)) != len(names):
        raise InitlabError(f"--by names a column twice; got {','.join(names)}")
    return names


def _group_rows(runs: pd.DataFrame, by: list[str]):
    """``(group values tuple, rows)`` for each group: text columns in order of first appearance
    (the grid's order), numeric columns ascending; missing keys kept, last."""
    import pandas as pd

    groups = [
        ((values if isinstance(values, tuple) else (values,)), rows)
        for values, rows in runs.groupby(by, sort=False, dropna=False)
    ]
    numeric = [i for i, b in enumerate(by) if pd.api.types.is_numeric_dtype(runs[b])]
    for i in reversed(numeric):
        groups.sort(key=functools.partial(_numeric_key, i))
    yield from groups


def _numeric_key(i: int, group: tuple[tuple[Any, ...], pd.DataFrame]) -> tuple[bool, Any]:
    """Sort key of a group on its ``i``-th (numeric) value: ascending, missing last."""
    import pandas as pd

    return (bool(pd.isna(group[0][i])), group[0][i])


def _metric_stats(
    metric: str, x: np.ndarray, seed: int, confidence: float, n_resamples: int
) -> dict[str, float]:
    """Mean, sd, median and bootstrap CI of the finite values ``x`` of ``metric``. The final cost
    of a run about to diverge may be near the largest float, so its sum or square overflows to
    ``inf`` — the honest statistic — and numpy's overflow warnings are silenced here."""
    with np.errstate(over="ignore", invalid="ignore"):
        low, high = bootstrap_ci(
            x, np.random.default_rng(seed), confidence=confidence, n_resamples=n_resamples
        )
        return {
            f"{metric}_mean": float(np.mean(x)) if x.size else math.nan,
            f"{metric}_std": float(np.std(x, ddof=1)) if x.size > 1 else math.nan,
            f"{metric}_median": float(np.median(x)) if x.size else math.nan,
            f"{metric}_ci_low": low,
            f"{metric}_ci_high": high,
        }


def summary_table(
    runs: pd.DataFrame,
    by: str | Sequence[str] = ("init",),
    *,
    target: float,
    confidence: float = DEFAULT_CONFIDENCE,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_BOOTSTRAP_SEED,
) -> pd.DataFrame:
    """One row per group of ``runs``: statistics of test accuracy, final cost and success.

    Columns: the group columns; ``n`` runs and how many ``diverged``; for ``test_accuracy``,
    ``train_accuracy`` and ``final_cost``: ``_mean``, ``_std`` (ddof 1), ``_median``,
    ``_ci_low``/``_ci_high`` (percentile bootstrap of the mean, :func:`bootstrap_ci`, each group
    with a fresh ``default_rng(seed)``) — over the runs that did not diverge; ``successes``
    (runs with test accuracy ≥ ``target``; a diverged run is a failure), ``success_rate`` and
    its Wilson interval ``success_ci_low``/``success_ci_high``; ``median_iters_to_target`` over
    the runs that reached the target (``iters_to_target`` column; NaN when none did).
    """
    import pandas as pd

    by = check_by(by, [c for c in runs.columns])
    target = checks.check("target", target, checks.TARGET)
    seed = checks.check("seed", seed, checks.SEED)
    rows = []
    for values, group in _group_rows(runs, by):
        row = dict(zip(by, values, strict=True))
        accuracy = group["test_accuracy"].to_numpy(dtype=float, na_value=np.nan)
        row["n"] = len(group)
        row["diverged"] = int(group["diverged_at"].notna().sum())
        for metric in ("test_accuracy", "train_accuracy", "final_cost"):
            x = group[metric].to_numpy(dtype=float, na_value=np.nan)
            row.update(_metric_stats(metric, x[np.isfinite(x)], seed, confidence, n_resamples))
        successes = int(np.sum(np.nan_to_num(accuracy, nan=-1.0) >= target))
        row["successes"] = successes
        row["success_rate"] = successes / len(group)
        row["success_ci_low"], row["success_ci_high"] = wilson_interval(
            successes, len(group), confidence
        )
        reached = group["iters_to_target"].to_numpy(dtype=float, na_value=np.nan)
        reached = reached[np.isfinite(reached)]
        row["median_iters_to_target"] = float(np.median(reached)) if reached.size else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def wilcoxon_pairs(
    runs: pd.DataFrame,
    by: str | Sequence[str] = ("init",),
    metric: str = "test_accuracy",
) -> pd.DataFrame:
    """Pairwise Wilcoxon signed-rank tests between initializers over matched runs.

    Two runs are matched when every spec column but ``init``/``init_name`` agrees (same seed,
    network, learning rate, dataset, ...). Within each group of ``by`` (``init`` left out), every
    pair of initializers ``a`` < ``b`` (in order of appearance) is tested on the pairs where both
    have a finite ``metric``. Columns: the other group columns, ``a``, ``b``, ``n`` (pairs),
    ``mean_a``, ``mean_b``, ``median_diff`` (a − b), ``statistic``, ``p_value``,
    ``rank_biserial`` (> 0: a higher).
    """
    import pandas as pd

    by = [b for b in check_by(by, list(runs.columns)) if b not in ("init", "init_name")]
    match = [c for c in AXES if c in runs.columns and c not in ("init", "init_name")]
    inits = list(dict.fromkeys(runs["init"]))
    rows = []
    groups = _group_rows(runs, by) if by else [((), runs)]
    for values, group in groups:
        keys = [repr(tuple(row)) for row in group[match].astype(object).itertuples(index=False)]
        matched = group.assign(_match=keys)
        table = matched.pivot_table(
            index="_match", columns="init", values=metric, aggfunc="first", dropna=False
        )
        for a, b in itertools.combinations([i for i in inits if i in table.columns], 2):
            pairs = table[[a, b]].dropna()
            result = wilcoxon(pairs[a].to_numpy(), pairs[b].to_numpy())
            rows.append(
                {
                    **dict(zip(by, values, strict=True)),
                    "a": a,
                    "b": b,
                    "n": result["n"],
                    "mean_a": float(pairs[a].mean()) if len(pairs) else math.nan,
                    "mean_b": float(pairs[b].mean()) if len(pairs) else math.nan,
                    "median_diff": result["median_diff"],
                    "statistic": result["statistic"],
                    "p_value": result["p_value"],
                    "rank_biserial": result["rank_biserial"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            *by,
            "a",
            "b",
            "n",
            "mean_a",
            "mean_b",
            "median_diff",
            "statistic",
            "p_value",
            "rank_biserial",
        ],
    )
