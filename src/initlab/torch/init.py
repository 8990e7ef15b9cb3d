"""``init_``: fill the weights of any PyTorch module with initlab's initializers, in place.

PyTorch's tracker has long asked for per-layer-type, per-parameter initialization of an existing
model (pytorch/pytorch#18182); this is it, with every initializer of initlab's registry
(``initlab inits`` lists them, each with PyTorch's, Keras's and JAX's name).
"""

from __future__ import annotations

import numbers
from typing import Any

import torch
from torch import nn

from initlab.errors import InitlabError
from initlab.initializers.registry import Initializer, get
from initlab.torch.draw import draw_bias, draw_weight, numpy_generator, to_tensor
from initlab.torch.fans import torch_fans
from initlab.torch.layers import check_module, label, weight_layers
from initlab.torch.selectors import assign

KEEP = "keep"


def init_(
    module: nn.Module,
    init: Any,
    *,
    generator: torch.Generator | None = None,
    include: Any = None,
    bias: Any = None,
) -> nn.Module:
    """Fill the weights of every ``nn.Linear`` and ``nn.Conv1d/2d/3d`` of ``module`` in place
    (under ``torch.no_grad()``) with initlab's initializer ``init``; returns ``module``.

    ``init`` is any registry spec (``"kaiming_normal:mode=fan_out"``, ``"orthogonal:gain=2"``,
    ``"lecun_normal"``, ``"zeros"``, …), an :class:`~initlab.initializers.Initializer`, a callable
    ``(shape, rng) -> array`` drawing a ``(fan_out, fan_in)`` matrix, or a mapping
    ``{selector: init}`` (:mod:`initlab.torch.selectors`: a layer type, a regex on the weight's
    qualified name, or a predicate ``(name, layer) -> bool``; later entries override earlier).
    ``include`` (a selector) restricts the layers considered.

    Fans are PyTorch's (a conv's multiplied by its kernel size, :func:`torch_fans`), so
    ``"kaiming_normal"`` draws the law of ``torch.nn.init.kaiming_normal_``. Values land on the
    parameter's device in its dtype (float32, float64, bfloat16, …). Randomness comes from
    ``generator`` (a ``torch.Generator``; torch's default generator when ``None``): the same
    generator state gives the same tensors.

    ``bias``: ``None`` follows the initializer's bias rule (zeros for all but ``torch_linear``,
    nn.Linear's own U(±1/√fan_in)); ``"keep"`` leaves biases as they are; a number fills them
    with it; an initializer spec uses that initializer's bias rule.

    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    >>> g = torch.Generator().manual_seed(0)
    >>> _ = init_(model, "xavier_uniform", generator=g)
    >>> w, b = model[0].weight.detach(), model[0].bias.detach()
    >>> bool((w.abs() <= (6 / 7) ** 0.5).all()), float(b.abs().sum())
    (True, 0.0)
    """
    module = check_module(module)
    plan = assign(weight_layers(module), init, include)
    resolved = {id(spec): _initializer(spec) for _, _, spec in plan}
    bias_rule = _bias_rule(bias)
    rng = numpy_generator(generator)
    with torch.no_grad():
        for name, layer, spec in plan:
            initializer = resolved[id(spec)]
            weight = layer.weight
            shape = tuple(weight.shape)
            try:
                values = draw_weight(initializer, shape, rng)
            except InitlabError as error:
                raise InitlabError(f"layer {label(name, layer)}: {error}") from None
            weight.copy_(to_tensor(values, weight))
            if getattr(layer, "bias", None) is not None and bias_rule != KEEP:
                fan_in, _ = torch_fans(shape)
                rule = initializer if bias_rule is None else bias_rule
                _fill_bias(layer.bias, rule, fan_in, rng)
    return module


def _initializer(spec: Any) -> Initializer:
    """The initializer of ``spec``; data-dependent ones (LSUV) have their own function."""
    initializer = get(spec)
    if initializer.needs_data:
        raise InitlabError(
            f"initializer {initializer.spec!r} needs data: use initlab.torch.lsuv_(module, X) "
            f"for LSUV on a PyTorch module"
        )
    return initializer


def _bias_rule(bias: Any) -> Any:
    """``None`` (the initializer's rule), ``"keep"``, a float or an :class:`Initializer`."""
    if bias is None or bias == KEEP:
        return bias
    if isinstance(bias, numbers.Real) and not isinstance(bias, bool):
        return float(bias)
    if isinstance(bias, str | Initializer):
        return _initializer(bias)
    raise InitlabError(
        f"bias must be None (the initializer's rule), 'keep', a number or an initializer spec; "
        f"got {bias!r}"
    )


def _fill_bias(bias: torch.Tensor, rule: Any, fan_in: int, rng: Any) -> None:
    if isinstance(rule, float):
        bias.fill_(rule)
        return
    bias.copy_(to_tensor(draw_bias(rule, bias.shape[0], fan_in, rng), bias))
