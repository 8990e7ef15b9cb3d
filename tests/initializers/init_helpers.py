"""Shared test helpers: a deterministic stand-in rng, large draws, and sample-moment bounds."""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import integrate


class OnesRng:
    """An rng whose normal draws are all 1 and uniform draws all ``high``: the initializer then
    returns its σ (normal) or its bound (uniform) in every entry, to compare with hand values."""

    def standard_normal(self, size):
        return np.ones(size)

    def uniform(self, low, high, size):
        return np.full(size, float(high))


def make_rng(kind: str, seed: int):
    return np.random.default_rng(seed) if kind == "generator" else np.random.RandomState(seed)


def draws(init, shape, rng, n_min: int = 20_000) -> np.ndarray:
    """Enough independent weights of ``shape`` to hold at least ``n_min`` values, flattened."""
    reps = -(-n_min // (shape[0] * shape[1]))
    return np.concatenate([np.ravel(init(shape, rng)) for _ in range(reps)])


@functools.lru_cache
def truncated_moments(a: float, b: float) -> tuple[float, float, float]:
    """Mean, variance and central 4th moment of N(0, 1) conditioned on [a, b], by quadrature
    (independent of the samplers and of the 0.8796 constant)."""
    # the density relative to its largest value on [a, b], so far tails keep their precision
    x0 = min(max(0.0, a), b)

    def moment(k: int) -> float:
        f = lambda x: x**k * math.exp(-(x * x - x0 * x0) / 2)  # noqa: E731
        return integrate.quad(f, a, b, epsabs=1e-12, epsrel=1e-12, limit=200)[0]

    mass = moment(0)
    raw = [moment(k) / mass for k in range(5)]
    mean = raw[1]
    var = raw[2] - mean**2
    mu4 = raw[4] - 4 * mean * raw[3] + 6 * mean**2 * raw[2] - 3 * mean**4
    return mean, var, mu4


def assert_moments(x: np.ndarray, mean: float, var: float, mu4: float) -> None:
    """Sample mean and variance within 5 standard errors of ``mean`` and ``var``.

    The sample mean has variance var/n; the sample variance (about the sample mean) has variance
    (μ4 − var²)/n to first order, plus a bias of −var/n, allowed for.
    """
    n = x.size
    assert abs(x.mean() - mean) <= 5 * math.sqrt(var / n), (x.mean(), mean)
    assert abs(x.var() - var) <= 5 * math.sqrt(max(mu4 - var**2, 0.0) / n) + var / n, (x.var(), var)


def assert_distribution(x: np.ndarray, distribution: str, std: float) -> None:
    """``x`` drawn with mean 0 and std ``std`` from ``distribution``:

    - normal: N(0, std²), μ4 = 3 std⁴;
    - uniform: U(−√3·std, √3·std), all inside, the largest |x| near the bound, μ4 = L⁴/5;
    - truncated: N(0, c²) cut at ±2c with c chosen (c = std / 0.8796...) so the variance is std²;
      here c is computed from the quadrature variance, all values must lie inside ±2c.
    """
    n = x.size
    if distribution == "normal":
        assert_moments(x, 0.0, std**2, 3 * std**4)
    elif distribution == "uniform":
        bound = math.sqrt(3.0) * std
        assert np.all(np.abs(x) <= bound)
        # P(max |x| < bound·(1 − 40/n)) = (1 − 40/n)^n ≈ e^-40
        assert np.abs(x).max() >= bound * (1 - 40 / n)
        assert_moments(x, 0.0, bound**2 / 3, bound**4 / 5)
    elif distribution == "truncated":
        _, var2, mu4 = truncated_moments(-2.0, 2.0)
        c = std / math.sqrt(var2)
        assert np.all(np.abs(x) <= 2 * c * (1 + 1e-12))
        # density near the cut ≈ 0.057/c per side: P(max |x| < 2c(1 − 400/n)) ≈ e^-45
        assert np.abs(x).max() >= 2 * c * (1 - 400 / n)
        assert_moments(x, 0.0, c**2 * var2, c**4 * mu4)
    else:
        raise AssertionError(distribution)
