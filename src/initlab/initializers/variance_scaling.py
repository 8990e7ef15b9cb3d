"""``variance_scaling`` and its named forms: Glorot/Xavier, He/Kaiming, LeCun.

One general function, as JAX's ``jax.nn.initializers.variance_scaling`` and Keras's
``VarianceScaling``: with ``n`` = fan_in, fan_out or (fan_in + fan_out) / 2 (``mode``), draw

- ``normal``: N(0, σ²) with σ = √(scale / n);
- ``truncated_normal``: N(0, s²) cut at ±2s, s = √(scale / n) / 0.87962566103423978, so the values
  kept have variance exactly scale / n (0.8796… is the std of N(0, 1) cut at ±2);
- ``uniform``: U(−limit, limit), limit = √(3·scale / n) = √3·σ (U(−a, a) has variance a²/3).

The named initializers are settings of it, each written with its framework's own formula:

- ``glorot_normal`` / ``xavier_normal``: (gain², fan_avg, normal), PyTorch's ``xavier_normal_``,
  σ = gain·√(2/(fan_in+fan_out));
- ``glorot_uniform`` / ``xavier_uniform``: (gain², fan_avg, uniform), PyTorch's
  ``xavier_uniform_``, a = gain·√(6/(fan_in+fan_out));
- ``he_normal`` / ``kaiming_normal``: (gain², mode, normal), PyTorch's ``kaiming_normal_``,
  σ = gain/√fan with gain = ``calculate_gain(nonlinearity, a)``;
- ``he_uniform`` / ``kaiming_uniform``: (gain², mode, uniform), PyTorch's ``kaiming_uniform_``,
  b = √3·gain/√fan;
- ``lecun_uniform``: (1, fan_in, uniform); ``lecun_normal`` (1, fan_in, normal) is the course's
  "Xavier" and lives in :mod:`initlab.initializers.course`;
- ``glorot_truncated_normal``, ``he_truncated_normal``, ``lecun_truncated_normal``: (1, fan_avg),
  (2, fan_in), (1, fan_in) with a truncated normal: Keras's ``GlorotNormal``, ``HeNormal``,
  ``LecunNormal`` and JAX's ``glorot_normal``, ``he_normal``, ``lecun_normal``.

The plain ``*_normal`` names follow PyTorch (untruncated); Keras and JAX ship those names as
truncated normals of the same variance (JAX even aliases ``kaiming_normal`` to its truncated
``he_normal``): initlab calls those ``*_truncated_normal``. Weights are ``(fan_out, fan_in)``, as
PyTorch stores them (JAX and Keras store ``(fan_in, fan_out)``; the fans are the same).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from initlab import checks
from initlab.initializers.fans import fans
from initlab.initializers.gain import NONLINEARITIES, calculate_gain
from initlab.initializers.registry import WeightFn, register
from initlab.initializers.sampling import (
    TRUNCATED_STD,
    Rng,
    standard_normal,
    truncated_standard_normal,
    uniform,
)
from initlab.initializers.variance import fan, fixed, scaled

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")

# σ of a weight from its (fan_in, fan_out)
StdOf = Callable[[int, int], float]


def draw_scaled(rng: Rng, shape: tuple[int, int], std: float, distribution: str) -> np.ndarray:
    """Values of ``shape`` with variance ``std²`` and mean 0 from ``distribution``."""
    if distribution == "normal":
        return standard_normal(rng, shape) * std
    if distribution == "truncated_normal":
        return truncated_standard_normal(rng, -2.0, 2.0, shape) * (std / TRUNCATED_STD)
    bound = math.sqrt(3.0) * std  # U(-a, a) has variance a²/3
    return uniform(rng, -bound, bound, shape)


def _scaled(std_of: StdOf, distribution: str) -> WeightFn:
    """A weight function drawing from ``distribution`` with σ = ``std_of(fan_in, fan_out)``: the
    one drawing step of every form below."""

    def draw(shape, rng):
        return draw_scaled(rng, shape, std_of(*fans(shape)), distribution)

    return draw


@register(
    "variance_scaling",
    formula="σ = √(scale/n), n = fan_in, fan_out or (fan_in+fan_out)/2 by mode; "
    "normal: N(0, σ²); truncated_normal: N(0, s²) cut at ±2s, s = σ/0.8796; "
    "uniform: U(−√3·σ, √3·σ)",
    frameworks={
        "keras": "VarianceScaling",
        "jax": "variance_scaling",
    },
    variance=scaled(lambda p: p["scale"], lambda p: p["mode"]),
)
def variance_scaling(
    scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal"
) -> WeightFn:
    """Values of variance ``scale / n``, ``n`` given by ``mode``, from ``distribution``.

    Keras's ``VarianceScaling`` and JAX's ``variance_scaling`` (defaults: Keras's, scale 1,
    fan_in, truncated normal). Keras spells the untruncated normal ``untruncated_normal``;
    initlab, like JAX, ``normal``.

    >>> import numpy as np
    >>> w = variance_scaling(2.0, "fan_in", "uniform")((256, 128), np.random.default_rng(0))
    >>> bool(abs(w).max() <= np.sqrt(3 * 2 / 128))
    True
    """
    scale = checks.positive_number("scale", scale)
    mode = checks.choice("mode", mode, MODES)
    distribution = checks.choice("distribution", distribution, DISTRIBUTIONS)
    return _scaled(
        lambda fan_in, fan_out: math.sqrt(scale / fan(fan_in, fan_out, mode)), distribution
    )


# -- Glorot / Xavier (Glorot & Bengio 2010, "Understanding the difficulty of training deep
#    feedforward neural networks") -------------------------------------------------------------


def _glorot(gain: float, distribution: str) -> WeightFn:
    """``variance_scaling(gain², "fan_avg", distribution)`` with σ written as PyTorch writes it,
    gain·√(2/(fan_in+fan_out)) (so its values are PyTorch's to the last bit)."""
    gain = checks.non_negative("gain", gain)
    return _scaled(
        lambda fan_in, fan_out: gain * math.sqrt(2.0 / float(fan_in + fan_out)), distribution
    )


GLOROT = scaled(lambda p: p["gain"] ** 2, lambda p: "fan_avg")


@register(
    "glorot_normal",
    aliases=("xavier_normal",),
    formula="W ~ N(0, σ²), σ = gain·√(2/(fan_in+fan_out))",
    frameworks={
        "pytorch": "xavier_normal_",
        "keras": "VarianceScaling(1, 'fan_avg', 'untruncated_normal')",
        "jax": "variance_scaling(1, 'fan_avg', 'normal')",
    },
    variance=GLOROT,
)
def glorot_normal(gain: float = 1.0) -> WeightFn:
    """Glorot/Xavier normal as PyTorch's ``xavier_normal_``: untruncated, σ = gain·√(2/(in+out)).

    Equals ``variance_scaling(gain², "fan_avg", "normal")``. Keras's ``GlorotNormal`` and JAX's
    ``glorot_normal`` are truncated: see :func:`glorot_truncated_normal`.
    """
    return _glorot(gain, "normal")


@register(
    "glorot_uniform",
    aliases=("xavier_uniform",),
    formula="W ~ U(−a, a), a = gain·√(6/(fan_in+fan_out))",
    frameworks={
        "pytorch": "xavier_uniform_",
        "keras": "GlorotUniform",
        "jax": "glorot_uniform, xavier_uniform",
    },
    variance=GLOROT,
)
def glorot_uniform(gain: float = 1.0) -> WeightFn:
    """Glorot/Xavier uniform as PyTorch's ``xavier_uniform_``: a = √3·σ = gain·√(6/(in+out)).

    Equals ``variance_scaling(gain², "fan_avg", "uniform")``; Keras's ``GlorotUniform`` and JAX's
    ``glorot_uniform`` with gain 1.
    """
    return _glorot(gain, "uniform")


@register(
    "glorot_truncated_normal",
    formula="W ~ N(0, s²) cut at ±2s, s = √(2/(fan_in+fan_out)) / 0.8796",
    frameworks={
        "keras": "GlorotNormal (truncated)",
        "jax": "glorot_normal, xavier_normal (truncated)",
    },
    variance=fixed(1.0, "fan_avg"),
)
def glorot_truncated_normal() -> WeightFn:
    """Keras's ``GlorotNormal`` and JAX's ``glorot_normal``: ``variance_scaling(1, "fan_avg",
    "truncated_normal")``, variance 2/(fan_in + fan_out) after the cut."""
    return variance_scaling(1.0, "fan_avg", "truncated_normal")


# -- He / Kaiming (He et al. 2015, "Delving deep into rectifiers") ------------------------------


def _kaiming(a: float, mode: str, nonlinearity: str, distribution: str) -> WeightFn:
    """``variance_scaling(gain², mode, distribution)``, gain = ``calculate_gain(nonlinearity,
    a)``, with σ written as PyTorch writes it, gain/√fan (its values to the last bit)."""
    a = checks.number("a", a)
    mode = checks.choice("mode", mode, ("fan_in", "fan_out"))
    nonlinearity = checks.choice("nonlinearity", nonlinearity, NONLINEARITIES)
    gain = calculate_gain(nonlinearity, a)
    return _scaled(
        lambda fan_in, fan_out: gain / math.sqrt(fan(fan_in, fan_out, mode)), distribution
    )


KAIMING = scaled(lambda p: calculate_gain(p["nonlinearity"], p["a"]) ** 2, lambda p: p["mode"])


@register(
    "he_normal",
    aliases=("kaiming_normal",),
    formula="W ~ N(0, σ²), σ = gain/√fan, gain = calculate_gain(nonlinearity, a)",
    frameworks={
        "pytorch": "kaiming_normal_",
        "keras": "VarianceScaling(2, 'fan_in', 'untruncated_normal')",
        "jax": "variance_scaling(2, 'fan_in', 'normal')",
    },
    variance=KAIMING,
)
def he_normal(a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> WeightFn:
    """He/Kaiming normal as PyTorch's ``kaiming_normal_(a, mode, nonlinearity)``: untruncated,
    σ = gain / √fan, gain = ``calculate_gain(nonlinearity, a)`` (√2 with the defaults).

    Equals ``variance_scaling(gain², mode, "normal")``. Keras's ``HeNormal`` and JAX's ``he_normal``
    (and JAX's ``kaiming_normal``) are truncated: see :func:`he_truncated_normal`. The course's
    ``he`` draws the same values as the defaults, written ``√(2/fan_in)``.
    """
    return _kaiming(a, mode, nonlinearity, "normal")


@register(
    "he_uniform",
    aliases=("kaiming_uniform",),
    formula="W ~ U(−b, b), b = √3·gain/√fan, gain = calculate_gain(nonlinearity, a)",
    frameworks={
        "pytorch": "kaiming_uniform_",
        "keras": "HeUniform",
        "jax": "he_uniform, kaiming_uniform",
    },
    variance=KAIMING,
)
def he_uniform(a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> WeightFn:
    """He/Kaiming uniform as PyTorch's ``kaiming_uniform_(a, mode, nonlinearity)``: bound =
    √3·gain/√fan, √(6/fan_in) with the defaults (Keras's ``HeUniform``, JAX's ``he_uniform``).

    Equals ``variance_scaling(gain², mode, "uniform")``. ``a=√5`` is PyTorch's ``nn.Linear`` default
    (see ``torch_linear``).
    """
    return _kaiming(a, mode, nonlinearity, "uniform")


@register(
    "he_truncated_normal",
    formula="W ~ N(0, s²) cut at ±2s, s = √(2/fan_in) / 0.8796",
    frameworks={
        "keras": "HeNormal (truncated)",
        "jax": "he_normal, kaiming_normal (truncated)",
    },
    variance=fixed(2.0, "fan_in"),
)
def he_truncated_normal() -> WeightFn:
    """Keras's ``HeNormal`` and JAX's ``he_normal``/``kaiming_normal``: ``variance_scaling(2,
    "fan_in", "truncated_normal")``, variance 2/fan_in after the cut."""
    return variance_scaling(2.0, "fan_in", "truncated_normal")


# -- LeCun (LeCun et al. 1998, "Efficient BackProp"); lecun_normal is the course's "Xavier", in
#    initializers/course.py ------------------------------------------------------------------------


@register(
    "lecun_uniform",
    formula="W ~ U(−a, a), a = √(3/fan_in)",
    frameworks={
        "pytorch": "kaiming_uniform_(nonlinearity='linear')",
        "keras": "LecunUniform",
        "jax": "lecun_uniform",
    },
    variance=fixed(1.0, "fan_in"),
)
def lecun_uniform() -> WeightFn:
    """LeCun uniform: ``variance_scaling(1, "fan_in", "uniform")``, bound √(3/fan_in)."""
    return variance_scaling(1.0, "fan_in", "uniform")


@register(
    "lecun_truncated_normal",
    formula="W ~ N(0, s²) cut at ±2s, s = √(1/fan_in) / 0.8796",
    frameworks={"keras": "LecunNormal (truncated)", "jax": "lecun_normal (truncated)"},
    variance=fixed(1.0, "fan_in"),
)
def lecun_truncated_normal() -> WeightFn:
    """Keras's ``LecunNormal`` and JAX's ``lecun_normal``: ``variance_scaling(1, "fan_in",
    "truncated_normal")``, variance 1/fan_in after the cut."""
    return variance_scaling(1.0, "fan_in", "truncated_normal")
