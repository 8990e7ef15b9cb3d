"""Mean-field theory: quadrature, recursions, fixed point, critical line, σ's of initializers."""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial.hermite_e import hermegauss
from scipy import integrate

from initlab import initializers
from initlab.analysis import theory
from initlab.errors import InitlabError
from initlab.initializers import registry
from initlab.initializers.variance import Variance
from initlab.nn import activations
from initlab.registry import Registry

relu = activations.get("relu")
tanh = activations.get("tanh")


def square(activation):
    return lambda h: activation.forward(h) ** 2


def square_derivative(activation):
    return lambda h: activation.derivative(h, activation.forward(h)) ** 2


@functools.cache
def hermite_rule(n):
    return hermegauss(n)


def hermite(f, q, n=300):
    """E_z[f(√q z)] by numpy's Gauss–Hermite rule (probabilists' weight e^(−z²/2))."""
    x, w = hermite_rule(n)
    return float((w * f(math.sqrt(q) * x)).sum() / math.sqrt(2 * math.pi))


def adaptive(f, q):
    """E_z[f(√q z)] by scipy's adaptive quad in h = √q z, split where the integrand has features."""

    def density(h):
        return f(np.asarray(h)) * math.exp(-h * h / (2 * q)) / math.sqrt(2 * math.pi * q)

    edges = [0.0, 1.0, 5.0, 30.0, math.inf]
    return sum(
        integrate.quad(density, a, b, epsabs=1e-17, epsrel=1e-11, limit=400)[0]
        + integrate.quad(density, -b, -a, epsabs=1e-17, epsrel=1e-11, limit=400)[0]
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    )


# -- quadrature ---------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [1e-8, 1e-3, 0.5, 1.0, 7.0, 1e3, 1e8])
def test_quadrature_matches_the_relu_closed_form(q):
    """The generic quadrature of φ² and φ'² for ReLU equals q/2 and 1/2 to 1e-10 (relative)."""
    assert theory.gaussian_expectation(square(relu), q) == pytest.approx(q / 2, rel=1e-10)
    assert theory.gaussian_expectation(square_derivative(relu), q) == pytest.approx(0.5, rel=1e-10)
    # and the closed form is what the theory uses for relu
    assert theory.mean_square(relu, q) == q / 2
    assert theory.mean_square_derivative(relu, q) == 0.5


@settings(max_examples=30, deadline=None)
@given(q=st.floats(1e-3, 1e3), k=st.integers(1, 4))
def test_quadrature_gives_gaussian_moments(q, k):
    """E[(√q z)^(2k)] = q^k (2k − 1)!!"""
    double_factorial = math.prod(range(1, 2 * k, 2))
    got = float(theory.gaussian_expectation(lambda h: h ** (2 * k), q))
    assert got == pytest.approx(q**k * double_factorial, rel=1e-12)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "gelu", "softplus"])
@pytest.mark.parametrize("q", [0.05, 0.7, 2.0])
def test_quadrature_matches_gauss_hermite_for_smooth_activations(name, q):
    """Where Gauss–Hermite is exact to rounding (smooth integrand, q of order 1), both agree."""
    a = activations.get(name)
    for f in (square(a), square_derivative(a)):
        assert float(theory.gaussian_expectation(f, q)) == pytest.approx(hermite(f, q), rel=1e-10)


@pytest.mark.parametrize(
    "name, q",
    [
        ("elu", 1.0),
        ("selu", 3.0),
        ("tanh", 100.0),
        ("tanh", 6400.0),
        ("sigmoid", 1e4),
        ("leaky_relu", 2.0),
    ],
)
def test_quadrature_handles_kinks_and_large_q(name, q):
    """Kinked activations and the narrow transition of a saturating one at large q: within 1e-8
    of scipy's adaptive quad (a global Gauss–Hermite rule is off by percents here)."""
    a = activations.get(name)
    for f in (square(a), square_derivative(a)):
        assert float(theory.gaussian_expectation(f, q)) == pytest.approx(adaptive(f, q), rel=1e-8)


# -- recursions --------------------------------------------------------------------------------


def test_relu_he_keeps_q_and_lecun_halves_it():
    hidden = [relu] * 12
    q_in = 0.8
    he = theory.predicted_q(hidden, [2.0] * 13, [0.0] * 13, q_in)
    np.testing.assert_allclose(he, 2.0 * q_in, rtol=1e-15)
    lecun = theory.predicted_q(hidden, [1.0] * 13, [0.0] * 13, q_in)
    np.testing.assert_allclose(lecun[1:] / lecun[:-1], 0.5, rtol=1e-15)
    assert lecun[0] == q_in
    np.testing.assert_allclose(theory.predicted_chi(hidden, [2.0] * 13, he), 1.0)
    np.testing.assert_allclose(theory.predicted_chi(hidden, [1.0] * 13, lecun), 0.5)


def test_recursion_with_bias_and_per_sample_inputs():
    """One step by hand: q1 = σ_w²·q_in + σ_b², q2 = σ_w²·E[tanh²(√q1 z)] + σ_b² per sample."""
    q_in = np.array([0.2, 1.5])
    q = theory.predicted_q([tanh], [1.5, 2.5], [0.1, 0.3], q_in)
    q1 = 1.5 * q_in + 0.1
    np.testing.assert_allclose(q[0], q1)
    expected = [2.5 * hermite(square(tanh), v) + 0.3 for v in q1]
    np.testing.assert_allclose(q[1], expected, rtol=1e-12)


def test_gradient_norms_multiply_by_chi_from_the_top():
    chis = np.array([4.0, 0.25, 9.0])
    np.testing.assert_allclose(theory.gradient_norms(chis, 2.0), [2 * 3.0, 2 * 0.5 * 3, 2 * 3, 2])
    # per sample: squares summed over samples
    chis = np.array([[4.0, 1.0]])
    np.testing.assert_allclose(
        theory.gradient_norms(chis, [1.0, 3.0]), [math.sqrt(4 + 9), math.sqrt(10)]
    )


# -- fixed point and critical line -----------------------------------------------------------


@pytest.mark.parametrize("sw2, sb2", [(2.0, 0.1), (1.5, 0.0), (3.5, 0.3), (0.8, 0.05)])
def test_fixed_point_is_where_iterating_the_map_ends(sw2, sb2):
    q = 1.0
    for _ in range(5000):
        q = float(theory.q_map(tanh, q, sw2, sb2))
    assert float(theory.fixed_point(tanh, sw2, sb2)) == pytest.approx(q, rel=1e-6, abs=1e-9)


def test_fixed_point_of_relu_in_closed_form():
    assert float(theory.fixed_point(relu, 1.0, 0.3)) == pytest.approx(0.3 / (1 - 0.5))
    assert float(theory.fixed_point(relu, 2.5, 0.3)) == math.inf
    assert float(theory.fixed_point(tanh, 1.0, 0.0)) == 0.0  # tanh at (1, 0) decays to 0


def test_tanh_critical_line_passes_through_one_zero():
    sigma_w2, q = theory.critical_line(tanh, [0.0])
    assert sigma_w2[0] == pytest.approx(1.0, abs=1e-9)
    assert float(theory.chi_at_fixed_point(tanh, 1.0, 0.0)) == pytest.approx(1.0, abs=1e-9)


def test_points_of_the_tanh_critical_line_have_chi_one():
    """Independently: iterate the q map at the line's (σ_w², σ_b²) to its fixed point and compute χ
    there by Gauss–Hermite."""
    sigma_b2 = np.array([0.02, 0.1, 0.3])
    sigma_w2, _ = theory.critical_line(tanh, sigma_b2)
    assert np.all(np.diff(sigma_w2) > 0) and np.all(sigma_w2 > 1)
    for sw2, sb2 in zip(sigma_w2, sigma_b2, strict=True):
        q = 1.0
        for _ in range(5000):
            q = sw2 * hermite(square(tanh), q) + sb2
        assert sw2 * hermite(square_derivative(tanh), q) == pytest.approx(1.0, abs=1e-6)


def test_relu_critical_line_is_sigma_w2_two():
    sigma_w2, _ = theory.critical_line(relu, [0.0, 0.2])
    np.testing.assert_allclose(sigma_w2, 2.0)


def test_chi_separates_ordered_from_chaotic():
    chi = theory.chi_at_fixed_point(tanh, np.array([0.5, 4.0]), np.array([0.1, 0.1]))
    assert chi[0] < 1 < chi[1]


# -- σ_w², σ_b² of initializers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, sizes, expected",
    [
        ("he", (3, 40, 7), [2.0, 2.0]),
        ("lecun_normal", (3, 40, 7), [1.0, 1.0]),
        ("glorot_normal", (40, 10, 10), [2 * 40 / 50, 1.0]),
        ("random:scale=10", (2, 64, 1), [200.0, 6400.0]),
        ("variance_scaling:scale=3,mode=fan_out", (20, 10, 5), [3 * 20 / 10, 3 * 10 / 5]),
        ("he_uniform:mode=fan_in,nonlinearity=tanh", (30, 30), [(5 / 3) ** 2]),
    ],
)
def test_weight_variances_by_formula(spec, sizes, expected):
    sigma_w2, sigma_b2 = theory.weight_variances(initializers.get(spec), sizes)
    np.testing.assert_allclose(sigma_w2, expected, rtol=1e-12)
    np.testing.assert_array_equal(sigma_b2, 0.0)


ZERO_MEAN = {"uniform": "uniform:low=-0.5,high=0.5", "normal": "normal:std=0.3"}


@pytest.mark.parametrize("name", theory.supported())
def test_weight_variances_match_the_drawn_weights(name):
    """σ_w² = fan_in·Var(W) and σ_b² = Var(b) against a large draw of each supported initializer
    (with zero-mean parameters where the defaults are not, as uniform's U[0, 1))."""
    ini = initializers.get(ZERO_MEAN.get(name, name))
    fan_in, fan_out = 300, 200
    rng = np.random.default_rng(7)
    sigma_w2, sigma_b2 = theory.weight_variances(ini, (fan_in, fan_out))
    W = ini((fan_out, fan_in), rng)
    assert fan_in * np.mean(W**2) == pytest.approx(sigma_w2[0], rel=0.02, abs=1e-12)
    if ini.bias is not None:
        b = ini.bias((20000,), fan_in, rng)
        assert np.var(b) == pytest.approx(sigma_b2[0], rel=0.03)


@pytest.mark.parametrize("spec", ["orthogonal", "identity", "sparse", "lsuv", "ones"])
def test_theory_refuses_initializers_that_are_not_iid_zero_mean(spec):
    with pytest.raises(InitlabError, match="Supported: .*he.*lecun_normal"):
        theory.weight_variances(initializers.get(spec), (4, 4))


@pytest.mark.parametrize("spec", ["normal:mean=1", "uniform:low=0,high=1", "constant:value=2"])
def test_theory_refuses_non_zero_mean(spec):
    with pytest.raises(InitlabError, match="zero-mean"):
        theory.weight_variances(initializers.get(spec), (4, 4))


def test_a_new_variance_based_initializer_is_covered_without_editing_the_theory(monkeypatch):
    """Registering an initializer with a variance rule is all the theory needs. A fresh registry
    (the built-in entries plus the new one) is swapped in for the test, so the real one, and the
    docs generated from it, never see the throwaway name."""
    fresh = Registry("initializer", lambda entry: entry.factory)
    for entry in registry.REGISTRY.values():
        fresh.add(entry.name, entry, entry.aliases)
    monkeypatch.setattr(registry, "REGISTRY", fresh)

    @registry.register(
        "throwaway_quarter",
        formula="W ~ N(0, scale/(4·fan_in)); b ~ N(0, 0.01)",
        bias=lambda scale: lambda shape, fan_in, rng: 0.1 * rng.standard_normal(shape),
        variance=Variance(
            weight=lambda p, fan_in, fan_out: p["scale"] / (4 * fan_in),
            bias=lambda p, fan_in: 0.01,
        ),
    )
    def throwaway_quarter(scale: float = 1.0):
        return lambda shape, rng: rng.standard_normal(shape) * math.sqrt(scale / (4 * shape[1]))

    assert "throwaway_quarter" in theory.supported()
    sigma_w2, sigma_b2 = theory.weight_variances(
        initializers.get("throwaway_quarter:scale=8"), (30, 50, 5)
    )
    np.testing.assert_allclose(sigma_w2, [2.0, 2.0])
    np.testing.assert_allclose(sigma_b2, [0.01, 0.01])


def test_the_throwaway_initializer_is_gone_after_its_test():
    assert "throwaway_quarter" not in initializers.names()
    assert "throwaway_quarter" not in theory.supported()
