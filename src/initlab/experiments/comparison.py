"""The result of :func:`initlab.compare`: the runs, their table, figures, JSON and report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from initlab._version import __version__
from initlab.data.dataset import Dataset
from initlab.data.registry import short_spec
from initlab.nn.network import Network
from initlab.report.document import FigureSection, Report, TableSection, report_files
from initlab.report.header import settings_header
from initlab.report.why import explain_run, no_boundary_note
from initlab.runs.run import Run
from initlab.viz import boundary, costs, depth
from initlab.viz import dataset as dataset_figures


def _percent(value: float | None) -> str | float:
    return "diverged" if value is None else value


@dataclass
class Comparison:
    """Runs of one network on one dataset that differ only in their initial weights.

    ``table()`` gives the comparison as a pandas DataFrame, ``plot()`` the cost curves,
    ``figures()`` every figure, ``to_dict()`` the JSON, ``write(out_dir)`` the files of the report.
    """

    dataset: Dataset
    network: Network
    lr: float
    iterations: int
    every: int
    seed: int
    runs: list[Run]
    engine: str = "numpy"
    created: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds")
    )
    over_seeds: Any = (
        None  # a initlab.experiments.summary.Summary when compare(seeds=...) was asked for
    )
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
                "train accuracy": [_percent(r.train_accuracy) for r in self.runs],
                "test accuracy": [_percent(r.test_accuracy) for r in self.runs],
                "final cost": [_percent(r.final_cost) for r in self.runs],
                "test cost": [_percent(r.test_cost) for r in self.runs],
                "diagnosis": [r.diagnosis for r in self.runs],
            }
        )

    def display_table(self) -> pd.DataFrame:
        """:meth:`table` with accuracies as percentages and costs to 4 digits, for people."""
        table = self.table()
        for column in ("train accuracy", "test accuracy"):
            table[column] = [v if isinstance(v, str) else f"{v:.1%}" for v in table[column]]
        table["final cost"] = [v if isinstance(v, str) else f"{v:.4g}" for v in table["final cost"]]
        table["test cost"] = [v if isinstance(v, str) else f"{v:.4g}" for v in table["test cost"]]
        return table

    def _repr_html_(self) -> str:
        return self.table().to_html(index=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            **settings_header(
                created=self.created,
                dataset=self.dataset,
                network=self.network,
                lr=self.lr,
                iterations=self.iterations,
                every=self.every,
                seed=self.seed,
                engine=self.engine,
            ),
            "dtype": self.dtype,
            "engine_note": self.engine_note,
            "runs": [run.to_dict() for run in self.runs],
            **self._over_seeds_dict(),
        }

    def _over_seeds_dict(self) -> dict[str, Any]:
        """``{"over_seeds": {...}}`` with the statistics over seeds (NaN as null), if computed."""
        if self.over_seeds is None:
            return {}
        s = self.over_seeds
        return {
            "over_seeds": {
                "seeds": int(s.table["n"].max()),
                "target": s.target,
                "confidence": s.confidence,
                "table": json.loads(s.table.to_json(orient="records")),
                "pairs": json.loads(s.pairs.to_json(orient="records")),
            }
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def plot(self) -> Figure:
        """The cost curves of every run on one figure."""
        return costs.cost_figure(self.runs, self.lr, loss=self.network.output_layer().loss)

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

        def panels(what: str) -> list[depth.Panel]:
            return [
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

        return {
            "signal": depth.depth_figure(
                panels("pre_std"),
                "std of pre-activations z",
                "Why, layer by layer: the signal at init (theory dashed) and after training",
            ),
            "gradients": depth.depth_figure(
                panels("grad_z"),
                "‖∂C/∂z‖ of the layer",
                "Why, layer by layer: the gradient at init (theory dashed) and after training",
            ),
        }

    def report(self) -> Report:
        figs = self.figures()
        sections = [
            FigureSection(
                "dataset",
                "The data",
                f"{short_spec(self.dataset.spec)}: the classifier must separate the colours. "
                "Filled points train the network; hollow ones are held out to test it."
                + dataset_figures.projection_note(self.dataset),
                figs["dataset"],
            ),
            FigureSection(
                "costs",
                "The cost during training",
                "Each curve is one initialization: a flat line means gradient descent is not "
                "moving the network; a curve that starts very high began with saturated outputs.",
                figs["costs"],
            ),
        ]
        if "boundaries" in figs:
            sections.append(
                FigureSection(
                    "boundaries",
                    "What each network learned",
                    "The shaded regions are the class each trained network predicts at every "
                    "point of the plane; a good initialization ends with a boundary that follows "
                    "the data.",
                    figs["boundaries"],
                )
            )
        if "signal" in figs:
            sections += [
                FigureSection(
                    "signal",
                    "Why: the signal layer by layer",
                    "The spread (std) of each layer's pre-activations on the training data at "
                    "initialization (coloured), as the mean-field theory predicts it (dashed: "
                    "q_l = σ_w²·E[φ(√q_{l−1} z)²] + σ_b², exact for wide random layers) and after "
                    "training (grey). Zero weights give nothing at all; too large weights blow the "
                    "signal up layer after layer.",
                    figs["signal"],
                ),
                FigureSection(
                    "gradients",
                    "Why: the gradient layer by layer",
                    "The size of ∂C/∂z in each layer: going back from the output the theory "
                    "multiplies it by √χ per layer (χ = σ_w²·E[φ'(√q z)²]); χ > 1 explodes, "
                    "χ < 1 vanishes. Layers missing on the log axis had a gradient of exactly 0.",
                    figs["gradients"],
                ),
            ]
        lead = (
            f"A {self.network} network ({self.network.activation_text()} hidden layers, "
            f"{self.network.output} output) trained by full-batch gradient descent "
            f"(learning rate {self.lr:g}, {self.iterations:,} iterations) on "
            f"{short_spec(self.dataset.spec)}, "
            f"once per initialization. Same data, same network, same learning rate: only the "
            "initial weights differ."
        )
        if "boundaries" not in figs:
            lead += no_boundary_note(self.dataset)
        return Report(
            title=f"Weight initialization on {self.dataset.spec.partition(':')[0]}",
            lead=lead,
            table=self.display_table(),
            explanations=[(run.init, explain_run(run)) for run in self.runs],
            sections=sections,
            settings={
                "initlab": __version__,
                "seed": str(self.seed),
                "engine": self.engine,
                "created": self.created,
            },
            tables=self._over_seeds_tables(),
        )

    def _over_seeds_tables(self) -> list[TableSection]:
        """The "over N seeds" section: the table above as means with confidence intervals."""
        if self.over_seeds is None:
            return []
        s = self.over_seeds
        n = int(s.table["n"].max())
        tables = [
            TableSection(
                f"Over {n} seeds",
                f"The same runs repeated with {n} seeds (each seed S draws the initial weights "
                f"from RandomState(S)): accuracy in percent, mean with a {s.confidence:.0%} "
                f"bootstrap confidence interval of the mean; success is a test accuracy "
                f"≥ {s.target:.0%} "
                "with a Wilson interval; a diverged run counts as a failure.",
                s.compact_table(),
            )
        ]
        if not s.pairs.empty:
            tables.append(
                TableSection(
                    f"Initializers compared over the {n} seeds",
                    "Wilcoxon signed-rank test on the test accuracy of runs with the same seed; "
                    "r is the matched-pairs rank-biserial correlation (> 0: a did better).",
                    s.display_pairs(),
                )
            )
        return tables

    def files(self) -> dict[str, bytes | str]:
        """Every output file: figures, ``results.json``, ``report.html`` and ``report.md``."""
        files = report_files(self.report())
        files["results.json"] = self.to_json()
        return files
