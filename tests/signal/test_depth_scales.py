"""Depth scales against independent numbers: the published tanh critical point, ReLU's closed
forms, scipy's adaptive quadrature of the q-map, a Gauss–Hermite c-map, and a random network."""

import math

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermegauss
from scipy.integrate import quad

from initlab.nn import activations
from initlab.signal.correlation import measured_correlations, predicted_correlations
from initlab.signal.depth_scales import critical_sigma_w2, depth_scales


def test_tanh_critical_line_passes_the_published_point_and_xi_c_diverges_only_there():
    # Schoenholz et al. 2017: at σ_b² = 0.05 the tanh critical line is at σ_w² ≈ 1.76
    critical = critical_sigma_w2("tanh", 0.05)
    assert critical == pytest.approx(1.761, abs=1e-3)
    at = depth_scales("tanh", critical, 0.05)
    assert at.phase == "critical" and math.isinf(at["xi_c"]) and "∞" in at.describe()
    for sw2 in (1.5, 1.7, 1.85, 2.5):
        off = depth_scales("tanh", sw2, 0.05)
        assert math.isfinite(off["xi_c"]) and off["xi_c"] > 0
    # and ξ_c grows toward the line from both sides
    xs = [depth_scales("tanh", s, 0.05)["xi_c"] for s in (1.5, 1.7, 1.75)]
    assert xs[0] < xs[1] < xs[2]
    ys = [depth_scales("tanh", s, 0.05)["xi_c"] for s in (2.5, 1.9, 1.78)]
    assert ys[0] < ys[1] < ys[2]


@pytest.mark.parametrize("sigma_w2, sigma_b2", [(0.5, 0.1), (1.0, 0.05), (1.9, 0.2)])
def test_relu_closed_forms(sigma_w2, sigma_b2):
    s = depth_scales("relu", sigma_w2, sigma_b2)
    assert s["q_star"] == pytest.approx(sigma_b2 / (1 - sigma_w2 / 2), rel=1e-12)
    assert s["chi_1"] == pytest.approx(sigma_w2 / 2, rel=1e-12)
    assert s["c_star"] == 1.0
    assert s["xi_c"] == pytest.approx(-1 / math.log(sigma_w2 / 2), rel=1e-9)
    # the ReLU q-map is linear, q ↦ σ_w² q/2 + σ_b²: its slope is χ_1 too
    assert s["xi_q"] == pytest.approx(-1 / math.log(sigma_w2 / 2), rel=1e-6)


def _q_map_quad(activation, q, sigma_w2, sigma_b2):
    f = activation.forward
    value, _ = quad(lambda z: f(np.sqrt(q) * z) ** 2 * np.exp(-z * z / 2), -12, 12, limit=200)
    return sigma_w2 * value / math.sqrt(2 * math.pi) + sigma_b2


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "elu", "selu", "gelu", "softplus"])
def test_xi_q_is_the_slope_of_the_q_map_by_finite_differences(name):
    activation = activations.get(name)
    sigma_w2, sigma_b2 = 1.2, 0.1
    s = depth_scales(name, sigma_w2, sigma_b2)
    q, h = s["q_star"], 1e-4 * s["q_star"]
    assert _q_map_quad(activation, q, sigma_w2, sigma_b2) == pytest.approx(q, rel=1e-7)
    slope = (
        _q_map_quad(activation, q + h, sigma_w2, sigma_b2)
        - _q_map_quad(activation, q - h, sigma_w2, sigma_b2)
    ) / (2 * h)
    assert s["xi_q"] == pytest.approx(-1 / math.log(slope), rel=1e-4)


def _c_map_hermite(q, c, sigma_w2, sigma_b2, nodes=120):
    z, w = hermegauss(nodes)
    w = w / w.sum()
    z1, z2 = np.meshgrid(z, z, indexing="ij")
    u1 = np.sqrt(q) * z1
    u2 = np.sqrt(q) * (c * z1 + np.sqrt(1 - c * c) * z2)
    return (sigma_w2 * np.sum(np.outer(w, w) * np.tanh(u1) * np.tanh(u2)) + sigma_b2) / q


@pytest.mark.parametrize("sigma_w2", [1.3, 2.5, 4.0])
def test_xi_c_is_the_slope_of_the_c_map_at_its_fixed_point(sigma_w2):
    s = depth_scales("tanh", sigma_w2, 0.05)
    q, c = s["q_star"], s["c_star"]
    if c < 1:  # chaotic: c* is a fixed point of the independent c-map, slope by central difference
        assert _c_map_hermite(q, c, sigma_w2, 0.05) == pytest.approx(c, abs=1e-6)
        h = 1e-4
        slope = (
            _c_map_hermite(q, c + h, sigma_w2, 0.05) - _c_map_hermite(q, c - h, sigma_w2, 0.05)
        ) / (2 * h)
    else:  # ordered: c* = 1, slope from below
        h = 1e-5
        slope = (1 - _c_map_hermite(q, 1 - h, sigma_w2, 0.05)) / h
    assert s["chi_c"] == pytest.approx(slope, rel=2e-3)
    assert s["xi_c"] == pytest.approx(-1 / math.log(slope), rel=2e-2)


@pytest.mark.parametrize("name", activations.names())
def test_every_activation_has_its_depth_scales(name):
    s = depth_scales(name, 0.8, 0.05)
    assert set(s) >= {"q_star", "c_star", "chi_1", "chi_c", "xi_q", "xi_c"}
    assert math.isfinite(s["q_star"]) and 0 <= s["c_star"] <= 1
    assert s["xi_c"] > 0 and s["chi_1"] > 0


def test_measured_correlation_follows_the_c_map():
    tanh = activations.get("tanh")
    sigma_w2, sigma_b2 = 2.5, 0.05
    q = depth_scales(tanh, sigma_w2, sigma_b2)["q_star"]
    predicted = predicted_correlations(tanh, 0.9, 12, q, sigma_w2, sigma_b2)
    runs = [
        measured_correlations(tanh, 0.9, 12, 1000, q, sigma_w2, sigma_b2, np.random.default_rng(s))
        for s in range(4)
    ]
    assert all(r[0] == pytest.approx(0.9, abs=1e-12) for r in runs)
    assert np.abs(np.mean(runs, axis=0) - predicted).max() < 0.03
    assert predicted[-1] < predicted[1] - 0.1  # chaotic: correlations decay toward c* < 1
