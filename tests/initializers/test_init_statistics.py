"""Large draws of every random initializer match its formula, within 5 standard errors.

Shapes, parameters, seeds and the kind of rng (numpy Generator or legacy RandomState) come from
hypothesis; each example draws at least 20,000 values (repeating the shape as needed), and the
bounds are derived from that sample size (see ``init_helpers.assert_moments``).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from init_helpers import assert_distribution, assert_moments, draws, make_rng, truncated_moments

from initlab import initializers

fans = st.integers(8, 256)
gains = st.floats(0.25, 4.0)
scales = st.floats(0.1, 10.0)
rng_kinds = st.sampled_from(["generator", "random_state"])
seeds = st.integers(0, 2**32 - 1)
modes = st.sampled_from(["fan_in", "fan_out", "fan_avg"])
distributions = st.sampled_from(["normal", "truncated_normal", "uniform"])
nonlinearities = st.sampled_from(["relu", "tanh", "linear", "sigmoid", "selu", "leaky_relu"])

GAIN = {"relu": math.sqrt(2), "tanh": 5 / 3, "linear": 1.0, "sigmoid": 1.0, "selu": 0.75}


def n_of(mode, fan_in, fan_out):
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def kaiming_gain(nonlinearity, a):
    return math.sqrt(2 / (1 + a**2)) if nonlinearity == "leaky_relu" else GAIN[nonlinearity]


# name -> (draw the spec's parameters, (params, fan_in, fan_out) -> (distribution, std))
CASES = {
    "variance_scaling": (
        st.fixed_dictionaries({"scale": scales, "mode": modes, "distribution": distributions}),
        lambda p, fi, fo: (
            {"truncated_normal": "truncated"}.get(p["distribution"], p["distribution"]),
            math.sqrt(p["scale"] / n_of(p["mode"], fi, fo)),
        ),
    ),
    "glorot_normal": (
        st.fixed_dictionaries({"gain": gains}),
        lambda p, fi, fo: ("normal", p["gain"] * math.sqrt(2 / (fi + fo))),
    ),
    "xavier_uniform": (
        st.fixed_dictionaries({"gain": gains}),
        lambda p, fi, fo: ("uniform", p["gain"] * math.sqrt(6 / (fi + fo)) / math.sqrt(3)),
    ),
    "glorot_truncated_normal": (
        st.just({}),
        lambda p, fi, fo: ("truncated", math.sqrt(2 / (fi + fo))),
    ),
    "kaiming_normal": (
        st.fixed_dictionaries(
            {
                "a": st.floats(0, 3),
                "mode": st.sampled_from(["fan_in", "fan_out"]),
                "nonlinearity": nonlinearities,
            }
        ),
        lambda p, fi, fo: (
            "normal",
            kaiming_gain(p["nonlinearity"], p["a"]) / math.sqrt(n_of(p["mode"], fi, fo)),
        ),
    ),
    "he_uniform": (
        st.fixed_dictionaries(
            {
                "a": st.floats(0, 3),
                "mode": st.sampled_from(["fan_in", "fan_out"]),
                "nonlinearity": nonlinearities,
            }
        ),
        lambda p, fi, fo: (
            "uniform",
            kaiming_gain(p["nonlinearity"], p["a"]) / math.sqrt(n_of(p["mode"], fi, fo)),
        ),
    ),
    "he_truncated_normal": (st.just({}), lambda p, fi, fo: ("truncated", math.sqrt(2 / fi))),
    "lecun_normal": (st.just({}), lambda p, fi, fo: ("normal", math.sqrt(1 / fi))),
    "lecun_uniform": (st.just({}), lambda p, fi, fo: ("uniform", math.sqrt(1 / fi))),
    "lecun_truncated_normal": (st.just({}), lambda p, fi, fo: ("truncated", math.sqrt(1 / fi))),
    "he": (st.just({}), lambda p, fi, fo: ("normal", math.sqrt(2 / fi))),
    "random": (
        st.fixed_dictionaries({"scale": scales}),
        lambda p, fi, fo: ("normal", p["scale"]),
    ),
    "torch_linear": (st.just({}), lambda p, fi, fo: ("uniform", 1 / math.sqrt(fi) / math.sqrt(3))),
}


def spec_of(name, params):
    return name + (
        ":"
        + ",".join(f"{k}={v!r}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())
        if params
        else ""
    )


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=25, deadline=None)
@given(data=st.data(), fan_in=fans, fan_out=fans, kind=rng_kinds, seed=seeds)
def test_large_draws_match_the_formula(name, data, fan_in, fan_out, kind, seed):
    params_strategy, expected = CASES[name]
    params = data.draw(params_strategy)
    distribution, std = expected(params, fan_in, fan_out)
    init = initializers.get(spec_of(name, params))
    x = draws(init, (fan_out, fan_in), make_rng(kind, seed))
    assert_distribution(x, distribution, std)


@settings(max_examples=15, deadline=None)
@given(fan_in=fans, fan_out=fans, kind=rng_kinds, seed=seeds)
def test_torch_linear_bias_is_uniform_within_one_over_sqrt_fan_in(fan_in, fan_out, kind, seed):
    ini = initializers.get("torch_linear")
    rng = make_rng(kind, seed)
    reps = -(-20_000 // fan_out)
    x = np.concatenate([ini.bias((fan_out,), fan_in, rng) for _ in range(reps)])
    assert_distribution(x, "uniform", 1 / math.sqrt(fan_in) / math.sqrt(3))


@settings(max_examples=20, deadline=None)
@given(mean=st.floats(-5, 5), std=st.floats(0.05, 5), kind=rng_kinds, seed=seeds)
def test_normal_matches_mean_and_std(mean, std, kind, seed):
    x = draws(initializers.get(f"normal:mean={mean!r},std={std!r}"), (50, 40), make_rng(kind, seed))
    assert_moments(x, mean, std**2, 3 * std**4)


@settings(max_examples=20, deadline=None)
@given(low=st.floats(-5, 5), width=st.floats(0.01, 10), kind=rng_kinds, seed=seeds)
def test_uniform_matches_bounds_and_variance(low, width, kind, seed):
    high = low + width
    x = draws(
        initializers.get(f"uniform:low={low!r},high={high!r}"), (50, 40), make_rng(kind, seed)
    )
    assert x.min() >= low and x.max() <= high
    n = x.size
    assert x.min() <= low + 40 * width / n and x.max() >= high - 40 * width / n
    assert_moments(x, (low + high) / 2, width**2 / 12, width**4 / 80)


@settings(max_examples=20, deadline=None)
@given(
    mean=st.floats(-3, 3),
    std=st.floats(0.1, 3),
    a=st.floats(-4, 3),
    width=st.floats(0.2, 5),
    kind=rng_kinds,
    seed=seeds,
)
def test_truncated_normal_stays_inside_the_absolute_cut_and_matches_its_moments(
    mean, std, a, width, kind, seed
):
    low, high = mean + a * std, mean + (a + width) * std
    spec = f"truncated_normal:mean={mean!r},std={std!r},low={low!r},high={high!r}"
    x = draws(initializers.get(spec), (50, 40), make_rng(kind, seed))
    assert x.min() >= low and x.max() <= high
    m1, var, mu4 = truncated_moments(a, a + width)
    assert_moments(x, mean + std * m1, std**2 * var, std**4 * mu4)


def test_truncated_normal_far_in_a_tail():
    x = draws(
        initializers.get("truncated_normal:low=8,high=9"), (100, 100), np.random.default_rng(1)
    )
    m1, var, mu4 = truncated_moments(8.0, 9.0)
    assert x.min() >= 8 and x.max() <= 9
    assert_moments(x, m1, var, mu4)
