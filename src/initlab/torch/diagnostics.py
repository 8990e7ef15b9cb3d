"""The result of :func:`initlab.torch.diagnose`: one row per Linear/Conv layer of a PyTorch module.

The same family as :class:`~initlab.experiments.diagnostics.Diagnostics` (both are
:class:`~initlab.experiments.result.Result`): ``table()`` a pandas DataFrame, ``to_dict()`` every
number JSON-ready, ``figures()`` drawn by initlab's own depth profiles and activation histograms
(:mod:`initlab.viz.depth`, :mod:`initlab.viz.activations`, captions from
:mod:`initlab.report.diagnostics`), ``report(out)`` the same ``report.html``, ``report.md``,
``results.json`` and PNG figures, written as one transaction (:mod:`initlab.report.files`).
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from initlab._version import __version__
from initlab.analysis.json_numbers import json_number
from initlab.experiments.result import Result, now
from initlab.report import diagnostics as text
from initlab.report.document import FigureSection, Report
from initlab.report.files import check_folder, write_all
from initlab.report.format import format_columns, number, percent
from initlab.viz import depth
from initlab.viz.activations import activation_histograms

COLUMNS = (
    "name",
    "kind",
    "fan_in",
    "fan_out",
    "weight_std",
    "preact_mean",
    "preact_std",
    "act_std",
    "dead_fraction",
    "saturated_fraction",
    "grad_norm",
    "grad_preact_norm",
    "theory_preact_std",
    "activation",
)

# the titles of the one-panel depth figures (the study's own are too long for one panel)
SIGNAL = "Signal at initialization"
GRADIENT = "Gradient at initialization"


@dataclass
class LayerRow:
    """One Linear/Conv layer's numbers (NaN: not measured; see :mod:`initlab.torch.diagnose`)."""

    name: str
    kind: str
    fan_in: int
    fan_out: int
    weight_std: float
    preact_mean: float
    preact_std: float
    act_std: float = math.nan
    dead_fraction: float = math.nan
    saturated_fraction: float = math.nan
    grad_norm: float = math.nan
    grad_preact_norm: float = math.nan
    theory_preact_std: float = math.nan
    activation: str = ""


@dataclass(kw_only=True, repr=False)
class TorchDiagnostics(Result):
    """Per-layer statistics of a PyTorch module (class name ``model``) on a batch of
    ``batch_shape``; ``loss_value`` of ``loss`` when a backward pass was made."""

    model: str
    batch_shape: tuple[int, ...]
    loss: str | None
    loss_value: float | None
    rows: list[LayerRow]
    histogram_values: list[np.ndarray | None]
    activation_specs: list[str | None]
    created: str = field(default_factory=now)

    # -- numbers ---------------------------------------------------------------------------

    def table(self) -> pd.DataFrame:
        """One row per Linear/Conv layer in forward order, the columns of :data:`COLUMNS`."""
        return pd.DataFrame([asdict(row) for row in self.rows], columns=list(COLUMNS))

    def display_table(self) -> pd.DataFrame:
        """:meth:`table` with its numbers as people read them."""
        numbers = COLUMNS[4:8] + COLUMNS[10:13]
        return format_columns(
            self.table(),
            {
                **{column: number for column in numbers},
                "dead_fraction": percent,
                "saturated_fraction": percent,
            },
        )

    def to_dict(self) -> dict[str, Any]:
        """Every number, JSON-ready (non-finite numbers are ``None``)."""
        layers = [
            {key: json_number(v) if isinstance(v, float) else v for key, v in asdict(row).items()}
            for row in self.rows
        ]
        return {
            "created": self.created,
            "initlab": __version__,
            "model": self.model,
            "batch_shape": list(self.batch_shape),
            "loss": self.loss,
            "loss_value": json_number(self.loss_value) if self.loss_value is not None else None,
            "layers": layers,
        }

    def heading(self) -> str:
        loss = f", {self.loss} {self.loss_value:.4g}" if self.loss_value is not None else ""
        return f"{self.model} on a batch of shape {self.batch_shape}{loss}"

    def outcomes(self) -> list[tuple[str, str]]:
        out = []
        for row in self.rows:
            theory = number(row.theory_preact_std)
            out.append(
                (
                    row.name or "<module>",
                    f"{row.kind} std z {number(row.preact_std)} (theory {theory}), "
                    f"‖∂C/∂W‖ {number(row.grad_norm)}",
                )
            )
        return out

    # -- figures and report --------------------------------------------------------------------

    def _panel(self, values: list[float], theory: list[float] | None = None) -> depth.Panel:
        layers = list(range(1, len(values) + 1))
        curves = [depth.Curve("measured", layers, values)]
        if theory is not None and all(math.isfinite(v) for v in theory):
            curves.append(depth.Curve("theory", layers, theory, kind="theory"))
        return depth.Panel(self.model, curves, 0, depth.zero_note(values))

    def figures(self) -> dict[str, Figure]:
        """``signal`` (std of every layer's output against depth, the theory dashed over it when
        the module is a chain it covers), ``gradients`` (‖∂C/∂z‖ per layer, with a loss) and
        ``activations`` (histograms of the activations initlab recognises)."""
        table = self.table()
        out: dict[str, Figure] = {}
        theory = table["theory_preact_std"].tolist()
        signal = self._panel(table["preact_std"].tolist(), theory)
        out["signal"] = depth.depth_figure([signal], text.DEPTH_FIGURES["signal"][0], SIGNAL)
        if self.loss_value is not None:
            gradients = self._panel(table["grad_preact_norm"].tolist())
            ylabel = text.DEPTH_FIGURES["gradients"][0]
            out["gradients"] = depth.depth_figure([gradients], ylabel, GRADIENT)
        values = [v for v in self.histogram_values if v is not None]
        if values:
            names = sorted({s for s in self.activation_specs if s})
            out["activations"] = activation_histograms([self.model], [values], ", ".join(names))
        return out

    def report(self, out: str | os.PathLike | None = None) -> Report:
        """The report (title, lead, table, figures); with ``out``, also writes every file of it
        (:meth:`files`: ``report.html``, ``report.md``, ``results.json``, the PNGs) into that
        folder, all or nothing."""
        report = Report(
            title=f"Layer by layer: {self.model}",
            lead=self._lead(),
            table=self.display_table(),
            sections=[
                FigureSection(name, *text.CAPTIONS[name], figure)
                for name, figure in self.figures().items()
            ],
            settings={"initlab": __version__, "created": self.created},
        )
        if out is not None:
            write_all(check_folder(out, "out"), self.files(report))
        return report

    def files(self, report: Report | None = None) -> dict[str, bytes | str]:
        """Every output file: the figures, ``results.json``, ``report.html`` and ``report.md``."""
        from initlab.report.document import report_files

        files = report_files(report if report is not None else self.report())
        files["results.json"] = self.to_json()
        return files

    def _lead(self) -> str:
        backward = (
            f" and one backward pass of the {self.loss} loss ({self.loss_value:.4g})"
            if self.loss_value is not None
            else ""
        )
        theory = (
            "; the mean-field theory (Poole et al. 2016, Schoenholz et al. 2017) is drawn over "
            "the measurements, from the second moments of the weights as drawn"
            if any(math.isfinite(row.theory_preact_std) for row in self.rows)
            else "; no theory line (the module is not a chain of Linear layers and activations "
            "initlab knows)"
        )
        return (
            f"A PyTorch {self.model} with {len(self.rows)} Linear/Conv layers, measured on one "
            f"batch of shape {self.batch_shape}: one forward pass{backward}{theory}."
        )
