"""``calculate_gain``: PyTorch's table of recommended gains for each nonlinearity.

The gain g is the factor by which an initializer's standard deviation is multiplied so that a
layer followed by the nonlinearity keeps the variance of its input (He et al. 2015, Glorot & Bengio
2010; ``torch.nn.init.calculate_gain``):

=================  ==========================
nonlinearity       gain
=================  ==========================
linear, identity,  1
conv*, sigmoid
tanh               5/3
relu               √2
leaky_relu         √(2 / (1 + slope²)), slope 0.01 unless given
selu               3/4
=================  ==========================
"""

from __future__ import annotations

import math

from initlab import checks
from initlab.errors import unknown_choice

LINEAR = (
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
NONLINEARITIES = (*LINEAR, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
DEFAULT_SLOPE = 0.01


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for ``nonlinearity``, PyTorch's values; ``param``: leaky_relu's slope.

    >>> calculate_gain("tanh")
    1.6666666666666667
    >>> calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / (1 + 0.2**2))
    True
    """
    if nonlinearity in LINEAR or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = DEFAULT_SLOPE
        else:
            slope = checks.number("the negative slope of leaky_relu", param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise unknown_choice("nonlinearity", str(nonlinearity), NONLINEARITIES)
