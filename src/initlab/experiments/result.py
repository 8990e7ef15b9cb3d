"""What every study's result shares: keyword construction, JSON, output files and a short repr.

:class:`Result` is the base of :class:`~initlab.experiments.comparison.Comparison`,
:class:`~initlab.experiments.diagnostics.Diagnostics`, :class:`~initlab.experiments.summary.Summary`
and :class:`~initlab.experiments.phase.PhaseDiagram`: ``to_json()`` is ``to_dict()`` as JSON (no
NaN: non-finite numbers must already be ``None``), ``files()`` the report's files and
``results.json``, and the repr one heading line and one line per initializer (a result holds
every number of every layer; its repr says only what it is and how each initializer did). In a
notebook a result shows as rich HTML (``_repr_html_``): its report's lesson, table (percentages
and verdicts), explanations and figures inline
(:func:`~initlab.report.document.render_fragment`).

:class:`TrainedResult` adds the settings of a study that trained a network on a dataset, written
at the head of its JSON (:func:`~initlab.report.header.settings_header`) and at the foot of its
report. Subclasses are dataclasses declared with ``kw_only=True, repr=False`` (keyword arguments,
and this repr kept).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from initlab._version import __version__
from initlab.data.dataset import Dataset
from initlab.data.registry import short_spec
from initlab.nn.network import Network
from initlab.report.document import Report, render_fragment, report_files
from initlab.report.header import settings_header


def now() -> str:
    """The current UTC time to the second, ISO 8601: when a result was created."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(kw_only=True, repr=False)
class Result:
    """The base of every study's result (see the module docstring)."""

    def to_dict(self) -> dict[str, Any]:
        """Every number, JSON-ready."""
        raise NotImplementedError

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def report(self) -> Report:
        """The report: title, lead, table, explanations and figures."""
        raise NotImplementedError

    def files(self) -> dict[str, bytes | str]:
        """Every output file: the figures, ``results.json``, ``report.html`` and ``report.md``."""
        files = report_files(self.report())
        files["results.json"] = self.to_json()
        return files

    def heading(self) -> str:
        """The first line of the repr: what was studied, on what."""
        raise NotImplementedError

    def outcomes(self) -> list[tuple[str, str]]:
        """``(initializer, how it did)`` pairs, one line each in the repr."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        """The rich view a notebook shows: the report as one block of HTML, figures inline."""
        return render_fragment(self.report())

    def __repr__(self) -> str:
        outcomes = self.outcomes()
        width = max((len(name) for name, _ in outcomes), default=0)
        lines = [f"{type(self).__name__}: {self.heading()}"]
        lines += [f"  {name:<{width}}  {outcome}" for name, outcome in outcomes]
        return "\n".join(lines)


@dataclass(kw_only=True, repr=False)
class TrainedResult(Result):
    """A result of training ``network`` on ``dataset`` (learning rate ``lr``, ``iterations`` of
    full-batch gradient descent, initial weights from ``RandomState(seed)``) on ``engine``."""

    dataset: Dataset
    network: Network
    lr: float
    iterations: int
    seed: int
    engine: str = "numpy"
    created: str = field(default_factory=now)

    def header(self, every: int | None = None) -> dict[str, Any]:
        """The settings every JSON starts with (``every`` only when the study records it)."""
        return settings_header(
            created=self.created,
            dataset=self.dataset,
            network=self.network,
            lr=self.lr,
            iterations=self.iterations,
            every=every,
            seed=self.seed,
            engine=self.engine,
        )

    def report_settings(self) -> dict[str, str]:
        """The settings at the foot of the report."""
        scaling = self.network.parametrization
        return {
            "initlab": __version__,
            **({} if scaling == "sp" else {"parametrization": self.network.parametrization_text()}),
            "seed": str(self.seed),
            "engine": self.engine,
            "created": self.created,
        }

    def heading(self) -> str:
        network = self.network
        scaling = "" if network.parametrization == "sp" else f", {network.parametrization_text()}"
        return (
            f"{network} network ({network.activation_text()} hidden, {network.output} output"
            f"{scaling}) "
            f"on {short_spec(self.dataset.spec)}, lr {self.lr:g}, {self.iterations:,} iterations, "
            f"seed {self.seed}"
        )
