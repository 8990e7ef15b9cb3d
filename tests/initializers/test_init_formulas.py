"""Formulas against hand-computed values: gains, σ and bounds for several (fan_in, fan_out)."""

import math

import numpy as np
import pytest
from init_helpers import OnesRng, truncated_moments

from initlab import initializers
from initlab.errors import InitlabError
from initlab.initializers.sampling import TRUNCATED_STD


@pytest.mark.parametrize(
    "nonlinearity, param, expected",
    [
        ("linear", None, 1.0),
        ("identity", None, 1.0),
        ("conv1d", None, 1.0),
        ("conv2d", None, 1.0),
        ("conv3d", None, 1.0),
        ("conv_transpose1d", None, 1.0),
        ("conv_transpose2d", None, 1.0),
        ("conv_transpose3d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 1.6666666666666667),  # 5/3
        ("relu", None, 1.4142135623730951),  # √2
        ("leaky_relu", None, 1.4141428569978354),  # √(2/1.0001), default slope 0.01
        ("leaky_relu", 0, 1.4142135623730951),  # √(2/1)
        ("leaky_relu", 0.2, 1.3867504905630728),  # √(2/1.04)
        ("leaky_relu", math.sqrt(5), 0.5773502691896258),  # √(2/6), nn.Linear's a
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain_is_pytorchs_table(nonlinearity, param, expected):
    assert initializers.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-15)


def test_calculate_gain_rejects_unknown_nonlinearity_and_bad_slope():
    with pytest.raises(InitlabError, match="did you mean 'tanh'"):
        initializers.calculate_gain("tahn")
    with pytest.raises(InitlabError, match="negative slope"):
        initializers.calculate_gain("leaky_relu", "steep")


# (spec, fan_in, fan_out, value every entry takes with OnesRng: σ for normals, bound for uniforms)
HAND = [
    ("glorot_normal", 2, 10, 0.408248290463863),  # √(2/12)
    ("glorot_normal", 10, 5, 0.3651483716701107),  # √(2/15)
    ("glorot_normal", 50, 100, 0.11547005383792516),  # √(2/150)
    ("glorot_normal:gain=2", 50, 100, 0.23094010767585033),  # 2·√(2/150)
    ("glorot_uniform", 2, 10, 0.7071067811865476),  # √(6/12)
    ("glorot_uniform", 10, 5, 0.6324555320336759),  # √(6/15)
    ("glorot_uniform", 50, 100, 0.2),  # √(6/150)
    ("he_normal", 2, 10, 1.0),  # √(2/2)
    ("he_normal", 10, 5, 0.4472135954999579),  # √(2/10)
    ("he_normal", 50, 100, 0.2),  # √(2/50)
    ("he_normal:mode=fan_out", 2, 10, 0.4472135954999579),  # √(2/10)
    ("he_normal:mode=fan_out", 10, 5, 0.6324555320336759),  # √(2/5)
    ("he_normal:mode=fan_out", 50, 100, 0.1414213562373095),  # √(2/100)
    ("he_normal:nonlinearity=tanh", 100, 3, 0.16666666666666666),  # (5/3)/10
    ("he_normal:nonlinearity=selu", 100, 3, 0.075),  # (3/4)/10
    ("he_normal:nonlinearity=linear", 100, 3, 0.1),  # 1/10
    ("he_normal:nonlinearity=leaky_relu,a=0.2", 100, 3, 0.13867504905630726),  # √(2/1.04)/10
    ("he_uniform", 2, 10, 1.7320508075688772),  # √(6/2)
    ("he_uniform", 10, 5, 0.7745966692414834),  # √(6/10)
    ("he_uniform", 50, 100, 0.34641016151377546),  # √(6/50)
    ("he_uniform:a=2.236,mode=fan_out", 50, 100, 0.10000253342960404),  # √3·√(2/(1+2.236²))/10
    ("lecun_normal", 2, 10, 0.7071067811865476),  # √(1/2)
    ("lecun_normal", 50, 100, 0.1414213562373095),  # √(1/50)
    ("lecun_uniform", 2, 10, 1.224744871391589),  # √(3/2)
    ("lecun_uniform", 10, 5, 0.5477225575051661),  # √(3/10)
    ("lecun_uniform", 50, 100, 0.2449489742783178),  # √(3/50)
    ("he", 10, 5, 0.4472135954999579),  # the course's √(2/10)
    ("torch_linear", 2, 10, 0.7071067811865476),  # 1/√2
    ("torch_linear", 10, 5, 0.31622776601683794),  # 1/√10
    ("torch_linear", 50, 100, 0.1414213562373095),  # 1/√50
    ("variance_scaling:scale=2,mode=fan_avg,distribution=normal", 10, 30, 0.31622776601683794),
    ("variance_scaling:scale=2,mode=fan_avg,distribution=uniform", 10, 30, 0.5477225575051661),
    ("variance_scaling:scale=3,mode=fan_out,distribution=normal", 10, 30, 0.31622776601683794),
    ("normal:mean=0,std=0.5", 3, 4, 0.5),
    ("uniform:low=-1,high=3", 3, 4, 3.0),
]


@pytest.mark.parametrize("spec, fan_in, fan_out, expected", HAND)
def test_std_and_bound_match_hand_computed_values(spec, fan_in, fan_out, expected):
    weight = initializers.get(spec)((fan_out, fan_in), OnesRng())
    assert weight.shape == (fan_out, fan_in)
    np.testing.assert_allclose(weight, expected, rtol=1e-14, atol=0)


def test_the_truncation_constant_is_the_std_of_a_normal_cut_at_two():
    _, var, _ = truncated_moments(-2.0, 2.0)
    assert TRUNCATED_STD == pytest.approx(math.sqrt(var), rel=1e-12)
    # closed form: Var = 1 − 2·2·φ(2) / (2Φ(2) − 1)
    phi2 = math.exp(-2) / math.sqrt(2 * math.pi)
    mass = math.erf(2 / math.sqrt(2))
    assert TRUNCATED_STD == pytest.approx(math.sqrt(1 - 4 * phi2 / mass), rel=1e-14)


def test_truncated_cut_and_scale_hand_computed():
    # he_truncated_normal, fan_in 50: σ = √(2/50) = 0.2, so s = 0.2/0.8796…, cut at ±2s
    w = initializers.get("he_truncated_normal")((400, 50), np.random.default_rng(0))
    cut = 2 * 0.2 / 0.87962566103423978
    assert np.abs(w).max() <= cut and np.abs(w).max() > 0.99 * cut


def test_torch_linear_draws_w_then_b_per_layer_as_pytorch():
    layers = initializers.init_network(
        [3, 4, 2], initializers.get("torch_linear"), np.random.RandomState(7)
    )
    rng = np.random.RandomState(7)
    expected = []
    for fan_in, fan_out in [(3, 4), (4, 2)]:
        bound = 1 / math.sqrt(fan_in)
        W = rng.uniform(-bound, bound, (fan_out, fan_in))
        b = rng.uniform(-bound, bound, fan_out)
        expected.append((W, b))
    for (W, b), (W_exp, b_exp) in zip(layers, expected, strict=True):
        np.testing.assert_allclose(W, W_exp, rtol=1e-14, atol=1e-16)
        np.testing.assert_allclose(b, b_exp, rtol=1e-14, atol=1e-16)


def test_other_initializers_leave_biases_zero():
    for spec in ["he_uniform", "orthogonal", "normal", "sparse", "glorot_truncated_normal"]:
        layers = initializers.init_network(
            [3, 4, 2], initializers.get(spec), np.random.RandomState(0)
        )
        assert all(b.shape == (W.shape[0],) and np.all(b == 0) for W, b in layers), spec
