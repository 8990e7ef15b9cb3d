"""Jacobian spectra against finite differences, an exact orthogonal case and the moments of
Pennington, Schoenholz & Ganguli 2017."""

import math

import numpy as np
import pytest

from initlab.errors import InitlabError
from initlab.nn import activations
from initlab.signal.depth_scales import critical_sigma_w2
from initlab.signal.jacobian import (
    draw_layers,
    initializer_for,
    input_output_jacobian,
    jacobian_spectrum,
    network_output,
)

B2 = 1e-4  # near the isometric limit q* → 0 of tanh


def gaussian(sw2):
    return f"variance_scaling:scale={sw2!r},mode=fan_in,distribution=normal"


def orthogonal(sw2):
    return f"orthogonal:gain={math.sqrt(sw2)!r}"


def test_jacobian_matches_finite_differences_of_the_output():
    tanh = activations.get("tanh")
    rng = np.random.default_rng(1)
    layers = draw_layers(initializer_for(gaussian(1.5)), 3, 6, 0.1, rng)
    x = rng.standard_normal((6, 1))
    J = input_output_jacobian(layers, tanh, x)[0]
    h = 1e-6
    numeric = np.column_stack(
        [
            (
                network_output(layers, tanh, x + h * e[:, None])
                - network_output(layers, tanh, x - h * e[:, None])
            )[:, 0]
            / (2 * h)
            for e in np.eye(6)
        ]
    )
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-9)


def test_orthogonal_linear_network_singular_values_are_exactly_gain_to_the_depth():
    s = jacobian_spectrum(orthogonal(1.3**2), depth=6, width=32, activation="linear", inputs=2)
    np.testing.assert_allclose(np.sqrt(s.eigenvalues), 1.3**6, rtol=1e-10)
    assert s.theory.mean == pytest.approx(1.3**12) and s.theory.variance == pytest.approx(0)


@pytest.mark.parametrize(
    "init, activation, depth, inputs",
    [
        (orthogonal, "tanh", 8, 2),
        (orthogonal, "tanh", 32, 2),
        (gaussian, "tanh", 8, 8),
        (orthogonal, "relu", 8, 8),
    ],
)
@pytest.mark.parametrize("factor", [1.0, 0.8])
def test_mean_squared_singular_value_is_chi_to_the_depth(init, activation, depth, inputs, factor):
    sw2 = factor * critical_sigma_w2(activation, B2)
    s = jacobian_spectrum(init(sw2), depth, 256, activation, B2, seed=3, inputs=inputs)
    assert s.mean == pytest.approx(s.theory.chi_1**depth, rel=0.10)
    if factor < 1:
        assert s.theory.mean < 0.5  # off-critical: the mean itself vanishes with depth


def test_gaussian_spread_grows_with_depth_as_the_formula_orthogonal_tanh_stays_tight():
    sw2 = critical_sigma_w2("tanh", B2)
    variances = []
    for depth in (4, 16):
        s = jacobian_spectrum(gaussian(sw2), depth, 256, "tanh", B2, seed=0, inputs=6)
        assert s.variance == pytest.approx(s.theory.variance, rel=0.20)
        variances.append(s.variance)
    assert variances[1] > 2.5 * variances[0]
    tight = jacobian_spectrum(orthogonal(sw2), 16, 256, "tanh", B2, seed=0, inputs=2)
    assert tight.variance < 0.05 * variances[1] and tight.eigenvalues.max() < 4


def test_relu_with_orthogonal_weights_is_not_isometric():
    s = jacobian_spectrum(orthogonal(2.0), 16, 256, "relu", 0.0, seed=0, inputs=2)
    assert s.theory.variance == pytest.approx(16.0)  # L·(μ_2/μ_1² − 1) with μ_1 = μ_2 = 1/2
    assert s.variance > 5.0
    assert np.mean(s.eigenvalues < 1e-3) > 0.2  # many directions die


def test_refused_inputs():
    with pytest.raises(InitlabError, match="orthogonal or i.i.d."):
        jacobian_spectrum("lsuv", 2, 8)
    with pytest.raises(InitlabError, match="depth"):
        jacobian_spectrum("orthogonal", 0, 8)
    with pytest.raises(InitlabError, match="at most 2,048"):
        jacobian_spectrum("orthogonal", 2, 5000)
