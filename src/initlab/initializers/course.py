"""The course's three initializers (deeplearning.ai, "Improving Deep Neural Networks", week 1).

Each draws with ``rng.standard_normal(shape)``, so a legacy ``RandomState(3)`` reproduces the
course's ``np.random.seed(3); np.random.randn(...)`` stream exactly, W1 then W2 ... Biases are zero.
"""

from __future__ import annotations

import numpy as np

from initlab import checks
from initlab.initializers.fans import fans
from initlab.initializers.registry import register
from initlab.initializers.variance import absolute, fixed


@register(
    "zeros",
    formula="W = 0",
    frameworks={"pytorch": "zeros_", "keras": "Zeros", "jax": "zeros"},
    variance=absolute(lambda p: 0.0),
)
def zeros():
    """All weights zero: every unit of a layer computes the same function, forever."""

    def draw(shape, rng):
        return np.zeros(shape)

    return draw


@register(
    "random",
    formula="W ~ scale · N(0, 1)  (course: scale 10)",
    frameworks={"course": "initialize_parameters_random"},
    variance=absolute(lambda p: p["scale"] ** 2),  # std = scale
)
def large_random(scale: float = 10.0):
    """The course's "large random" weights: ``standard_normal(shape) * scale`` (scale 10)."""
    scale = checks.non_negative("scale", scale)

    def draw(shape, rng):
        return rng.standard_normal(shape) * scale

    return draw


@register(
    "he",
    formula="W ~ N(0, 1) · sqrt(2 / fan_in)",
    frameworks={
        "course": "initialize_parameters_he",
        "pytorch": "kaiming_normal_(nonlinearity='relu')",
    },
    variance=fixed(2.0, "fan_in"),
)
def he():
    """He et al. 2015 ("Delving deep into rectifiers"), as the course writes it:
    ``standard_normal(shape) * sqrt(2 / fan_in)``."""

    def draw(shape, rng):
        fan_in, _ = fans(shape)
        return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)

    return draw


@register(
    "lecun_normal",
    formula="W ~ N(0, 1) · sqrt(1 / fan_in)",
    frameworks={
        "course": 'the course\'s "Xavier"',
        "pytorch": "kaiming_normal_(nonlinearity='linear')",
        "keras": "VarianceScaling(1, 'fan_in', 'untruncated_normal')",
        "jax": "variance_scaling(1, 'fan_in', 'normal')",
    },
    variance=fixed(1.0, "fan_in"),
)
def lecun_normal():
    """LeCun et al. 1998 ("Efficient BackProp"): ``standard_normal(shape) * sqrt(1 / fan_in)``,
    untruncated; what the course calls "Xavier"."""

    def draw(shape, rng):
        fan_in, _ = fans(shape)
        return rng.standard_normal(shape) * np.sqrt(1.0 / fan_in)

    return draw
