"""How the correlation of two inputs evolves through a deep random network: the c-map, and the
same measured on a network drawn at random.

Poole et al. 2016 and Schoenholz et al. 2017 ("Deep information propagation", eqs. 2–3): two
inputs whose pre-activations have second moment q* and correlation c have, one layer up,

    c_{l+1} = [σ_w² · E[φ(u_1) φ(u_2)] + σ_b²] / q*,
    u_1 = √q* z_1,   u_2 = √q* (c z_1 + √(1 − c²) z_2),   z_1, z_2 ~ N(0, 1) independent,

the c-map. c = 1 is always a fixed point; its slope there is χ_1 = σ_w² E[φ'(u)²], so it is
stable in the ordered phase (χ_1 < 1) and a second fixed point c* < 1 takes over in the chaotic
one (χ_1 > 1). The slope at c* is χ_c = σ_w² E[φ'(u_1) φ'(u_2)].

The two-dimensional expectations are nested one-dimensional ones,
E[f(u_1) g(u_2)] = E_{u_1}[f(u_1) · E_{z_2}[g(c·u_1 + √(q*(1 − c²)) z_2)]], each by
:func:`initlab.analysis.theory.gaussian_expectation`; ReLU has the arc-cosine kernel's closed
form (Cho & Saul 2009): E[φ(u_1)φ(u_2)] = q/(2π)·(√(1 − c²) + (π − arccos c)·c) and
E[φ'(u_1)φ'(u_2)] = (π − arccos c)/(2π).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from initlab.analysis.theory import gaussian_expectation
from initlab.nn.activations import Activation

Elementwise = Callable[[np.ndarray], np.ndarray]


def joint_expectation(f: Elementwise, g: Elementwise, q: float, c: float) -> float:
    """``E[f(u_1) g(u_2)]`` for a centred Gaussian pair of variance ``q`` and correlation ``c``."""
    spread = max(q * (1.0 - c * c), 0.0)

    def outer(h: np.ndarray) -> np.ndarray:
        inner = (
            gaussian_expectation(lambda t: g(c * h[..., None] + t), spread) if spread else g(c * h)
        )
        return f(h) * inner

    return float(gaussian_expectation(outer, q))


def _derivative(activation: Activation) -> Elementwise:
    return lambda z: activation.derivative(z, activation.forward(z))


def c_map(
    activation: Activation, c: float, q_star: float, sigma_w2: float, sigma_b2: float
) -> float:
    """One layer of the correlation map at the fixed point ``q_star`` (see the module docstring)."""
    if q_star <= 0:
        return 1.0 if sigma_b2 > 0 else c  # every input maps to the bias: a linear network at 0
    if activation.name == "relu":
        cov = (
            q_star / (2 * math.pi) * (math.sqrt(max(1 - c * c, 0.0)) + (math.pi - math.acos(c)) * c)
        )
    else:
        cov = joint_expectation(activation.forward, activation.forward, q_star, c)
    return min((sigma_w2 * cov + sigma_b2) / q_star, 1.0)


def chi_c(activation: Activation, c: float, q_star: float, sigma_w2: float) -> float:
    """The slope of the c-map at ``c``: ``σ_w² · E[φ'(u_1) φ'(u_2)]``."""
    if activation.name == "relu":
        return sigma_w2 * (math.pi - math.acos(min(max(c, -1.0), 1.0))) / (2 * math.pi)
    d = _derivative(activation)
    if q_star <= 0:
        return sigma_w2 * float(d(np.zeros(1))[0]) ** 2
    return sigma_w2 * joint_expectation(d, d, q_star, c)


def c_star(
    activation: Activation, q_star: float, sigma_w2: float, sigma_b2: float, chi_1: float
) -> float:
    """The stable fixed point of the c-map: 1 when ``chi_1 <= 1`` (ordered or critical), else the
    largest root below 1 of c-map(c) = c: a grid dense toward 1, then Brent's method."""
    if chi_1 <= 1.0 or q_star <= 0:
        return 1.0
    from scipy.optimize import brentq

    grid = np.concatenate([[0.0], 1.0 - np.logspace(0, -9, 37)[1:]])

    def gap(c: float) -> float:
        return c_map(activation, c, q_star, sigma_w2, sigma_b2) - c

    gaps = np.array([gap(float(c)) for c in grid])
    below = np.nonzero((gaps[:-1] >= 0) & (gaps[1:] < 0))[0]
    if not below.size:
        return 0.0 if gaps[0] <= 0 else 1.0
    lo, hi = float(grid[below[-1]]), float(grid[below[-1] + 1])
    return float(brentq(gap, lo, hi, xtol=1e-14)) if gaps[below[-1]] > 0 else lo


def predicted_correlations(
    activation: Activation, c0: float, depth: int, q_star: float, sigma_w2: float, sigma_b2: float
) -> np.ndarray:
    """``c_0, c_1, ..., c_depth``: the c-map iterated from ``c0`` at ``q_star``."""
    out = [float(c0)]
    for _ in range(depth):
        out.append(c_map(activation, out[-1], q_star, sigma_w2, sigma_b2))
    return np.array(out)


def measured_correlations(
    activation: Activation,
    c0: float,
    depth: int,
    width: int,
    q_star: float,
    sigma_w2: float,
    sigma_b2: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """The correlation ``h_a·h_b / (‖h_a‖ ‖h_b‖)`` of two pre-activation vectors of ``width``
    units, layer 0 drawn with second moment ``q_star`` and correlation exactly ``c0`` (made exact
    by Gram–Schmidt), then ``h_{l+1} = W_l φ(h_l) + b_l`` with W ~ N(0, σ_w²/width) and
    b ~ N(0, σ_b²), for ``depth`` layers: ``c_0, ..., c_depth``."""
    z = rng.standard_normal((width, 2))
    a = z[:, 0] / np.linalg.norm(z[:, 0])
    b = z[:, 1] - (z[:, 1] @ a) * a
    b /= np.linalg.norm(b)
    scale = math.sqrt(max(q_star, 1e-12) * width)
    h = np.stack([a, c0 * a + math.sqrt(1 - c0 * c0) * b], axis=1) * scale
    out = [_cosine(h)]
    for _ in range(depth):
        W = rng.standard_normal((width, width)) * math.sqrt(sigma_w2 / width)
        bias = rng.standard_normal((width, 1)) * math.sqrt(sigma_b2)
        h = W @ activation.forward(h) + bias
        out.append(_cosine(h))
    return np.array(out)


def _cosine(h: np.ndarray) -> float:
    norms = np.linalg.norm(h, axis=0)
    return float(h[:, 0] @ h[:, 1] / (norms[0] * norms[1])) if norms.all() else 1.0
