"""The result of :func:`initlab.summarize`: a sweep's statistics, paired tests, figure and files."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from initlab.checks import integer_at_least
from initlab.errors import InitlabError
from initlab.report.document import png_bytes
from initlab.viz.summary import metric_figure


def _pct(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{100 * value:.1f}"


def _num(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.4g}"


def _p(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.2g}" if value >= 1e-4 else "<1e-4"


@dataclass
class Summary:
    """Statistics of the runs of a sweep, grouped by ``by``.

    ``table`` is :func:`~initlab.analysis.statistics.summary_table`'s numbers, ``pairs`` the
    Wilcoxon signed-rank tests between initializers over matched runs
    (:func:`~initlab.analysis.statistics.wilcoxon_pairs`) on ``pair_metric``; ``display_table()``
    the same for people, ``figure()`` ``metric`` against ``x``, ``files()`` what
    ``initlab summarize`` writes.
    """

    table: pd.DataFrame
    pairs: pd.DataFrame
    by: list[str]
    target: float
    confidence: float
    metric: str
    pair_metric: str
    x: str | None
    n_runs: int
    source: str = ""

    def display_table(self) -> pd.DataFrame:
        """One row per group: accuracy in percent with its CI, cost, success with Wilson CI."""
        level = f"{self.confidence:.0%}"
        rows = []
        for _, r in self.table.iterrows():
            row = {column: r[column] for column in self.by}
            row["runs"] = f"{r['n']}" + (f" ({r['diverged']} diverged)" if r["diverged"] else "")
            row["test acc. % mean ± sd"] = (
                f"{_pct(r['test_accuracy_mean'])} ± {_pct(r['test_accuracy_std'])}"
            )
            row[f"{level} CI"] = (
                f"[{_pct(r['test_accuracy_ci_low'])}, {_pct(r['test_accuracy_ci_high'])}]"
            )
            row["median"] = _pct(r["test_accuracy_median"])
            row[f"train acc. % [{level} CI]"] = (
                f"{_pct(r['train_accuracy_mean'])} [{_pct(r['train_accuracy_ci_low'])}, "
                f"{_pct(r['train_accuracy_ci_high'])}]"
            )
            row["final cost mean [CI]"] = (
                f"{_num(r['final_cost_mean'])} [{_num(r['final_cost_ci_low'])}, "
                f"{_num(r['final_cost_ci_high'])}]"
            )
            row[f"success (≥ {self.target:.0%}) [Wilson CI]"] = (
                f"{r['successes']}/{r['n']} = {_pct(r['success_rate'])} % "
                f"[{_pct(r['success_ci_low'])}, {_pct(r['success_ci_high'])}]"
            )
            median = r["median_iters_to_target"]
            row["median iters to target"] = "–" if not math.isfinite(median) else f"{median:,.0f}"
            rows.append(row)
        return pd.DataFrame(rows)

    def compact_table(self) -> pd.DataFrame:
        """The seed's table with intervals: train and test accuracy and final cost as
        ``mean [CI]``, and the success rate with its Wilson interval."""
        level = f"{self.confidence:.0%}"
        rows = []
        for _, r in self.table.iterrows():
            row = {column: r[column] for column in self.by}
            row["runs"] = f"{r['n']}" + (f" ({r['diverged']} diverged)" if r["diverged"] else "")
            for name, key, fmt in (
                ("train accuracy %", "train_accuracy", _pct),
                ("test accuracy %", "test_accuracy", _pct),
                ("final cost", "final_cost", _num),
            ):
                row[f"{name} [{level} CI]"] = (
                    f"{fmt(r[f'{key}_mean'])} [{fmt(r[f'{key}_ci_low'])}, "
                    f"{fmt(r[f'{key}_ci_high'])}]"
                )
            row[f"success ≥ {self.target:.0%} [Wilson]"] = (
                f"{r['successes']}/{r['n']} [{_pct(r['success_ci_low'])}, "
                f"{_pct(r['success_ci_high'])}] %"
            )
            rows.append(row)
        return pd.DataFrame(rows)

    def display_pairs(self) -> pd.DataFrame:
        """The paired tests for people: mean of each, median difference, p-value, effect size."""
        out = self.pairs.copy()
        if out.empty:
            return out
        scale = 100 if self.pair_metric == "test_accuracy" else 1
        unit = " (pp)" if scale == 100 else ""
        return pd.DataFrame(
            {
                **{c: out[c] for c in self.by if c in out.columns},
                "a": out["a"],
                "b": out["b"],
                "pairs": out["n"],
                "median a − b" + unit: [_num(v * scale) for v in out["median_diff"]],
                "Wilcoxon p": [_p(v) for v in out["p_value"]],
                "rank-biserial r": [_num(v) for v in out["rank_biserial"]],
            }
        )

    def figure(self) -> Figure:
        """The chosen metric against ``x``, one line per initializer, CI band shaded."""
        n = int(self.table["n"].min()) if len(self.table) else 0
        what = {
            "test_accuracy": "test accuracy",
            "final_cost": "final cost",
            "success": f"success rate (test accuracy ≥ {self.target:.0%})",
        }[self.metric]
        return metric_figure(
            self.table,
            self.x,
            self.metric,
            confidence=self.confidence,
            title=f"{what}, {n} runs per point",
        )

    def to_markdown(self) -> str:
        from initlab.report.document import _markdown_table

        parts = [
            f"# Sweep summary: {self.n_runs} runs by {', '.join(self.by)}",
            "",
            f"Test accuracy in percent: mean ± standard deviation, percentile-bootstrap "
            f"{self.confidence:.0%} CI of the mean, median; success is a test accuracy ≥ "
            f"{self.target:.0%}, with a Wilson {self.confidence:.0%} interval; a diverged run "
            "counts as a failure and is left out of the means.",
            "",
            _markdown_table(self.display_table()),
            "",
        ]
        if not self.pairs.empty:
            parts += [
                f"## Initializers compared over matched runs ({self.pair_metric})",
                "",
                "Wilcoxon signed-rank test (two-sided) on runs that share every setting but the "
                "initializer; r is the matched-pairs rank-biserial correlation (> 0: a higher).",
                "",
                _markdown_table(self.display_pairs()),
                "",
            ]
        parts += ["![summary](summary.png)", ""]
        return "\n".join(parts)

    def files(self) -> dict[str, bytes | str]:
        """``summary.csv`` (the numbers), ``pairs.csv``, ``summary.md`` and ``summary.png``."""
        return {
            "summary.csv": self.table.to_csv(index=False),
            "pairs.csv": self.pairs.to_csv(index=False),
            "summary.md": self.to_markdown(),
            "summary.png": png_bytes(self.figure()),
        }


def summarize(
    store,
    by: str | Sequence[str] = "init",
    *,
    target: float = 0.9,
    metric: str = "test_accuracy",
    x: str | None = None,
    confidence: float = 0.95,
    n_resamples: int = 10_000,
    seed: int = 0,
):
    """Statistics of a sweep's runs grouped by ``by`` (e.g. ``"init,depth"``): a
    :class:`Summary` with the table (mean, sd, median and bootstrap CI of test
    accuracy and final cost; success rate ≥ ``target`` with its Wilson interval; median
    iterations to ``target``), Wilcoxon signed-rank tests between initializers over matched
    runs, and a figure of ``metric`` against ``x`` (default: the first other swept column of
    ``by``). ``store`` is a store path or a DataFrame from :func:`load`; the bootstrap draws from
    ``default_rng(seed)``.
    """
    import pandas as pd

    from initlab.analysis import statistics
    from initlab.experiments.summary import Summary
    from initlab.viz.summary import METRICS

    if metric not in METRICS:
        raise InitlabError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    if not isinstance(target, (int, float)) or not 0 <= target <= 1:
        raise InitlabError(f"target must be an accuracy between 0 and 1; got {target!r}")
    confidence = float(confidence)
    n_resamples = integer_at_least("n_resamples", n_resamples, 1)
    if isinstance(store, pd.DataFrame):
        runs, source = store, "a DataFrame"
    else:
        from initlab.runs.store import open_store

        opened = open_store(store)
        try:
            runs = opened.runs()
            reached = opened.iters_to_target(target)
        finally:
            opened.close()
        runs["iters_to_target"] = pd.array([reached.get(k) for k in runs["key"]], dtype="Int64")
        source = str(store)
    columns = [c for c in statistics.AXES if c in runs.columns]
    by_ = statistics.check_by(by, columns)
    if runs.empty:
        raise InitlabError(f"{source} holds no runs yet; run `initlab sweep` first")
    if x is None:
        others = [c for c in by_ if c not in ("init", "init_name")]
        varied = [c for c in others if runs[c].nunique(dropna=False) > 1]
        x = (varied or others or [None])[0]
    elif x not in by_:
        raise InitlabError(f"the figure's x axis {x!r} must be one of --by ({', '.join(by_)})")
    table = statistics.summary_table(
        runs, by_, target=target, confidence=confidence, n_resamples=n_resamples, seed=seed
    )
    pair_metric = "test_accuracy" if metric == "success" else metric
    pairs = statistics.wilcoxon_pairs(runs, by_, pair_metric)
    return Summary(
        table, pairs, by_, float(target), confidence, metric, pair_metric, x, len(runs), source
    )
