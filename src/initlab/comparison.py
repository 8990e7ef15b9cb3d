"""The result of :func:`initlab.compare`: the runs, their table, figures, JSON and report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from initlab import __version__
from initlab.data.dataset import Dataset
from initlab.nn.network import Network
from initlab.runs.run import Run
from initlab.viz import figures
from initlab.viz.report import FigureSection, Report, report_files


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
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

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
                "diagnosis": [r.diagnosis for r in self.runs],
            }
        )

    def _repr_html_(self) -> str:
        return self.table().to_html(index=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "initlab_version": __version__,
            "created": self.created,
            "dataset": self.dataset.spec,
            "network": {
                "layers": list(self.network.sizes),
                "activation": self.network.activation,
                "output": self.network.output,
            },
            "lr": self.lr,
            "iterations": self.iterations,
            "every": self.every,
            "seed": self.seed,
            "engine": self.engine,
            "runs": [run.to_dict() for run in self.runs],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def plot(self) -> Figure:
        """The cost curves of every run on one figure."""
        return figures.cost_figure(self.runs, self.lr)

    def figures(self) -> dict[str, Figure]:
        """``dataset``, ``costs`` and ``boundaries`` (the last only for 2-D inputs)."""
        out = {"dataset": figures.dataset_figure(self.dataset), "costs": self.plot()}
        if self.dataset.n_features == 2:
            out["boundaries"] = figures.boundary_figure(self.network, self.runs, self.dataset)
        return out

    def report(self) -> Report:
        figs = self.figures()
        sections = [
            FigureSection(
                "dataset",
                "The data",
                f"{self.dataset.spec}: the classifier must separate the colours. Filled points "
                "train the network; hollow ones are held out to test it.",
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
                    "The shaded regions are the class each trained network predicts at every point "
                    "of the plane; a good initialization ends with a boundary that follows the data.",
                    figs["boundaries"],
                )
            )
        lead = (
            f"A {self.network} network ({self.network.activation} hidden layers, "
            f"{self.network.output} output) trained by full-batch gradient descent "
            f"(learning rate {self.lr:g}, {self.iterations:,} iterations) on {self.dataset.spec}, "
            f"once per initialization. Same data, same network, same learning rate: only the "
            "initial weights differ."
        )
        return Report(
            title=f"Weight initialization on {self.dataset.spec.partition(':')[0]}",
            lead=lead,
            table=self.table(),
            explanations=[(run.init, explain(run)) for run in self.runs],
            sections=sections,
            settings={
                "initlab": __version__,
                "seed": str(self.seed),
                "engine": self.engine,
                "created": self.created,
            },
        )

    def files(self) -> dict[str, bytes | str]:
        """Every output file: figures, ``results.json``, ``report.html`` and ``report.md``."""
        files = report_files(self.report())
        files["results.json"] = self.to_json()
        return files


def explain(run: Run) -> str:
    """A few sentences saying why a run ended as it did, from its measured facts."""
    facts = run.facts
    if run.diverged:
        return (
            f"The cost stopped being a finite number at iteration {run.diverged_at}: the steps "
            "were too large for these weights, so the parameters blew up."
        )
    sentences = []
    distinct = facts.get("distinct_units", [])
    sizes = facts.get("hidden_sizes", [])
    if distinct and all(d == 1 for d, n in zip(distinct, sizes) if n > 1):
        units = " and ".join(f"all {n} units of hidden layer {i + 1}" for i, n in enumerate(sizes))
        sentences.append(
            f"After {run.costs[-1][0] if run.costs else 0:,} iterations {units} still have "
            "identical weights: starting equal, they received equal gradients, so the network "
            "computes what one unit per layer would."
        )
    else:
        sentences.append(
            "Every hidden unit ended different from its neighbours ("
            + ", ".join(f"{d} of {n}" for d, n in zip(distinct, sizes))
            + " distinct), so symmetry was broken."
        )
    share = facts.get("initial_saturated_share", 0.0)
    if share > 0.25:
        sentences.append(
            f"At the start {share:.0%} of the outputs were saturated (|logit| > 4.6), so confident "
            f"wrong answers gave an initial cost of {run.initial_cost:.4g} and tiny gradients."
        )
    if run.costs:
        sentences.append(
            f"The cost went from {run.initial_cost:.4g} to {run.final_cost:.4g}; accuracy ended at "
            f"{run.train_accuracy:.1%} on the training set and {run.test_accuracy:.1%} on the test set."
        )
    return " ".join(sentences)
