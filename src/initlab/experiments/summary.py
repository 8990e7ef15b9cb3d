"""The result of :func:`initlab.summarize`: a sweep's statistics, paired tests, figure and files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from initlab import checks
from initlab.analysis import statistics
from initlab.analysis.transfer import best_learning_rates
from initlab.checks import integer_at_least
from initlab.errors import InitlabError
from initlab.experiments.result import Result
from initlab.report.document import FigureSection, Report, TableSection, png_bytes
from initlab.report.format import MISSING_STATISTIC, count, number, p_value, percent, points
from initlab.report.summary import BEST_LR_TEXT, metric_title, summary_lead, summary_markdown
from initlab.runs import defaults as D
from initlab.viz.summary import metric_figure


def _cost(value: float | None) -> str:
    return number(value, 4, MISSING_STATISTIC)


def _runs(row: pd.Series) -> str:
    """``"8"`` or ``"8 (2 diverged)"``."""
    return f"{row['n']}" + (f" ({row['diverged']} diverged)" if row["diverged"] else "")


def _mean_ci(row: pd.Series, key: str, fmt: Any) -> str:
    """``"mean [low, high]"`` of ``key`` in ``row``, each written by ``fmt``."""
    return f"{fmt(row[f'{key}_mean'])} [{fmt(row[f'{key}_ci_low'])}, {fmt(row[f'{key}_ci_high'])}]"


@dataclass(kw_only=True, repr=False)
class Summary(Result):
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
    best_lr: pd.DataFrame = field(default_factory=pd.DataFrame)
    """With ``lr`` in ``by``: the best learning rate of each group of the other columns
    (:func:`~initlab.analysis.transfer.best_learning_rates`), e.g. per width."""

    def display_best_lr(self) -> pd.DataFrame:
        """:attr:`best_lr` for people: the group, the best η, its mean final cost, the η tried."""
        if self.best_lr.empty:
            return self.best_lr
        out = self.best_lr.copy()
        out["best_lr"] = [MISSING_STATISTIC if pd.isna(v) else number(v) for v in out["best_lr"]]
        out["final_cost"] = [
            MISSING_STATISTIC if pd.isna(v) else _cost(v) for v in out["final_cost"]
        ]
        return out.rename(
            columns={
                "best_lr": "best lr",
                "final_cost": "mean final cost there",
                "lrs": "lrs tried",
                "lrs_with_divergence": "lrs with a diverged run",
            }
        )

    def display_table(self) -> pd.DataFrame:
        """One row per group: accuracy in percent with its CI, cost, success with Wilson CI."""
        level = percent(self.confidence, 0)
        rows = []
        for _, r in self.table.iterrows():
            row = {column: r[column] for column in self.by}
            row["runs"] = _runs(r)
            row["test acc. % mean ± sd"] = (
                f"{points(r['test_accuracy_mean'])} ± {points(r['test_accuracy_std'])}"
            )
            row[f"{level} CI"] = (
                f"[{points(r['test_accuracy_ci_low'])}, {points(r['test_accuracy_ci_high'])}]"
            )
            row["median"] = points(r["test_accuracy_median"])
            row[f"train acc. % [{level} CI]"] = _mean_ci(r, "train_accuracy", points)
            row["final cost mean [CI]"] = _mean_ci(r, "final_cost", _cost)
            row[f"success (≥ {percent(self.target, 0)}) [Wilson CI]"] = (
                f"{r['successes']}/{r['n']} = {points(r['success_rate'])} % "
                f"[{points(r['success_ci_low'])}, {points(r['success_ci_high'])}]"
            )
            row["median iters to target"] = count(r["median_iters_to_target"])
            rows.append(row)
        return pd.DataFrame(rows)

    def compact_table(self) -> pd.DataFrame:
        """The seed's table with intervals: train and test accuracy and final cost as
        ``mean [CI]``, and the success rate with its Wilson interval."""
        level = percent(self.confidence, 0)
        rows = []
        for _, r in self.table.iterrows():
            row = {column: r[column] for column in self.by}
            row["runs"] = _runs(r)
            for name, key, fmt in (
                ("train accuracy %", "train_accuracy", points),
                ("test accuracy %", "test_accuracy", points),
                ("final cost", "final_cost", _cost),
            ):
                row[f"{name} [{level} CI]"] = _mean_ci(r, key, fmt)
            row[f"success ≥ {percent(self.target, 0)} [Wilson]"] = (
                f"{r['successes']}/{r['n']} [{points(r['success_ci_low'])}, "
                f"{points(r['success_ci_high'])}] %"
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
                "median a − b" + unit: [_cost(v * scale) for v in out["median_diff"]],
                "Wilcoxon p": [p_value(v) for v in out["p_value"]],
                "rank-biserial r": [_cost(v) for v in out["rank_biserial"]],
            }
        )

    def figure(self) -> Figure:
        """The chosen metric against ``x``, one line per initializer, CI band shaded."""
        n = int(self.table["n"].min()) if len(self.table) else 0
        return metric_figure(
            self.table,
            self.x,
            self.metric,
            confidence=self.confidence,
            title=metric_title(self.metric, self.target, n),
        )

    def to_markdown(self) -> str:
        return summary_markdown(
            n_runs=self.n_runs,
            by=self.by,
            confidence=self.confidence,
            target=self.target,
            table=self.display_table(),
            pairs=self.display_pairs(),
            pair_metric=self.pair_metric,
            best_lr=self.display_best_lr(),
        )

    def to_dict(self) -> dict[str, Any]:
        """The settings, the statistics and the paired tests, JSON-ready (NaN as null)."""
        return {
            "source": self.source,
            "n_runs": self.n_runs,
            "by": list(self.by),
            "target": self.target,
            "confidence": self.confidence,
            "metric": self.metric,
            "pair_metric": self.pair_metric,
            "x": self.x,
            "table": json.loads(self.table.to_json(orient="records")),
            "pairs": json.loads(self.pairs.to_json(orient="records")),
            "best_lr": json.loads(self.best_lr.to_json(orient="records")),
        }

    def heading(self) -> str:
        return f"{self.n_runs} runs of {self.source or 'a sweep'} by {', '.join(self.by)}"

    def outcomes(self) -> list[tuple[str, str]]:
        out = []
        for _, r in self.table.iterrows():
            name = ", ".join(str(r[column]) for column in self.by)
            out.append(
                (
                    name,
                    f"test accuracy {points(r['test_accuracy_mean'])} %, "
                    f"success {r['successes']}/{r['n']}",
                )
            )
        return out

    def report(self) -> Report:
        """The statistics, the paired tests and the figure (what a notebook shows)."""
        pairs = self.display_pairs()
        tables = [] if pairs.empty else [TableSection("Paired tests", "", pairs)]
        if not self.best_lr.empty:
            tables.append(TableSection("Best learning rate", BEST_LR_TEXT, self.display_best_lr()))
        return Report(
            title=f"Summary: {self.heading()}",
            lead=summary_lead(self.confidence, self.target),
            table=self.display_table(),
            tables=tables,
            sections=[FigureSection("summary", "The figure", "", self.figure())],
        )

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
    target: float = D.TARGET,
    metric: str = "test_accuracy",
    x: str | None = None,
    confidence: float = D.CONFIDENCE,
    n_resamples: int = D.RESAMPLES,
    seed: int = D.BOOTSTRAP_SEED,
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

    from initlab.experiments.summary import Summary
    from initlab.viz.summary import METRICS

    if metric not in METRICS:
        raise InitlabError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    target = checks.check("target", target, checks.TARGET)
    confidence = float(confidence)
    n_resamples = integer_at_least("n_resamples", n_resamples, 1)
    seed = checks.check("seed", seed, checks.SEED)
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
    largest = int(runs.groupby(by_, dropna=False).size().max())
    # the bootstrap draws (n_resamples, n) indices and values per group and metric
    checks.check_budget(
        f"the bootstrap of {n_resamples:,} resamples of up to {largest:,} runs",
        memory=2 * checks.FLOAT_BYTES * n_resamples * largest,
        work=4.0 * n_resamples * len(runs),
    )
    if x is None:
        others = [c for c in by_ if c not in ("init", "init_name")]
        varied = [c for c in others if runs[c].nunique(dropna=False) > 1]
        x = (varied or others)[0] if varied or others else None
    elif x not in by_:
        raise InitlabError(f"the figure's x axis {x!r} must be one of --by ({', '.join(by_)})")
    table = statistics.summary_table(
        runs, by_, target=target, confidence=confidence, n_resamples=n_resamples, seed=seed
    )
    pair_metric = "test_accuracy" if metric == "success" else metric
    pairs = statistics.wilcoxon_pairs(runs, by_, pair_metric)
    best_lr = best_learning_rates(table, by_)
    return Summary(
        table=table,
        pairs=pairs,
        by=by_,
        target=float(target),
        confidence=confidence,
        metric=metric,
        pair_metric=pair_metric,
        x=x,
        n_runs=len(runs),
        source=source,
        best_lr=best_lr,
    )
