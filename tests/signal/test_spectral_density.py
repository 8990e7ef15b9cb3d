"""The free-probability density of the Jacobian's squared singular values against closed forms
(Marchenko–Pastur, the Fuss–Catalan moments of products of Gaussian matrices, an orthogonal linear
network's point mass), against Pennington et al.'s mean and variance formulas (a separate code
path: Gaussian expectations of φ'), and against measured spectra."""

import math
from math import comb

import numpy as np
import pytest

from initlab.nn import activations
from initlab.signal.depth_scales import critical_sigma_w2
from initlab.signal.jacobian import jacobian_spectrum
from initlab.signal.spectral_density import spectral_density

LINEAR = activations.get("linear")
B2 = 1e-4  # tanh's critical line near q* → 0, as in the isometry study


def test_one_gaussian_layer_is_marchenko_pastur():
    d = spectral_density(LINEAR, 1.0, 1.0, 1, orthogonal=False)
    lam = np.array([0.05, 0.5, 1.0, 2.0, 3.5])
    closed = np.sqrt(4 * lam - lam**2) / (2 * math.pi * lam)  # ratio 1, unit variance
    np.testing.assert_allclose(np.interp(lam, d.grid, d.density), closed, rtol=2e-3)
    assert np.interp(4.5, d.grid, d.density) == pytest.approx(0.0, abs=1e-9)  # beyond the edge 4


@pytest.mark.parametrize("depth", [2, 3])
def test_deep_linear_gaussian_network_has_fuss_catalan_moments(depth):
    d = spectral_density(LINEAR, 1.0, 1.0, depth, orthogonal=False, below=1e-14)
    assert d.moment(0) == pytest.approx(1.0, abs=1e-3)  # integrates to 1
    for k in range(1, 5):
        fuss_catalan = comb((depth + 1) * k, k) / (depth * k + 1)
        assert d.moment(k) == pytest.approx(fuss_catalan, rel=2e-3), k


def test_the_scale_is_chi_to_the_depth():
    sw2, depth = 1.7, 3  # linear: χ_1 = σ_w², so λ scales by σ_w^(2L) and m_k by σ_w^(2Lk)
    d = spectral_density(LINEAR, 1.0, sw2, depth, orthogonal=False, below=1e-14)
    assert d.moment(2) == pytest.approx(comb(8, 2) / 7 * sw2 ** (2 * depth), rel=2e-3)


def test_orthogonal_linear_network_is_a_point_mass_at_the_gain_to_the_depth():
    s = jacobian_spectrum(f"orthogonal:gain={1.2!r}", 5, 16, "linear", inputs=1, density=True)
    d = s.density
    assert d is not None and d.point_mass == pytest.approx(1.2**10)
    assert len(d.grid) == 0 and d.variance() == 0.0
    np.testing.assert_allclose(s.eigenvalues, d.point_mass, rtol=1e-10)
    np.testing.assert_array_equal(d.cdf(np.array([0.99, 1.01]) * d.point_mass), [0.0, 1.0])
    assert d.distance(s.eigenvalues) == 0.0 and d.distance(s.eigenvalues * 1.01) == 1.0


def gaussian(sw2):
    return f"variance_scaling:scale={sw2!r},mode=fan_in,distribution=normal"


def orthogonal(sw2):
    return f"orthogonal:gain={math.sqrt(sw2)!r}"


def kolmogorov_smirnov(eigenvalues, density):
    """sup |F_measured − F_theory| over the measured values on the density's grid (below it the
    theory only says how much mass lies there)."""
    v = np.sort(eigenvalues)
    n = len(v)
    gap = np.maximum(
        np.abs(density.cdf(v) - np.arange(1, n + 1) / n), np.abs(density.cdf(v) - np.arange(n) / n)
    )
    return float(gap[v >= density.grid[0]].max())


@pytest.mark.parametrize(
    "init, activation, depth, inputs",
    [
        (gaussian, "tanh", 8, 4),
        (orthogonal, "tanh", 32, 2),
        (gaussian, "relu", 8, 4),
    ],
)
def test_density_matches_the_moment_formulas_and_a_measured_spectrum(
    init, activation, depth, inputs
):
    sw2 = critical_sigma_w2(activation, B2 if activation == "tanh" else 0.0)
    b2 = B2 if activation == "tanh" else 0.0
    s = jacobian_spectrum(
        init(sw2), depth, 256, activation, b2, seed=1, inputs=inputs, density=True
    )
    d = s.density
    assert d is not None
    assert d.mean() == pytest.approx(s.theory.mean, rel=0.01)
    assert d.variance() == pytest.approx(s.theory.variance, rel=0.02)
    # n = 256·inputs ≥ 512 pooled eigenvalues: for i.i.d. samples the 1 % critical value of the KS
    # distance is 1.63/√n ≤ 0.072; eigenvalues of one matrix repel, so they scatter less than that
    assert kolmogorov_smirnov(s.eigenvalues, d) < 0.07
    assert d.distance(s.eigenvalues) == pytest.approx(kolmogorov_smirnov(s.eigenvalues, d))
    if activation == "relu":
        assert d.zero_mass == 0.5  # φ' = 0 on half the units: the free product's atom at 0
        assert np.mean(s.eigenvalues < 1e-10 * s.theory.mean) == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize("name", list(activations.REGISTRY))
def test_every_activation_has_a_density_with_the_formulas_mean_and_variance(name):
    from initlab.signal.jacobian import input_fixed_point, spectrum_theory

    act = activations.get(name)
    orthogonal = list(activations.REGISTRY).index(name) % 2 == 0  # both kinds, half the time
    q_star = input_fixed_point(act, 1.5, 0.05)
    theory = spectrum_theory(act, q_star, 1.5, 0.0 if orthogonal else -1.0, 6)
    d = spectral_density(act, q_star, theory.chi_1, 6, orthogonal)
    assert d.mean() == pytest.approx(theory.mean, rel=0.005)
    assert d.variance() == pytest.approx(theory.variance, rel=0.01, abs=1e-12 * theory.mean**2)
