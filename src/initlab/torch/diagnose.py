"""``diagnose``: every Linear/Conv layer of a PyTorch module on one batch, beside the theory.

One forward pass (and, with ``y`` and ``loss``, one backward pass) with hooks
(:mod:`initlab.torch.capture`). Per layer, in forward order, the numbers
:func:`initlab.diagnose` reports for its own networks (:mod:`initlab.analysis.layer_stats`):

- ``preact_mean``, ``preact_std``: mean and std of the layer's output z over every element;
- ``act_std``: std of a = φ(z), the output of the activation module run right after the layer
  when initlab knows it (:mod:`initlab.torch.activations`); empty otherwise (e.g. a functional
  ``F.relu`` inside ``forward`` is invisible to hooks);
- ``dead_fraction``: for activations with a flat side (ReLU), the share of units (features of a
  Linear, channels of a Conv) with φ'(z) = 0 on every sample and position;
- ``saturated_fraction``: for the others, the share of values with |φ'(z)| < 0.01;
- ``grad_norm``: ‖∂C/∂W‖_F and ``grad_preact_norm``: ‖∂C/∂z‖_F;
- ``theory_preact_std``: the mean-field prediction for a chain of Linear layers and known
  activations (:mod:`initlab.torch.chain`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from initlab.analysis.layer_stats import SATURATED_DERIVATIVE, has_flat_side
from initlab.errors import InitlabError
from initlab.torch.activations import activation, activation_spec
from initlab.torch.capture import Capture, capture, numpy64
from initlab.torch.chain import theory_preact_std
from initlab.torch.data import as_input, as_target
from initlab.torch.diagnostics import LayerRow, TorchDiagnostics
from initlab.torch.fans import torch_fans
from initlab.torch.layers import check_module, kind

MAX_HISTOGRAM_VALUES = 20_000  # activations kept per layer for the histograms


def _cross_entropy(output: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(output, y.long() if not y.is_floating_point() else y)


def _mse(output: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    target = y.to(output.dtype)
    if target.numel() == output.numel():
        target = target.reshape(output.shape)
    return F.mse_loss(output, target)


def _bce(output: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    target = y.to(output.dtype)
    if target.numel() == output.numel():
        target = target.reshape(output.shape)
    return F.binary_cross_entropy_with_logits(output, target)


#: losses by name (the CLI's ``--loss``): PyTorch's, from the logits; integer labels are cast
LOSSES: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "cross_entropy": _cross_entropy,
    "mse": _mse,
    "bce": _bce,
}


def _loss(loss: Any) -> tuple[Callable[..., torch.Tensor] | None, str | None]:
    if loss is None:
        return None, None
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise InitlabError(f"unknown loss {loss!r}; valid: {', '.join(LOSSES)}")
        return LOSSES[loss], loss
    if callable(loss):
        return loss, getattr(loss, "__name__", type(loss).__name__)
    raise InitlabError(
        f"loss must be a name ({', '.join(LOSSES)}) or a callable (output, y) -> scalar tensor; "
        f"got {type(loss).__name__}"
    )


def diagnose(module: nn.Module, X: Any, y: Any = None, *, loss: Any = None) -> TorchDiagnostics:
    """Per-layer statistics of ``module`` on the batch ``X`` (and the gradients of
    ``loss(module(X), y)``), as a :class:`TorchDiagnostics` (``.table()``, ``.figures()``,
    ``.report(out)``, ``.to_dict()``). See the module docstring for each number.

    ``loss`` is a callable ``(output, y) -> scalar`` (``F.cross_entropy``) or one of
    :data:`LOSSES`' names. The module runs as it is (train or eval mode); its parameters and
    their ``.grad`` are left untouched.

    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    >>> X, y = torch.randn(32, 4), torch.randint(0, 3, (32,))
    >>> result = diagnose(model, X, y, loss="cross_entropy")
    >>> list(result.table()["name"])
    ['0', '2']
    """
    module = check_module(module)
    loss_fn, loss_name = _loss(loss)
    if (y is None) != (loss_fn is None):
        raise InitlabError(
            "give y and loss together for the backward pass (or neither for the forward pass "
            "only); got " + ("y without loss" if y is not None else "loss without y")
        )
    inputs = as_input(module, X)
    target = as_target(module, y) if y is not None else None
    seen = capture(module, inputs, target, loss_fn)
    theory = theory_preact_std(module, numpy64(inputs)) if inputs.is_floating_point() else None
    rows = [_row(seen, i) for i in range(len(seen.layers))]
    if theory is not None and len(theory) == len(rows):
        for row, predicted in zip(rows, theory, strict=True):
            row.theory_preact_std = float(predicted)
    return TorchDiagnostics(
        model=type(module).__name__,
        batch_shape=tuple(int(n) for n in inputs.shape),
        loss=loss_name,
        loss_value=seen.loss,
        rows=rows,
        histogram_values=[_sample(seen, i) for i in range(len(seen.layers))],
        activation_specs=[_spec(seen, i) for i in range(len(seen.layers))],
    )


def _spec(seen: Capture, i: int) -> str | None:
    following = seen.activations[i]
    return activation_spec(following[0]) if following is not None else None


def _sample(seen: Capture, i: int) -> np.ndarray | None:
    """At most :data:`MAX_HISTOGRAM_VALUES` of the layer's activations (evenly strided)."""
    following = seen.activations[i]
    if following is None or activation_spec(following[0]) is None:
        return None
    flat = following[1].ravel()
    step = max(1, math.ceil(flat.size / MAX_HISTOGRAM_VALUES))
    return flat[::step]


def _norm(values: np.ndarray | None) -> float:
    return float(np.linalg.norm(values.ravel())) if values is not None else math.nan


def _row(seen: Capture, i: int) -> LayerRow:
    layer, z = seen.layers[i], seen.preacts[i]
    weight = numpy64(layer.weight)
    fan_in, fan_out = torch_fans(weight.shape)
    row = LayerRow(
        name=seen.names[i],
        kind=kind(layer),
        fan_in=fan_in,
        fan_out=fan_out,
        weight_std=float(weight.std()),
        preact_mean=float(z.mean()),
        preact_std=float(z.std()),
        grad_norm=_norm(seen.grad_w[i]),
        grad_preact_norm=_norm(seen.grad_z[i]),
    )
    following = seen.activations[i]
    phi = activation(following[0]) if following is not None else None
    if following is None or phi is None:
        return row
    row.activation = activation_spec(following[0]) or ""
    row.act_std = float(following[1].std())
    derivative = phi.derivative(z, following[1])
    if has_flat_side(phi):
        unit_axis = z.ndim - 1 if isinstance(layer, nn.Linear) else 1
        others = tuple(a for a in range(z.ndim) if a != unit_axis)
        row.dead_fraction = float((derivative == 0).all(axis=others).mean())
        row.saturated_fraction = 0.0
    else:
        row.dead_fraction = 0.0
        row.saturated_fraction = float((np.abs(derivative) < SATURATED_DERIVATIVE).mean())
    return row
