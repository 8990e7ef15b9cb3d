"""PyTorch's elementwise activation modules as initlab activations (:mod:`initlab.nn.activations`).

The table maps a module to the spec of the same function, so initlab's derivative (dead and
saturated units) and mean-field theory apply to it. Only exact equivalents are listed: GELU with
``approximate='none'`` (initlab's is the exact form), Softplus with ``beta=1`` and the default
``threshold`` (the threshold switches to the identity where log(1 + eˣ) = x in float32 anyway).
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from initlab.nn import activations

_TABLE: dict[type[nn.Module], Callable[[nn.Module], str | None]] = {
    nn.ReLU: lambda m: "relu",
    nn.Tanh: lambda m: "tanh",
    nn.Sigmoid: lambda m: "sigmoid",
    nn.SELU: lambda m: "selu",
    nn.Identity: lambda m: "linear",
    nn.LeakyReLU: lambda m: f"leaky_relu:slope={float(getattr(m, 'negative_slope', 0.01))!r}",
    nn.ELU: lambda m: f"elu:alpha={float(getattr(m, 'alpha', 1.0))!r}",
    nn.GELU: lambda m: "gelu" if getattr(m, "approximate", "none") == "none" else None,
    nn.Softplus: lambda m: "softplus" if getattr(m, "beta", 1.0) == 1.0 else None,
}


def activation_spec(module: nn.Module) -> str | None:
    """initlab's spec for an activation module (``"relu"``, ``"leaky_relu:slope=0.2"``), or
    ``None`` when initlab has no exact equivalent."""
    rule = _TABLE.get(type(module))
    return rule(module) if rule is not None else None


def activation(module: nn.Module) -> activations.Activation | None:
    """initlab's :class:`~initlab.nn.activations.Activation` for ``module``, or ``None``."""
    spec = activation_spec(module)
    return activations.get(spec) if spec is not None else None
