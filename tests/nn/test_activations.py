"""Each activation against its documented formula (written here with the math module, one scalar
at a time), its derivative against finite differences, and its behaviour at extreme inputs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from initlab.errors import InitlabError
from initlab.nn import activations

ALPHA = 1.6732632423543772848170429916717
SCALE = 1.0507009873554804934193349852946

# the frameworks' documented formulas (PyTorch's torch.nn docs), scalar by scalar
FORMULAS = {
    "relu": lambda x: max(0.0, x),
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    "leaky_relu": lambda x: max(0.0, x) + 0.01 * min(0.0, x),
    "elu": lambda x: max(0.0, x) + min(0.0, 1.0 * (math.exp(x) - 1)),
    "selu": lambda x: SCALE * (max(0.0, x) + min(0.0, ALPHA * (math.exp(x) - 1))),
    "gelu": lambda x: x * 0.5 * (1 + math.erf(x / math.sqrt(2))),
    "tanh": math.tanh,
    "softplus": lambda x: math.log1p(math.exp(x)),
    "linear": lambda x: x,
}
KINKED = {"relu", "leaky_relu", "elu", "selu"}


def test_registry_is_the_list_of_names():
    assert set(activations.REGISTRY) == set(FORMULAS)
    assert activations.get("identity").spec == "linear"
    assert activations.get("logistic").spec == "sigmoid"


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_forward_is_the_documented_formula(name):
    z = np.linspace(-20, 20, 801)
    expected = np.array([FORMULAS[name](float(x)) for x in z])
    np.testing.assert_allclose(activations.get(name).forward(z), expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", sorted(FORMULAS))
@settings(max_examples=60, deadline=None)
@given(z=st.floats(-12, 12))
def test_derivative_matches_finite_differences(name, z):
    if name in KINKED and abs(z) < 1e-2:
        return  # no derivative at the kink
    f = FORMULAS[name]

    def central(h):
        return (f(z + h) - f(z - h)) / (2 * h)

    h = 1e-3
    numeric = (4 * central(h / 2) - central(h)) / 3
    act = activations.get(name)
    zz = np.array([z])
    analytic = float(act.derivative(zz, act.forward(zz))[0])
    assert analytic == pytest.approx(numeric, rel=1e-7, abs=1e-10)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_extreme_inputs_stay_finite_without_warnings(name):
    z = np.array([-1e4, -750.0, -40.0, -1e-12, 0.0, 1e-12, 40.0, 750.0, 1e4])
    act = activations.get(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = act.forward(z)
        d = act.derivative(z, a)
    assert np.isfinite(a).all() and np.isfinite(d).all()
    assert (d >= 0).all() or name == "gelu"  # all monotone but GELU, whose φ' dips below 0


def test_derivative_values_at_the_kinks_and_tails():
    z = np.array([-800.0, 0.0, 800.0])

    def derivative(spec):
        act = activations.get(spec)
        return act.derivative(z, act.forward(z)).tolist()

    assert derivative("relu") == [0.0, 0.0, 1.0]  # the course's (a > 0) convention
    assert derivative("leaky_relu:slope=0.2") == [0.2, 0.2, 1.0]
    assert derivative("elu:alpha=2") == [0.0, 2.0, 1.0]  # α·e^z, so α at 0 from the left
    assert derivative("selu") == pytest.approx([0.0, SCALE * ALPHA, SCALE], rel=1e-15)
    assert derivative("tanh") == [0.0, 1.0, 0.0]
    assert derivative("softplus") == [0.0, 0.5, 1.0]
    assert derivative("gelu") == [0.0, 0.5, 1.0]


def test_parameters_change_the_function():
    z = np.array([-2.0, 3.0])
    assert activations.get("leaky_relu:slope=0.1").forward(z).tolist() == [-0.2, 3.0]
    assert activations.get("elu:alpha=0.5").forward(z)[0] == pytest.approx(0.5 * math.expm1(-2))
    assert activations.get("elu:alpha=0.5").spec == "elu:alpha=0.5"


def test_selu_constants_make_the_standard_normal_a_fixed_point():
    """Klambauer et al.: for z ~ N(0, 1), E[selu(z)] = 0 and E[selu(z)²] = 1 (checked by
    quadrature, independently of the constants' printed digits)."""
    selu = activations.get("selu").forward
    density = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    mean = integrate.quad(lambda z: float(selu(np.array(z))) * density(z), -40, 40)[0]
    square = integrate.quad(lambda z: float(selu(np.array(z))) ** 2 * density(z), -40, 40)[0]
    assert abs(mean) < 1e-9 and square == pytest.approx(1.0, abs=1e-9)


def test_gelu_is_the_exact_form_not_the_tanh_approximation():
    z = np.array([1.0])
    exact = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    approximation = 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * (1 + 0.044715)))
    got = float(activations.get("gelu").forward(z)[0])
    assert got == pytest.approx(exact, rel=1e-15)
    assert abs(got - approximation) > 1e-5


@pytest.mark.parametrize(
    "spec, message",
    [
        ("swish", "unknown activation 'swish'"),
        ("rellu", "did you mean 'relu'"),
        ("leaky_relu:alpha=0.1", "unknown parameter 'alpha' for activation 'leaky_relu'"),
        ("elu:alpha=abc", "alpha of activation 'elu:alpha=abc' must be a finite number"),
        ("selu:scale=2", "valid: none"),
    ],
)
def test_bad_activation_specs_are_one_clear_error(spec, message):
    with pytest.raises(InitlabError, match=message.replace("(", r"\(")):
        activations.get(spec)
