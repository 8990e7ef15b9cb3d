"""Depth scales of signal propagation: how many layers a random network remembers the size of its
input (ξ_q) and the correlation between two inputs (ξ_c).

Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, "Deep information propagation" (ICLR), §3–4.
At the fixed point q* of the q-map (:func:`initlab.analysis.theory.fixed_point`) and c* of the
c-map (:mod:`initlab.signal.correlation`), deviations shrink geometrically, |q_l − q*| ~ e^(−l/ξ_q)
and |c_l − c*| ~ e^(−l/ξ_c), with

    ξ_q = −1 / ln(χ_q),   χ_q = dq_map/dq at q* = χ_1 + σ_w² E[φ''(u) φ(u)]
    ξ_c = −1 / ln(χ_c),   χ_c = σ_w² E[φ'(u_1) φ'(u_2)] at c*
    χ_1 = σ_w² E[φ'(u)²]

with u ~ N(0, q*). χ_q is computed in Stein's form, σ_w² E[z φ(√q z) φ'(√q z)]/√q, which equals
the line above and needs no φ''. In the ordered phase c* = 1 and χ_c = χ_1 < 1; in the chaotic
phase c* < 1. On the critical line χ_1 = 1, c* = 1 and χ_c = 1: ξ_c is infinite — correlations
are remembered at any depth — and :class:`DepthScales` says so rather than printing a large
number. The networks are trainable to about 6·ξ_c layers (their Fig. 5).

>>> s = depth_scales("relu", 1.0, 0.1)
>>> round(s["chi_1"], 12), round(s["q_star"], 12)
(0.5, 0.2)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from initlab.analysis import theory
from initlab.checks import non_negative, positive_number
from initlab.nn import activations
from initlab.nn.activations import Activation
from initlab.signal.correlation import c_star, chi_c

CRITICAL_TOLERANCE = 1e-9  # |χ − 1| below this is the critical line: ξ = ∞


def depth_scale(slope: float) -> float:
    """``−1/ln(slope)``: ∞ at slope 1 (criticality), 0 at slope 0, NaN above 1 (no stable point)."""
    if abs(slope - 1.0) <= CRITICAL_TOLERANCE:
        return math.inf
    if slope <= 0:
        return 0.0
    if slope > 1:
        return math.nan
    return -1.0 / math.log(slope)


@dataclass(frozen=True)
class DepthScales(Mapping[str, Any]):
    """The fixed points, slopes and depth scales of one (activation, σ_w², σ_b²); also a mapping
    (``s["xi_c"]``). ``xi_c`` is ``math.inf`` on the critical line; :attr:`phase` and
    :meth:`describe` say so in words."""

    activation: str
    sigma_w2: float
    sigma_b2: float
    q_star: float
    c_star: float
    chi_1: float
    chi_q: float
    chi_c: float
    xi_q: float
    xi_c: float

    def __getitem__(self, key: str) -> Any:
        return asdict(self)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(asdict(self))

    def __len__(self) -> int:
        return len(asdict(self))

    @property
    def phase(self) -> str:
        """``"critical"`` (χ_1 = 1), ``"ordered"`` (χ_1 < 1), ``"chaotic"`` (χ_1 > 1), or
        ``"unbounded"`` when the q-map has no finite fixed point (ReLU with σ_w² > 2)."""
        if not math.isfinite(self.q_star):
            return "unbounded"
        if abs(self.chi_1 - 1) <= CRITICAL_TOLERANCE:
            return "critical"
        return "ordered" if self.chi_1 < 1 else "chaotic"

    def describe(self) -> str:
        """One line: the numbers, with ξ_c = ∞ spelled out on the critical line."""
        xi_c = (
            "∞ (critical: χ_c = 1, correlations never forget)"
            if math.isinf(self.xi_c)
            else (f"{self.xi_c:.4g}")
        )
        return (
            f"{self.activation} σ_w²={self.sigma_w2:g} σ_b²={self.sigma_b2:g}: {self.phase}, "
            f"q*={self.q_star:.4g}, c*={self.c_star:.4g}, χ_1={self.chi_1:.4g}, "
            f"χ_c={self.chi_c:.4g}, ξ_q={self.xi_q:.4g}, ξ_c={xi_c}"
        )


def q_slope(activation: Activation, q: float, sigma_w2: float) -> float:
    """``dq_map/dq`` at ``q`` = σ_w² E[z φ(√q z) φ'(√q z)] / √q (Stein's lemma; see the module
    docstring). At q → 0 the limit σ_w² φ'(0)²."""
    q = max(q, 1e-12)
    root = math.sqrt(q)

    def integrand(h: np.ndarray) -> np.ndarray:
        return (h / root) * activation.forward(h) * activation.derivative(h, activation.forward(h))

    return sigma_w2 * float(theory.gaussian_expectation(integrand, q)) / root


def compute(activation: Activation, sigma_w2: float, sigma_b2: float) -> DepthScales:
    """:class:`DepthScales` of an already resolved activation (no checks)."""
    q_star = float(theory.fixed_point(activation, sigma_w2, sigma_b2))
    if not math.isfinite(q_star):
        nan = math.nan
        return DepthScales(
            activation.spec, sigma_w2, sigma_b2, q_star, nan, nan, nan, nan, nan, nan
        )
    chi_1 = float(theory.chi(activation, max(q_star, 1e-12) if q_star > 0 else 0.0, sigma_w2))
    if q_star == 0:  # the limit q → 0: a linear network with slope φ'(0)
        chi_1 = float(chi_c(activation, 1.0, 0.0, sigma_w2))
    if abs(chi_1 - 1) <= CRITICAL_TOLERANCE:
        chi_1 = 1.0
    c = c_star(activation, q_star, sigma_w2, sigma_b2, chi_1)
    slope_c = chi_1 if c == 1.0 else chi_c(activation, c, q_star, sigma_w2)
    slope_q = q_slope(activation, q_star, sigma_w2)
    return DepthScales(
        activation.spec,
        sigma_w2,
        sigma_b2,
        q_star,
        c,
        chi_1,
        slope_q,
        slope_c,
        depth_scale(slope_q),
        depth_scale(slope_c),
    )


def depth_scales(
    activation: str | Activation, sigma_w2: float, sigma_b2: float = 0.0
) -> DepthScales:
    """q*, c*, χ_1, χ_q, χ_c, ξ_q and ξ_c of a deep network with hidden ``activation``, weights
    of variance σ_w²/fan_in and biases of variance σ_b² (see the module docstring for the
    formulas and their source). Works for every registered activation.

    >>> depth_scales("tanh", 1.0, 0.0)["xi_c"]
    inf
    """
    activation_ = activations.get(activation)
    sigma_w2 = positive_number("sigma_w2", sigma_w2)
    sigma_b2 = non_negative("sigma_b2", sigma_b2)
    return compute(activation_, sigma_w2, sigma_b2)


def critical_sigma_w2(activation: str | Activation, sigma_b2: float = 0.0) -> float:
    """The σ_w² of the critical line χ_1(q*) = 1 at ``sigma_b2``
    (:func:`initlab.analysis.theory.critical_line`)."""
    sw2, _ = theory.critical_line(activations.get(activation), [non_negative("sigma_b2", sigma_b2)])
    return float(sw2[0])
