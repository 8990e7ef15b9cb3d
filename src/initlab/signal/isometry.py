"""The dynamical-isometry study: Jacobian spectra of Gaussian and orthogonal networks, tanh beside
ReLU, at the critical σ_w² and off it, over several depths (Pennington, Schoenholz & Ganguli 2017,
their Figs. 1–2), each with the free-probability mean and variance
(:mod:`initlab.signal.jacobian`) and the full density (:mod:`initlab.signal.spectral_density`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from initlab._version import __version__
from initlab.analysis.json_numbers import json_number
from initlab.checks import integer_at_least, non_negative, positive_number
from initlab.errors import InitlabError
from initlab.experiments.result import Result, now
from initlab.nn import activations
from initlab.report.document import FigureSection, Report
from initlab.runs import defaults as D
from initlab.signal.depth_scales import critical_sigma_w2
from initlab.signal.jacobian import JacobianSpectrum, initializer_for, spectrum
from initlab.signal.spectral_density import spectral_density
from initlab.viz import isometry as figures

WEIGHTS = {
    "gaussian": lambda sw2: f"variance_scaling:scale={sw2!r},mode=fan_in,distribution=normal",
    "orthogonal": lambda sw2: f"orthogonal:gain={math.sqrt(sw2)!r}",
}


def _curve(s: JacobianSpectrum) -> tuple[tuple[np.ndarray, np.ndarray] | None, float | None]:
    """The theory's (λ grid, P(λ' ≤ λ) on it) and point mass, for the figure."""
    if s.density is None:
        return None, None
    if s.density.point_mass is not None:
        return None, s.density.point_mass
    return (s.density.grid, s.density.cdf(s.density.grid)), None


@dataclass(kw_only=True, repr=False)
class Isometry(Result):
    """Every spectrum of the study; ``spectra[i]`` was drawn with ``rows[i]`` (activation ·
    weights) and ``labels[i]`` (critical or off-critical)."""

    activation: str
    depths: tuple[int, ...]
    width: int
    sigma_b2: float
    off_critical: float
    seed: int
    inputs: int
    rows: list[str]
    labels: list[str]
    spectra: list[JacobianSpectrum]
    created: str = field(default_factory=now)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "network": self.rows,
                "σ_w²": [
                    f"{s.sigma_w2:.4g} ({k})"
                    for s, k in zip(self.spectra, self.labels, strict=True)
                ],
                "L": [s.depth for s in self.spectra],
                "mean λ": [s.mean for s in self.spectra],
                "χ_1^L": [s.theory.mean for s in self.spectra],
                "var λ": [s.variance for s in self.spectra],
                "theory var": [s.theory.variance for s in self.spectra],
                "KS to density": [
                    s.density.distance(s.eigenvalues) if s.density else None for s in self.spectra
                ],
            }
        )

    def figure(self):
        panels = [
            figures.Panel(
                row,
                s.depth,
                label,
                f"{label}, σ_w² = {s.sigma_w2:.3g}",
                s.eigenvalues,
                s.theory.mean,
                math.sqrt(max(s.theory.variance, 0.0)),
                *_curve(s),
            )
            for row, label, s in zip(self.rows, self.labels, self.spectra, strict=True)
        ]
        title = (
            f"Jacobian spectra, width {self.width}, σ_b² = {self.sigma_b2:g}, "
            f"{self.inputs} networks × 1 input on q* each"
        )
        return figures.spectra(panels, title)

    def to_dict(self) -> dict[str, Any]:
        spectra = []
        for row, label, s in zip(self.rows, self.labels, self.spectra, strict=True):
            item = s.to_dict()
            item["network"], item["regime"] = row, label
            for part in ("measured", "theory"):
                item[part] = {k: json_number(v) for k, v in item[part].items()}  # type: ignore[attr-defined]
            spectra.append(item)
        return {
            "initlab_version": __version__,
            "created": self.created,
            "study": "isometry",
            "activation": self.activation,
            "depths": list(self.depths),
            "width": self.width,
            "sigma_b2": self.sigma_b2,
            "off_critical": self.off_critical,
            "seed": self.seed,
            "inputs": self.inputs,
            "spectra": spectra,
        }

    def report(self) -> Report:
        return Report(
            title="Dynamical isometry: Jacobian spectra",
            lead=(
                "Squared singular values λ of the input-output Jacobian of deep random networks, "
                "each input on the fixed point q*. At the critical σ_w² the mean is χ_1^L = 1 at "
                "every depth; the spread grows linearly with depth for Gaussian weights, and for "
                "orthogonal ones only through μ_2/μ_1² − 1, small for tanh near q* = 0 and 1 for "
                "ReLU (Pennington, Schoenholz & Ganguli 2017). Their full free-probability density "
                "is drawn over each histogram; 'KS to density' is the Kolmogorov–Smirnov distance "
                "between the two."
            ),
            table=self.table(),
            sections=[
                FigureSection(
                    "isometry",
                    "Spectra by depth",
                    "Filled: critical; outline: off-critical. Solid curve: the free-probability "
                    "density of λ (its mass at λ = 0, ReLU's dead units, lies off the log axis); "
                    "dashed: the predicted mean χ_1^L; dotted: mean plus one predicted standard "
                    "deviation.",
                    self.figure(),
                )
            ],
            settings={"initlab": __version__, "seed": str(self.seed), "created": self.created},
        )

    def heading(self) -> str:
        depths = ", ".join(map(str, self.depths))
        return f"Jacobian spectra of {self.activation} and relu, width {self.width}, L = {depths}"

    def outcomes(self) -> list[tuple[str, str]]:
        return [
            (
                f"{row} L={s.depth} ({label})",
                f"mean {s.mean:.3g} (χ^L {s.theory.mean:.3g}), "
                f"var {s.variance:.3g} (theory {s.theory.variance:.3g})",
            )
            for row, label, s in zip(self.rows, self.labels, self.spectra, strict=True)
        ]


def isometry(
    activation: str = D.ISOMETRY_ACTIVATION,
    depths: Sequence[int] = D.ISOMETRY_DEPTHS,
    *,
    width: int = D.ISOMETRY_WIDTH,
    sigma_b2: float = D.ISOMETRY_SIGMA_B2,
    off_critical: float = D.ISOMETRY_OFF_CRITICAL,
    inputs: int = D.ISOMETRY_INPUTS,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Isometry:
    """Spectra of ``activation`` (and ReLU beside it) with Gaussian and orthogonal weights at the
    critical σ_w² for ``sigma_b2`` and at ``off_critical`` × that, at every depth of ``depths``.
    ``progress(n)`` is called after each of the spectra."""
    activation_ = activations.get(activation)
    depths = tuple(integer_at_least("depths", d, 1) for d in depths)
    if not depths:
        raise InitlabError("give at least one depth, e.g. --depths 8,32,128")
    width = integer_at_least("width", width, 2)
    sigma_b2 = non_negative("sigma_b2", sigma_b2)
    off_critical = positive_number("off_critical", off_critical)
    inputs = integer_at_least("inputs", inputs, 1)
    seed = integer_at_least("seed", seed, 0)
    names = list(dict.fromkeys([activation_.spec, "relu"]))
    rows, labels, spectra = [], [], []
    for name in names:
        act = activations.get(name)
        critical = critical_sigma_w2(act, sigma_b2)
        for weights, spec_of in WEIGHTS.items():
            for label, sw2 in (("critical", critical), ("off-critical", off_critical * critical)):
                initializer = initializer_for(spec_of(sw2))
                for depth in depths:
                    spectra.append(spectrum(initializer, act, depth, width, sigma_b2, seed, inputs))
                    rows.append(f"{name} · {weights}")
                    labels.append(label)
                    if progress is not None:
                        progress(len(spectra))
    return Isometry(
        activation=activation_.spec,
        depths=depths,
        width=width,
        sigma_b2=sigma_b2,
        off_critical=off_critical,
        seed=seed,
        inputs=inputs,
        rows=rows,
        labels=labels,
        spectra=with_densities(spectra, rows),
    )


def with_densities(spectra: list[JacobianSpectrum], rows: list[str]) -> list[JacobianSpectrum]:
    """Each spectrum with its free-probability density, on a grid spanning its figure panel
    (the spectra of one row and depth): 7 decades below the smallest predicted mean to 4 above
    the largest."""
    out = []
    for s, row in zip(spectra, rows, strict=True):
        means = [
            t.theory.mean
            for t, r in zip(spectra, rows, strict=True)
            if (r, t.depth) == (row, s.depth)
        ]
        lo, hi = min(means) * 1e-7, max(means) * 1e4
        orthogonal = s.theory.s_1 == 0.0
        act = activations.get(s.activation)
        density = spectral_density(
            act,
            s.q_star,
            s.theory.chi_1,
            s.depth,
            orthogonal,
            lo / s.theory.mean,
            hi / s.theory.mean,
        )
        out.append(replace(s, density=density))
    return out
