"""The full density of the squared singular values λ of a deep random network's input-output
Jacobian, by free probability (Pennington, Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in
deep learning through dynamical isometry: theory and practice", NeurIPS, §2.3–2.5; and 2018, "The
emergence of spectral universality in deep networks", AISTATS, §3).

Transforms of a spectral density ρ (the paper's conventions):

    G(z) = ∫ ρ(t)/(z − t) dt            Stieltjes (Green's) function
    M(z) = z G(z) − 1 = Σ_k m_k / z^k   moment generating function
    S(m) = (1 + m) / (m M⁻¹(m))         S-transform (M⁻¹ the functional inverse)
    ρ(λ) = −Im G(λ + iε)/π, ε → 0⁺

For ``J = D_L W_L ⋯ D_1 W_1`` the S-transforms of freely independent factors multiply:
``S_JJᵀ = ∏_l S_{WᵀW} S_{D²}``, with

- Gaussian (i.i.d.) weights of variance σ_w²/N: Marchenko–Pastur, ``S_{WᵀW}(m) = 1/(σ_w² (1 + m))``;
- orthogonal weights with gain σ_w: ``WᵀW = σ_w² I``, ``S_{WᵀW}(m) = 1/σ_w²``;
- ``D² = diag φ'(h)²``, h ~ N(0, q*): ``M_{D²}(x) = E[d/(x − d)]`` with d = φ'(√q* z)², so
  ``S_{D²}(m) = (1 + m)/(m x)`` where ``M_{D²}(x) = m``.

Writing z = χ_1^L ζ, y = x/μ_1 and e = d/μ_1 (mean 1; μ_1 = E d, χ_1 = σ_w² μ_1), the relation
``z = (1 + m)/(m S_JJᵀ(m))`` becomes, with the auxiliary unknown t:

    ζ m/(1 + m) = t^L,   so   m = t^L/(ζ − t^L)
    y = t/m  (Gaussian)   or   y = t (1 + m)/m  (orthogonal)
    E[e/(y − e)] = m                                  (*)

σ_w² and μ_1 drop out: the shape depends on the distribution of e only, the scale is χ_1^L. At
each ζ = λ/χ_1^L + iε the code solves (*) for t by Newton's method on the complex plane
(:func:`scipy.optimize.newton`), continued from large ζ (where t = 1, m = 1/ζ) down a descending
log grid at a small ε, halving a step whenever Newton fails or leaves the physical branch
(Im m < 0 for Im ζ > 0); each point is then polished on the real axis (ε = 0: no Lorentzian tails
in the moments), and ``G = (1 + m)/z``, ``ρ = −Im G/π``. Above the spectrum (m → 0) Newton works
on (*) as written; below it (m → −1) on the equivalent ``E[1/(y − e)] = (1 + m)/y``, which does not
cancel. The tests compare it with Marchenko–Pastur, the Fuss–Catalan moments of deep linear
networks and the moment formulas of :mod:`initlab.signal.jacobian`.

The distribution of e is represented by ``ATOMS`` equal-mass atoms at the midpoint quantiles of
h (its Kolmogorov distance to the true law is at most 1/ATOMS); ε = ``EPSILON``·min(1, sd)·λ
(sd the spectrum's relative standard deviation) smooths them during the continuation.
Exact zeros of φ' (ReLU) carry a point mass at λ = 0 (the free product's atom at zero is the
largest of its factors', and Marchenko–Pastur has none), reported as ``zero_mass`` beside the
continuous part. Orthogonal weights with a constant φ' (linear networks) give a point mass at
χ_1^L and no density: reported as ``point_mass`` with an empty grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from initlab.errors import InitlabError
from initlab.nn.activations import Activation

ATOMS = 2000  # quantile atoms of d = φ'(h)²
EPSILON = 1e-4  # Im ζ = EPSILON · min(1, sd) · Re ζ during the continuation
POINTS_PER_DECADE = 60
LINEAR_POINTS = 400
START = 1e8  # ζ where the continuation starts (at least; above any support here: t ≈ 1)


@dataclass(frozen=True)
class SpectralDensity:
    """ρ(λ) of the squared singular values on the log grid ``grid`` (ascending), the mass
    ``zero_mass`` at λ = 0, and, for a degenerate spectrum, the single value ``point_mass``
    (grid and density then empty). A density that vanishes at the grid's bottom is scaled by
    ``normalization`` to total mass 1 (its raw mass is off by the discretization's error, ~1e-3,
    more for very narrow spectra at small depth)."""

    grid: np.ndarray
    density: np.ndarray
    zero_mass: float
    point_mass: float | None = None
    normalization: float = 1.0

    def log10_density(self) -> np.ndarray:
        """The density of log10 λ: ρ(λ) λ ln 10."""
        return self.density * self.grid * math.log(10.0)

    def moment(self, k: int) -> float:
        """∫ λ^k ρ(λ) dλ over the grid (trapezoid in ln λ), plus the point masses."""
        if self.point_mass is not None:
            return self.point_mass**k
        extra = self.zero_mass if k == 0 else 0.0
        return float(np.trapezoid(self.grid ** (k + 1) * self.density, np.log(self.grid))) + extra

    def mean(self) -> float:
        """∫ λ ρ(λ) dλ."""
        return self.moment(1)

    def variance(self) -> float:
        """∫ (λ − mean)² ρ(λ) dλ (central: no cancellation for a narrow spectrum), the mass
        off the grid's bottom (and at 0) counted at λ = 0."""
        if self.point_mass is not None:
            return 0.0
        mean = self.mean()
        f = self.grid * (self.grid - mean) ** 2 * self.density
        return float(np.trapezoid(f, np.log(self.grid))) + (self.below() + self.zero_mass) * mean**2

    def mass(self) -> float:
        """The continuous part's mass on the grid (1 − zero_mass less what lies below it)."""
        return self.moment(0) - self.zero_mass if self.point_mass is None else 1.0

    def distance(self, values: np.ndarray) -> float:
        """Kolmogorov–Smirnov distance sup |F_measured − F| between the sample ``values`` and
        this law, over the samples on the grid (below it the law says only how much lies there)."""
        v = np.sort(np.asarray(values, dtype=float))
        n = len(v)
        if self.point_mass is not None:
            tol = 1e-9 * self.point_mass  # the samples' rounding
            return float(
                max(np.mean(v < self.point_mass - tol), np.mean(v > self.point_mass + tol))
            )
        F = self.cdf(v)
        gap = np.maximum(np.abs(F - np.arange(1, n + 1) / n), np.abs(F - np.arange(n) / n))
        on_grid = v >= self.grid[0]
        return float(gap[on_grid].max()) if on_grid.any() else 0.0

    def to_dict(self) -> dict[str, object]:
        """The grid and density (6 significant digits), the masses and, if degenerate, the
        point mass."""
        return {
            "grid": [float(f"{v:.6g}") for v in self.grid],
            "density": [float(f"{v:.6g}") for v in self.density],
            "zero_mass": self.zero_mass,
            "mass_below_grid": self.below(),
            "point_mass": self.point_mass,
            "normalization": self.normalization,
            "mean": self.mean(),
            "variance": self.variance(),
        }

    def below(self) -> float:
        """The continuous mass below the grid: what the grid misses of 1 when ρλ has not
        vanished at its bottom (Gaussian weights: ρ ~ λ^(−L/(L+1)) near 0, Fuss–Catalan), else 0
        (orthogonal weights: a gap above 0)."""
        if self.point_mass is not None:
            return 0.0
        f = self.grid * self.density
        if f[0] <= 1e-6 * f.max():
            return 0.0
        return max(1.0 - self.zero_mass - self.mass(), 0.0)

    def cdf(self, values: np.ndarray) -> np.ndarray:
        """P(λ ≤ v) at each of ``values``, as 1 − ∫_v^∞ ρ: mass below the grid (a divergent
        density at λ → 0, the atom at 0) counts as below every v on it."""
        v = np.asarray(values, dtype=float)
        if self.point_mass is not None:
            return (v >= self.point_mass).astype(float)
        f = self.grid * self.density
        u = np.log(self.grid)
        above = np.concatenate([np.cumsum((0.5 * (f[1:] + f[:-1]) * np.diff(u))[::-1])[::-1], [0]])
        return 1.0 - np.interp(np.log(np.clip(v, 1e-300, None)), u, above)


def derivative_atoms(activation: Activation, q_star: float) -> tuple[np.ndarray, np.ndarray]:
    """The law of d = φ'(√q* h)², h ~ N(0, 1), as ``(values, weights)``: ``ATOMS`` equal masses at
    the midpoint quantiles h_i = Φ⁻¹((i − ½)/n), equal values merged (tanh's ±h, ReLU's two)."""
    from scipy.special import ndtri

    h = math.sqrt(q_star) * ndtri((np.arange(ATOMS) + 0.5) / ATOMS)
    d = activation.derivative(h, activation.forward(h)) ** 2
    values, counts = np.unique(np.round(d, 13), return_counts=True)
    return values, counts / ATOMS


def _equation(e: np.ndarray, w: np.ndarray, depth: int, orthogonal: bool):
    """The residual of (*) and its derivative in t at ζ, in one of two equivalent forms:
    ``E[e/(y − e)] − m`` (``small=True``, for |m| < |1 + m|, above the spectrum) or
    ``E[1/(y − e)] − (1 + m)/y`` (below it, where m → −1 and the first form cancels)."""

    def parts(t: complex, zeta: complex) -> tuple[complex, complex, complex, complex]:
        """(1 + m, its t-derivative, y, dy/dt); y = tζ/p (orthogonal) or tζ/p − t (Gaussian),
        p = t^L, 1 + m = ζ/(ζ − p)."""
        p = t**depth
        one_m = zeta / (zeta - p)
        y = t * zeta / p - (0.0 if orthogonal else t)
        dy = zeta * (1 - depth) / p - (0.0 if orthogonal else 1.0)
        return one_m, one_m * one_m * depth * p / (t * zeta), y, dy

    def residual(t: complex, zeta: complex, small: bool) -> complex:
        one_m, _, y, _ = parts(t, zeta)
        if small:
            return complex((e / (y - e)) @ w) - t**depth / (zeta - t**depth)  # m
        return complex((1.0 / (y - e)) @ w) - one_m / y

    def slope(t: complex, zeta: complex, small: bool) -> complex:
        one_m, d_one_m, y, dy = parts(t, zeta)
        if small:
            return complex(-((e / (y - e) ** 2) @ w)) * dy - d_one_m
        return complex(-((1.0 / (y - e) ** 2) @ w)) * dy - (d_one_m * y - one_m * dy) / y**2

    return parts, residual, slope


def _solve(
    e: np.ndarray, w: np.ndarray, depth: int, orthogonal: bool, zetas: np.ndarray, eps: float
) -> np.ndarray:
    """1 + m(ζ) along the descending real grid ``zetas``: continued at Im ζ = eps·ζ, then each
    point polished on the real axis (where that Newton fails, the eps value is kept)."""
    from scipy.optimize import newton

    parts, residual, slope = _equation(e, w, depth, orthogonal)

    def step(t: complex, zeta: complex) -> complex | None:
        """Newton from t at ζ; None unless it converged to the physical branch nearby."""
        try:
            small = abs(parts(t, zeta)[0] - 1.0) < abs(parts(t, zeta)[0])
            t_new = complex(newton(residual, t, slope, args=(zeta, small), tol=1e-13, maxiter=60))
        except (RuntimeError, ZeroDivisionError, OverflowError, FloatingPointError):
            return None
        one_m = parts(t_new, zeta)[0]
        physical = np.isfinite(one_m) and one_m.imag <= 1e-9 * abs(one_m)
        return t_new if physical and abs(t_new - t) < 0.5 * abs(t) + 1e-12 else None

    def advance(t: complex, a: float, b: float, halvings: int = 30) -> complex:
        """t at ζ = b from t at ζ = a, halving the step (in log ζ) while Newton fails."""
        t_new = step(t, complex(b, eps * b))
        if t_new is not None:
            return t_new
        if halvings == 0:
            raise InitlabError(
                f"the free-probability density did not converge near λ/χ_1^L = {b:.3g}"
            )
        middle = math.sqrt(a * b)
        return advance(advance(t, a, middle, halvings - 1), middle, b, halvings - 1)

    out = np.empty(len(zetas), dtype=complex)
    t, previous = 1.0 + 0.0j, max(START, 10.0 * float(zetas[0]))
    with np.errstate(all="ignore"):
        for i, zeta in enumerate(zetas):
            t, previous = advance(t, previous, float(zeta)), float(zeta)
            polished = step(t, complex(zeta, 0.0))
            if polished is None:
                out[i] = parts(t, complex(zeta, eps * zeta))[0]
            else:
                out[i] = parts(polished, complex(zeta, 0.0))[0]
    return out


def relative_sd(e: np.ndarray, w: np.ndarray, depth: int, orthogonal: bool) -> float:
    """sd/mean of λ: √(L (E e² − 1 − s_1)), Pennington et al.'s variance (s_1 = −1 Gaussian,
    0 orthogonal)."""
    s_1 = 0.0 if orthogonal else -1.0
    return math.sqrt(max(depth * (float((e * e) @ w) - 1.0 - s_1), 0.0))


def _grid(lo: float, hi: float, sd: float) -> np.ndarray:
    """Descending ζ: a log grid from ``hi`` to ``lo`` and a linear one over the mean 1 ± 10 sd,
    where a narrow spectrum lies."""
    log = np.logspace(math.log10(lo), math.log10(hi), int(math.log10(hi / lo) * POINTS_PER_DECADE))
    linear = np.linspace(max(1.0 - 10.0 * sd, lo), min(1.0 + 10.0 * sd, hi), LINEAR_POINTS)
    return np.unique(np.concatenate([log, linear]))[::-1]


def spectral_density(
    activation: Activation,
    q_star: float,
    chi_1: float,
    depth: int,
    orthogonal: bool,
    below: float = 1e-8,
    above: float = 1e4,
) -> SpectralDensity:
    """The density of λ for ``depth`` layers of ``activation`` at q*, weights Gaussian or
    orthogonal with χ_1 = σ_w² μ_1 (module docstring), on a grid from ``below`` to ``above``
    times the mean χ_1^L."""
    d, w = derivative_atoms(activation, q_star)
    zero_mass = float(w[d == 0.0].sum())
    mu_1 = float(d @ w)
    scale = chi_1**depth
    if orthogonal and len(d) == 1:
        empty = np.zeros(0)
        return SpectralDensity(empty, empty, 0.0, point_mass=scale)
    e = d / mu_1  # exact zeros add nothing to E[e/(y − e)]: their mass is the atom at λ = 0
    sd = relative_sd(e, w, depth, orthogonal)
    zetas = _grid(below, above, sd)
    one_m = _solve(e, w, depth, orthogonal, zetas, EPSILON * min(1.0, sd))
    green = (one_m - zero_mass) / zetas  # the atom zero_mass/z off
    density = np.maximum(-green.imag / math.pi, 0.0)[::-1] / scale
    raw = SpectralDensity(zetas[::-1] * scale, density, zero_mass)
    if raw.below() > 0:  # the mass below the grid is real: leave the continuous part as it is
        return raw
    factor = (1.0 - zero_mass) / raw.mass()  # a gap above 0: what the grid holds is all of it
    return SpectralDensity(raw.grid, density * factor, zero_mass, normalization=factor)
