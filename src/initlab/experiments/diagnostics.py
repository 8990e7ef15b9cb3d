"""The result of :func:`initlab.diagnose`: what every layer does, measured beside the theory.

:class:`Diagnostics` holds the per-layer statistics of K models at each checkpoint
(:mod:`initlab.analysis.layer_stats`) and the mean-field theory's prediction for each
(:mod:`initlab.analysis.prediction`), and gives them as a table (``table()``, ``summary()``),
JSON (``to_dict()``), figures (``figures()``) and the files of a report (``files()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from initlab.analysis.chance import chance
from initlab.analysis.layer_stats import LayerStats
from initlab.analysis.prediction import InitTheory
from initlab.analysis.verdict import facts_from_stats, recent_fall, verdict
from initlab.experiments.result import TrainedResult
from initlab.report import diagnostics as text
from initlab.report.document import FigureSection, Report
from initlab.report.format import MISSING, format_columns, number, percent
from initlab.report.lesson import diagnostics_lesson
from initlab.report.why import explain_layers
from initlab.viz import activations as activation_figures
from initlab.viz import depth as figures


@dataclass(kw_only=True, repr=False)
class Diagnostics(TrainedResult):
    """Per-layer statistics of one network under several initializers, through training.

    ``stats[c]`` holds the K models' :class:`LayerStats` at ``checkpoints[c]``; ``alive[c, k]`` is
    False once model k has diverged (its numbers are then left out). ``theories[k]`` is the
    theory's :class:`InitTheory` or ``None`` with the reason in ``theory_notes[k]``.
    """

    inits: list[str]
    checkpoints: list[int]
    stats: list[LayerStats]
    alive: np.ndarray
    theories: list[InitTheory | None]
    theory_notes: list[str]
    costs: list[list[tuple[int, float]]]
    diverged_at: list[int | None]
    train_accuracy: list[float | None]
    test_accuracy: list[float | None]
    histogram_values: list[list[np.ndarray]]

    # -- numbers ---------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        return self.network.depth

    def _stat(self, c: int, k: int) -> dict[str, Any] | None:
        return self.stats[c].model(k) if self.alive[c, k] else None

    def _theory(self, k: int) -> dict[str, Any] | None:
        theory = self.theories[k]
        return theory.to_dict() if theory is not None else None

    def diagnoses(self) -> list[str]:
        """The one-line diagnosis of each initializer (see :mod:`initlab.analysis.verdict`)."""
        out = []
        final = self.stats[-1]
        guess = chance(self.dataset.y_train, self.network.output_layer(), self.dataset.n_classes)
        for k in range(len(self.inits)):
            final_cost = None if self.diverged_at[k] is not None else float(final.cost[k])
            facts = facts_from_stats(
                self.stats[0],
                final,
                k,
                diverged_at=self.diverged_at[k],
                initial_cost=float(self.stats[0].cost[k]),
                final_cost=final_cost,
                train_accuracy=self.train_accuracy[k],
                test_accuracy=self.test_accuracy[k],
                chance=guess,
                recent=recent_fall(self.costs[k], self.checkpoints[-1], final_cost),
            )
            out.append(verdict(facts))
        return out

    def explanations(self) -> list[str]:
        """A few sentences per initializer saying why, from its numbers."""
        out = []
        for k in range(len(self.inits)):
            text_ = explain_layers(
                sizes=self.network.sizes,
                at_init=self._stat(0, k),
                at_end=self._stat(len(self.checkpoints) - 1, k),
                theory=self._theory(k),
                diverged_at=self.diverged_at[k],
                initial_cost=float(self.stats[0].cost[k]),
                final_cost=float(self.stats[-1].cost[k]) if self.alive[-1, k] else None,
                train_accuracy=self.train_accuracy[k],
                test_accuracy=self.test_accuracy[k],
            )
            if self.theories[k] is None:
                text_ += text.no_theory_sentence(self.inits[k])
            out.append(text_)
        return out

    def table(self) -> pd.DataFrame:
        """One row per initializer, checkpoint and weight layer (the last layer is the output):
        measured statistics beside the theory's (theory only at iteration 0)."""
        rows = []
        activations = [*self.network.activations, self.network.output]
        for c, stats in enumerate(self.stats):
            for k, init in enumerate(self.inits):
                if not self.alive[c, k]:
                    continue
                th = self.theories[k] if c == 0 else None
                for i in range(self.depth):
                    hidden = i < self.depth - 1
                    rows.append(
                        {
                            "init": init,
                            "iteration": stats.iteration,
                            "layer": i + 1,
                            "units": self.network.sizes[i + 1],
                            "activation": activations[i],
                            "mean z": stats.pre_mean[k, i],
                            "std z": stats.pre_std[k, i],
                            "theory std z": th.pre_std[i] if th is not None else np.nan,
                            "std a": stats.act_std[k, i] if hidden else np.nan,
                            "dead": stats.dead[k, i] if hidden else np.nan,
                            "saturated": stats.saturated[k, i] if hidden else np.nan,
                            "|dC/dW|": stats.grad_w[k, i],
                            "|dC/dz|": stats.grad_z[k, i],
                            "theory |dC/dz|": th.grad_z[i] if th is not None else np.nan,
                            "chi": th.chi[i] if th is not None and hidden else np.nan,
                            "distinct": int(stats.distinct[k, i]) if hidden else -1,
                        }
                    )
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """One row per initializer: σ_w², χ, the signal and gradient across the hidden layers at
        initialization, dead and distinct units, and the diagnosis."""
        rows = []
        first, end = self.stats[0], self.stats[-1]
        last_hidden = max(self.depth - 2, 0)
        diagnoses = self.diagnoses()
        for k, init in enumerate(self.inits):
            th = self.theories[k]
            hidden = self.network.hidden
            dead = float(np.dot(first.dead[k], hidden) / max(sum(hidden), 1)) if hidden else 0.0
            rows.append(
                {
                    "init": init,
                    "σ_w²": th.sigma_w2[-1] if th is not None else np.nan,
                    "χ": _geometric_mean(th.chi) if th is not None else np.nan,
                    "std z first": first.pre_std[k, 0],
                    "std z last": first.pre_std[k, last_hidden],
                    "grad ratio": first.gradient_ratio(k),
                    "dead": dead,
                    "distinct at end": (
                        "/".join(str(int(d)) for d in _summarize_distinct(end.distinct[k]))
                        if self.alive[-1, k]
                        else MISSING
                    ),
                    "train accuracy": self.train_accuracy[k],
                    "diagnosis": diagnoses[k],
                }
            )
        return pd.DataFrame(rows)

    def display_summary(self) -> pd.DataFrame:
        """:meth:`summary` with its numbers as people read them."""
        columns = ("σ_w²", "χ", "std z first", "std z last", "grad ratio")
        return format_columns(
            self.summary(),
            {
                **{column: number for column in columns},
                "dead": lambda v: percent(v, 0),
                "train accuracy": percent,
            },
        )

    def to_dict(self) -> dict[str, Any]:
        """Every number, JSON-ready (non-finite numbers are ``None``)."""
        runs = []
        diagnoses = self.diagnoses()
        for k, init in enumerate(self.inits):
            runs.append(
                {
                    "init": init,
                    "diagnosis": diagnoses[k],
                    "diverged_at": self.diverged_at[k],
                    "train_accuracy": self.train_accuracy[k],
                    "test_accuracy": self.test_accuracy[k],
                    "costs": [[i, c] for i, c in self.costs[k]],
                    "theory": self._theory(k),
                    "theory_note": self.theory_notes[k] or None,
                    "checkpoints": [
                        self._stat(c, k) for c in range(len(self.checkpoints)) if self.alive[c, k]
                    ],
                }
            )
        return {**self.header(), "checkpoints": list(self.checkpoints), "runs": runs}

    def outcomes(self) -> list[tuple[str, str]]:
        accuracies = (percent(a) for a in self.train_accuracy)
        return [
            (init, f"train {accuracy}: {diagnosis}")
            for init, accuracy, diagnosis in zip(
                self.inits, accuracies, self.diagnoses(), strict=True
            )
        ]

    # -- figures ------------------------------------------------------------------------------

    def _panels(self, what: str) -> list[figures.Panel]:
        """Panels of ``pre_std`` or ``grad_z`` against depth: measured and theory at init."""
        panels = []
        for k, init in enumerate(self.inits):
            panel = figures.run_panel(init, k, what, self._stat(0, k), theory=self._theory(k))
            if self.theories[k] is None:
                panel.note = "; ".join(filter(None, [panel.note, text.NO_THEORY_NOTE]))
            panels.append(panel)
        return panels

    def _training_panels(self, what: str) -> list[figures.Panel]:
        """Panels of ``what`` against depth at every checkpoint, light (early) to dark (late)."""
        layers = list(range(1, self.depth + 1))
        panels = []
        n = max(len(self.checkpoints) - 1, 1)
        for k, init in enumerate(self.inits):
            curves = []
            for c, stats in enumerate(self.stats):
                if not self.alive[c, k]:
                    continue
                kind = "measured" if c == 0 else "later"
                label = f"iteration {stats.iteration:,}"
                curves.append(
                    figures.Curve(label, layers, getattr(stats, what)[k].tolist(), kind, c / n)
                )
            notes = [figures.zero_note(getattr(self.stats[0], what)[k].tolist())]
            if self.diverged_at[k] is not None:
                notes.append(f"diverged at iteration {self.diverged_at[k]}")
            panels.append(figures.Panel(init, curves, k, "; ".join(filter(None, notes))))
        return panels

    def figures(self) -> dict[str, Figure]:
        """``activations`` (histograms at init), ``signal`` (std of z against depth, theory over
        it), ``gradients`` (‖∂C/∂z‖ against depth), ``training`` (both through training)."""
        panels = {
            "signal": self._panels("pre_std"),
            "gradients": self._panels("grad_z"),
            "training_signal": self._training_panels("pre_std"),
            "training_gradients": self._training_panels("grad_z"),
        }
        activations = activation_figures.activation_histograms(
            self.inits, self.histogram_values, self.network.activation_text()
        )
        return {
            "activations": activations,
            **{
                name: figures.depth_figure(panels[name], *text.DEPTH_FIGURES[name])
                for name in panels
            },
        }

    def report(self) -> Report:
        return Report(
            title=text.diagnostics_title(self.network, self.dataset),
            lead=text.diagnostics_lead(self.network, self.dataset, self.checkpoints, self.lr),
            table=self.display_summary(),
            explanations=list(zip(self.inits, self.explanations(), strict=True)),
            sections=[
                FigureSection(name, *text.CAPTIONS[name], fig)
                for name, fig in self.figures().items()
            ],
            settings=self.report_settings(),
            lesson=diagnostics_lesson(
                self.inits,
                len(self.network.hidden),
                [self.stats[0].model(k) for k in range(len(self.inits))],
                self.diverged_at,
                self.train_accuracy,
            ),
        )


def _geometric_mean(values: np.ndarray) -> float:
    """The typical per-layer factor of a list of χ's (NaN when empty or not all > 0)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0 or not np.all(values > 0):
        return math.nan
    return float(np.exp(np.mean(np.log(values))))


def _summarize_distinct(distinct: np.ndarray) -> list[int]:
    """Distinct units per hidden layer, as the min and max over the layers when they differ."""
    low, high = int(distinct.min()), int(distinct.max())
    return [low] if low == high else [low, high]
