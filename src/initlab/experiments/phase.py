"""The order-to-chaos phase diagram of an activation, and where initializers sit on it.

:func:`compute` evaluates χ(q*) over a (σ_w², σ_b²) grid and the critical line χ(q*) = 1
(:mod:`initlab.analysis.theory`, after Poole et al. 2016 and Schoenholz et al. 2017), and reads
σ_w², σ_b² off each initializer for a hidden layer of ``width`` units (fan_in = fan_out = width; the
width matters only for schemes with an absolute spread, such as the course's ``random``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from initlab import initializers
from initlab._version import __version__
from initlab.analysis import theory
from initlab.analysis.json_numbers import json_number, json_numbers
from initlab.checks import integer_at_least, positive_number
from initlab.errors import InitlabError
from initlab.experiments.result import Result
from initlab.initializers.registry import Initializer
from initlab.nn import activations
from initlab.nn.activations import Activation
from initlab.report.document import FigureSection, Report, png_bytes
from initlab.report.format import number
from initlab.report.phase import PHASE_LEAD, phase_name
from initlab.runs import defaults as D
from initlab.viz import phase as figures

CRITICAL_BAND = 0.02  # |χ − 1| below this counts as critical


@dataclass(kw_only=True)
class InitPoint:
    """An initializer's (σ_w², σ_b²) for a ``width``-unit hidden layer, its q* and χ(q*)."""

    init: str
    sigma_w2: float
    sigma_b2: float
    q_star: float
    chi: float

    @property
    def phase(self) -> str:
        return phase_name(self.chi, CRITICAL_BAND)


@dataclass(kw_only=True, repr=False)
class PhaseDiagram(Result):
    """χ(q*) on the grid ``sigma_w2`` × ``sigma_b2`` (``chi[i, j]`` at σ_b²[i], σ_w²[j]), the
    critical line (``line_w2`` against ``line_b2``, with its ``line_q``) and the initializers."""

    activation: str
    width: int
    sigma_w2: np.ndarray
    sigma_b2: np.ndarray
    chi: np.ndarray
    line_b2: np.ndarray
    line_w2: np.ndarray
    line_q: np.ndarray
    points: list[InitPoint]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "init": [p.init for p in self.points],
                "σ_w²": [p.sigma_w2 for p in self.points],
                "σ_b²": [p.sigma_b2 for p in self.points],
                "q*": [p.q_star for p in self.points],
                "χ(q*)": [p.chi for p in self.points],
                "phase": [p.phase for p in self.points],
            }
        )

    def figure(self) -> Figure:
        markers = [figures.Marker(p.init, p.sigma_w2, p.sigma_b2) for p in self.points]
        return figures.phase_diagram(
            self.activation,
            self.sigma_w2,
            self.sigma_b2,
            self.chi,
            self.line_w2,
            self.line_b2,
            markers,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "initlab_version": __version__,
            "activation": self.activation,
            "width": self.width,
            "critical_line": {
                "sigma_b2": json_numbers(self.line_b2),
                "sigma_w2": json_numbers(self.line_w2),
                "q_star": json_numbers(self.line_q),
            },
            "inits": [
                {
                    "init": p.init,
                    "sigma_w2": p.sigma_w2,
                    "sigma_b2": p.sigma_b2,
                    "q_star": json_number(p.q_star),
                    "chi": json_number(p.chi),
                    "phase": p.phase,
                }
                for p in self.points
            ],
        }

    def heading(self) -> str:
        return f"{self.activation}, hidden layers of {self.width} units"

    def outcomes(self) -> list[tuple[str, str]]:
        return [(p.init, f"χ(q*) = {number(p.chi, 4)}, {p.phase}") for p in self.points]

    def report(self) -> Report:
        """Where each initializer sits, and the diagram (what a notebook shows)."""
        return Report(
            title=f"Order to chaos: {self.heading()}",
            lead=PHASE_LEAD,
            table=self.table(),
            sections=[FigureSection("phase", "The phase diagram", "", self.figure())],
        )

    def files(self) -> dict[str, bytes | str]:
        """``phase.png`` and ``theory.json``."""
        return {"phase.png": png_bytes(self.figure()), "theory.json": self.to_json()}


def init_point(initializer: Initializer, activation: Activation, width: int) -> InitPoint:
    """Where ``initializer`` puts a ``width``-unit hidden layer (raises for unsupported ones)."""
    sw2, sb2 = theory.weight_variances(initializer, (width, width))
    sigma_w2, sigma_b2 = float(sw2[0]), float(sb2[0])
    _check_in_range(initializer, width, sigma_w2, sigma_b2)
    q_star = float(theory.fixed_point(activation, sigma_w2, sigma_b2))
    chi = float(theory.chi_at_fixed_point(activation, sigma_w2, sigma_b2))
    return InitPoint(
        init=initializer.spec, sigma_w2=sigma_w2, sigma_b2=sigma_b2, q_star=q_star, chi=chi
    )


def _check_in_range(initializer: Initializer, width: int, sigma_w2: float, sigma_b2: float) -> None:
    """Refuse a point beyond the variances the theory computes (q up to ``theory.Q_MAX``): there
    q* would print as ``inf`` though it is finite. For the schemes whose σ_w² grows with the
    width (``random``, ``normal``, ...) the message gives the widest layer that fits."""
    if max(sigma_w2, sigma_b2) <= theory.Q_MAX:
        return
    per_unit = float(theory.weight_variances(initializer, (1, 1))[0][0])
    widest = int(theory.Q_MAX // per_unit) if sigma_w2 > per_unit > 0 else 0
    fix = (
        f"use a width of at most {widest:,}"
        if widest >= 1 and sigma_b2 <= theory.Q_MAX
        else "use a smaller scale"
    )
    raise InitlabError(
        f"width {width:,}: {initializer.spec} gives σ_w² = {sigma_w2:.4g}, σ_b² = {sigma_b2:.4g}, "
        f"beyond what the theory computes (σ_w² and σ_b² up to {theory.Q_MAX:.0e}); {fix}"
    )


def compute(
    activation: Activation,
    inits: list[Initializer],
    width: int = 64,
    sigma_w2_max: float | None = None,
    sigma_b2_max: float = 0.5,
    resolution: int = 80,
) -> PhaseDiagram:
    """The :class:`PhaseDiagram` of ``activation`` with the ``inits`` marked.

    The σ_w² axis runs to ``sigma_w2_max`` (default: 1.4 × the critical σ_w² at the top of the σ_b²
    range, and at least 4, so the line and the usual initializers fit).
    """
    points = [init_point(ini, activation, width) for ini in inits]
    line_b2 = sigma_b2_max * np.linspace(0.0, 1.0, 61) ** 2  # dense near 0, where it bends most
    line_w2, line_q = theory.critical_line(activation, line_b2)
    if sigma_w2_max is None:
        finite = line_w2[np.isfinite(line_w2)]
        sigma_w2_max = max(4.0, 1.4 * float(finite.max())) if finite.size else 4.0
    sigma_w2 = np.linspace(0.0, sigma_w2_max, resolution + 1)[1:]
    sigma_b2 = np.linspace(0.0, sigma_b2_max, int(resolution * 0.75))
    W, B = np.meshgrid(sigma_w2, sigma_b2)
    chi = theory.chi_at_fixed_point(activation, W, B)
    return PhaseDiagram(
        activation=activation.spec,
        width=width,
        sigma_w2=sigma_w2,
        sigma_b2=sigma_b2,
        chi=chi,
        line_b2=line_b2,
        line_w2=line_w2,
        line_q=line_q,
        points=points,
    )


THEORY_INITS = D.THEORY_INITS


def phase_diagram(
    activation: str = D.THEORY_ACTIVATION,
    inits: str | Sequence[initializers.InitSpec] = D.THEORY_INITS,
    *,
    width: int = D.THEORY_WIDTH,
    sigma_w2_max: float | None = None,
    sigma_b2_max: float = D.SIGMA_B2_MAX,
) -> PhaseDiagram:
    """The order-to-chaos phase diagram of ``activation`` (mean-field theory): χ(q*) over the
    (σ_w², σ_b²) plane, the critical line χ(q*) = 1, and where each of ``inits`` puts a hidden
    layer of ``width`` units. Initializers must be variance-based (the error names them).

    >>> phase_diagram("tanh", "lecun_normal,he").table()   # doctest: +SKIP
    """
    activation_ = activations.get(activation)
    width = integer_at_least("width", width, 1)
    if sigma_w2_max is not None:
        sigma_w2_max = positive_number("sigma_w2_max", sigma_w2_max)
    sigma_b2_max = positive_number("sigma_b2_max", sigma_b2_max)
    return compute(activation_, initializers.get_list(inits), width, sigma_w2_max, sigma_b2_max)
