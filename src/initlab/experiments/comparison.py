"""The result of :func:`initlab.compare`: the runs, their table, figures, JSON and report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from initlab.experiments.result import TrainedResult
from initlab.report import comparison as text
from initlab.report.document import FigureSection, Report, TableSection
from initlab.report.format import (
    diverged_or,
    format_columns,
    percent,
    significant,
    test_cost_or,
)
from initlab.report.lesson import comparison_lesson
from initlab.report.why import explain_run
from initlab.runs.run import Run
from initlab.viz import boundary, costs, depth
from initlab.viz import dataset as dataset_figures

if TYPE_CHECKING:
    from initlab.experiments.summary import Summary


def _percent_or_text(value: float | str) -> str:
    return value if isinstance(value, str) else percent(value)


def _cost_or_text(value: float | str) -> str:
    return value if isinstance(value, str) else significant(value, 4)


@dataclass(kw_only=True, repr=False)
class Comparison(TrainedResult):
    """Runs of one network on one dataset that differ only in their initial weights.

    ``table()`` gives the comparison as a pandas DataFrame, ``plot()`` the cost curves,
    ``figures()`` every figure, ``to_dict()`` the JSON, ``files()`` the files of the report.
    """

    every: int
    runs: list[Run]
    over_seeds: Summary | None = None  # the statistics over seeds, when compare(seeds=...) asked
    dtype: str = "float64"  # the float type the engine trained in
    engine_note: str = ""  # why the engine that ran is not the one asked for (empty if it is)

    def run(self, init: str) -> Run:
        """The run whose initializer spec (or name) is ``init``."""
        for run in self.runs:
            if run.init == init or run.init.partition(":")[0] == init:
                return run
        raise KeyError(init)

    def table(self) -> pd.DataFrame:
        """init, train accuracy, test accuracy, final cost and diagnosis, one row per run."""
        return pd.DataFrame(
            {
                "init": [r.init for r in self.runs],
                "train accuracy": [diverged_or(r.train_accuracy) for r in self.runs],
                "test accuracy": [diverged_or(r.test_accuracy) for r in self.runs],
                "final cost": [diverged_or(r.final_cost) for r in self.runs],
                "test cost": [test_cost_or(r.test_cost, r.diverged) for r in self.runs],
                "diagnosis": [r.diagnosis for r in self.runs],
            }
        )

    def display_table(self) -> pd.DataFrame:
        """:meth:`table` with accuracies as percentages and costs to 4 digits, for people."""
        return format_columns(
            self.table(),
            {
                "train accuracy": _percent_or_text,
                "test accuracy": _percent_or_text,
                "final cost": _cost_or_text,
                "test cost": _cost_or_text,
            },
        )

    def outcomes(self) -> list[tuple[str, str]]:
        return [
            (
                run.init,
                f"train {_percent_or_text(diverged_or(run.train_accuracy))}, "
                f"test {_percent_or_text(diverged_or(run.test_accuracy))}: {run.diagnosis}",
            )
            for run in self.runs
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.header(every=self.every),
            "dtype": self.dtype,
            "engine_note": self.engine_note,
            "runs": [run.to_dict() for run in self.runs],
            **self._over_seeds_dict(),
        }

    def _over_seeds_dict(self) -> dict[str, Any]:
        """``{"over_seeds": {...}}`` with the statistics over seeds (NaN as null), if computed."""
        if self.over_seeds is None:
            return {}
        s = self.over_seeds.to_dict()
        return {
            "over_seeds": {
                "seeds": int(self.over_seeds.table["n"].max()),
                **{key: s[key] for key in ("target", "confidence", "table", "pairs")},
            }
        }

    def plot(self) -> Figure:
        """The cost curves of every run on one figure."""
        return costs.cost_figure(
            self.runs, self.lr, loss=self.network.output_layer().loss, iterations=self.iterations
        )

    def figures(self) -> dict[str, Figure]:
        """``dataset``, ``costs`` and ``boundaries`` (the last only for 2-D inputs)."""
        out = {"dataset": dataset_figures.dataset_figure(self.dataset), "costs": self.plot()}
        if self.dataset.n_features == 2:
            out["boundaries"] = boundary.boundary_figure(self.network, self.runs, self.dataset)
        out.update(self.layer_figures())
        return out

    def layer_figures(self) -> dict[str, Figure]:
        """``signal`` and ``gradients``: the spread of the pre-activations and ‖∂C/∂z‖ of every
        layer at init (with the mean-field theory) and at the end, one panel per run."""
        runs = [run for run in self.runs if "layers" in run.facts]
        if not runs:
            return {}
        end = f"after {self.iterations:,} iterations"

        def figure(what: str) -> Figure:
            panels = [
                depth.run_panel(
                    run.init,
                    i,
                    what,
                    run.facts["layers"]["init"],
                    run.facts["layers"]["end"],
                    run.facts.get("theory"),
                    end,
                )
                for i, run in enumerate(runs)
            ]
            return depth.depth_figure(panels, *text.LAYER_FIGURES[what])

        return {"signal": figure("pre_std"), "gradients": figure("grad_z")}

    def report(self) -> Report:
        figs = self.figures()
        captions = text.captions(self.dataset, dataset_figures.projection_note(self.dataset))
        return Report(
            title=text.comparison_title(self.dataset),
            lead=text.comparison_lead(
                self.network, self.dataset, self.lr, self.iterations, "boundaries" in figs
            ),
            table=self.display_table(),
            explanations=[(run.init, explain_run(run)) for run in self.runs],
            sections=[FigureSection(name, *captions[name], fig) for name, fig in figs.items()],
            settings=self.report_settings(),
            tables=self._over_seeds_tables(),
            lesson=comparison_lesson(self.runs, self.iterations, self._chance_accuracy()),
        )

    def _chance_accuracy(self) -> float:
        """The accuracy of always guessing the training set's most common class."""
        _, counts = np.unique(self.dataset.y_train, return_counts=True)
        return float(counts.max() / counts.sum())

    def _over_seeds_tables(self) -> list[TableSection]:
        """The "over N seeds" section: the table above as means with confidence intervals."""
        if self.over_seeds is None:
            return []
        s = self.over_seeds
        (title, caption), (pairs_title, pairs_caption) = text.over_seeds_captions(
            int(s.table["n"].max()), s.confidence, s.target
        )
        tables = [TableSection(title, caption, s.compact_table())]
        if not s.pairs.empty:
            tables.append(TableSection(pairs_title, pairs_caption, s.display_pairs()))
        return tables
