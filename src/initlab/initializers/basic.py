"""The frameworks' simple initializers: constants, plain distributions, identity, nn.Linear's
default.

Each is one formula; defaults are PyTorch's (``torch.nn.init``), whose layout ``(fan_out, fan_in)``
initlab shares. Where Keras or JAX differ (defaults, or a cut relative to the std), the docstring
says so.
"""

from __future__ import annotations

import math

import numpy as np

from initlab import checks
from initlab.errors import InitlabError
from initlab.initializers.registry import BiasFn, WeightFn, register
from initlab.initializers.sampling import standard_normal, truncated_standard_normal
from initlab.initializers.sampling import uniform as _uniform
from initlab.initializers.variance import Params, Variance, absolute
from initlab.initializers.variance_scaling import he_uniform


def _truncated_variance(p: Params) -> float:
    """Var of N(0, std²) cut at [low, high] (zero mean when the cut is symmetric)."""
    from scipy.stats import truncnorm

    a, b = p["low"] / p["std"], p["high"] / p["std"]
    return float(truncnorm.var(a, b)) * p["std"] ** 2


@register(
    "ones",
    formula="W = 1",
    frameworks={"pytorch": "ones_", "keras": "Ones", "jax": "ones"},
)
def ones() -> WeightFn:
    """All weights one."""

    def draw(shape, rng):
        return np.ones(shape)

    return draw


@register(
    "constant",
    formula="W = value",
    frameworks={"pytorch": "constant_(val)", "keras": "Constant(value)", "jax": "constant(value)"},
    variance=absolute(lambda p: 0.0, zero_mean=lambda p: p["value"] == 0),
)
def constant(value: float = 0.0) -> WeightFn:
    """Every weight ``value`` (Keras's default 0; PyTorch and JAX require the value)."""
    value = checks.number("value", value)

    def draw(shape, rng):
        return np.full(shape, value)

    return draw


@register(
    "normal",
    formula="W ~ N(mean, std²)",
    frameworks={
        "pytorch": "normal_(mean, std)",
        "keras": "RandomNormal(mean, stddev)",
        "jax": "normal(stddev) (mean 0)",
    },
    variance=absolute(lambda p: p["std"] ** 2, zero_mean=lambda p: p["mean"] == 0),
)
def normal(mean: float = 0.0, std: float = 1.0) -> WeightFn:
    """``mean + std · N(0, 1)``, PyTorch's ``normal_`` (defaults 0, 1; Keras's ``RandomNormal``
    defaults to std 0.05, JAX's ``normal`` to 0.01)."""
    mean = checks.number("mean", mean)
    std = checks.non_negative("std", std)

    def draw(shape, rng):
        return mean + std * standard_normal(rng, shape)

    return draw


@register(
    "uniform",
    formula="W ~ U(low, high)",
    frameworks={
        "pytorch": "uniform_(a, b)",
        "keras": "RandomUniform(minval, maxval)",
        "jax": "uniform(scale) = U(0, scale)",
    },
    # U(low, high) has variance (high − low)²/12
    variance=absolute(
        lambda p: (p["high"] - p["low"]) ** 2 / 12, zero_mean=lambda p: p["low"] == -p["high"]
    ),
)
def uniform(low: float = 0.0, high: float = 1.0) -> WeightFn:
    """``U[low, high)``, PyTorch's ``uniform_(a=low, b=high)`` (defaults 0, 1; Keras's
    ``RandomUniform`` defaults to ±0.05, JAX's ``uniform(scale)`` is U[0, scale), scale 0.01)."""
    low = checks.number("low", low)
    high = checks.number("high", high)
    if low > high:
        raise InitlabError(f"uniform needs low <= high; got low={low!r}, high={high!r}")

    def draw(shape, rng):
        return _uniform(rng, low, high, shape)

    return draw


@register(
    "truncated_normal",
    formula="W ~ N(mean, std²) conditioned on low ≤ W ≤ high",
    frameworks={
        "pytorch": "trunc_normal_(mean, std, a, b)",
        "keras": "TruncatedNormal(mean, stddev) (cut at mean ± 2·stddev)",
        "jax": "truncated_normal(stddev, lower, upper) (cut in stddev units)",
    },
    variance=absolute(
        _truncated_variance, zero_mean=lambda p: p["mean"] == 0 and p["low"] == -p["high"]
    ),
)
def truncated_normal(
    mean: float = 0.0, std: float = 1.0, low: float = -2.0, high: float = 2.0
) -> WeightFn:
    """N(mean, std²) redrawn until inside [low, high], as PyTorch's ``trunc_normal_(mean, std, a,
    b)``: ``low``/``high`` are absolute cut-offs and ``std`` is the std *before* the cut (the
    values kept have a smaller one). Keras's ``TruncatedNormal(mean, stddev)`` is
    ``low=mean-2·stddev, high=mean+2·stddev``; JAX's ``truncated_normal(stddev, lower, upper)``
    cuts at ``lower·stddev, upper·stddev``. Drawn by inverse CDF (see
    :mod:`initlab.initializers.sampling`).
    """
    mean = checks.number("mean", mean)
    std = checks.positive_number("std", std)
    low = checks.number("low", low)
    high = checks.number("high", high)
    if not low < high:
        raise InitlabError(f"truncated_normal needs low < high; got low={low!r}, high={high!r}")
    a, b = (low - mean) / std, (high - mean) / std

    def draw(shape, rng):
        return np.clip(mean + std * truncated_standard_normal(rng, a, b, shape), low, high)

    return draw


@register(
    "identity",
    aliases=("eye",),
    formula="W = gain · I (ones on the main diagonal of the (fan_out, fan_in) matrix)",
    frameworks={"pytorch": "eye_ (gain 1)", "keras": "Identity(gain)"},
)
def identity(gain: float = 1.0) -> WeightFn:
    """``gain`` on the main diagonal, zeros elsewhere (also for non-square weights), as PyTorch's
    ``eye_`` and Keras's ``Identity``. Keeps the input of a square linear layer unchanged."""
    gain = checks.non_negative("gain", gain)

    def draw(shape, rng):
        return gain * np.eye(*shape)

    return draw


def _torch_linear_bias() -> BiasFn:
    def draw(shape, fan_in, rng):
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        return _uniform(rng, -bound, bound, shape)

    return draw


@register(
    "torch_linear",
    formula="W ~ U(±1/√fan_in) (kaiming_uniform, a=√5); b ~ U(±1/√fan_in)",
    frameworks={"pytorch": "nn.Linear default (reset_parameters)"},
    bias=_torch_linear_bias,
    # W and b ~ U(±1/√fan_in): variance (2/√fan_in)²/12 = 1/(3·fan_in)
    variance=Variance(
        weight=lambda p, fan_in, fan_out: 1.0 / (3 * fan_in),
        bias=lambda p, fan_in: 1.0 / (3 * fan_in),
    ),
)
def torch_linear() -> WeightFn:
    """PyTorch's ``nn.Linear.reset_parameters``: ``kaiming_uniform_(W, a=√5)``, i.e. gain
    √(2/(1+5)) and bound √3·gain/√fan_in = 1/√fan_in, then the bias from U(±1/√fan_in). The only
    initializer here with a non-zero bias; :func:`~initlab.initializers.init_network` draws
    W then b of
    each layer, in PyTorch's order.
    """
    return he_uniform(a=math.sqrt(5.0))
