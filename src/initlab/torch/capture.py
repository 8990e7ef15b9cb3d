"""One forward (and backward) pass of a module with hooks: what every Linear/Conv layer computes.

A forward hook on every leaf module records its output in the order the modules run; the
Linear/Conv layers' outputs are their pre-activations ``z`` (the output of the layer before any
nonlinearity), and the output of the leaf module run right after a layer is, when it is an
activation initlab knows (:mod:`initlab.torch.activations`), that layer's activation ``a = φ(z)``.
With a loss, ``torch.autograd.grad`` gives ∂C/∂W and ∂C/∂z of every layer without touching the
parameters' ``.grad`` (the module is left exactly as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from initlab.errors import InitlabError
from initlab.torch.data import run_forward
from initlab.torch.layers import weight_layers

Loss = Callable[[Any, torch.Tensor], torch.Tensor]


@dataclass
class Capture:
    """Per Linear/Conv layer (forward order): ``names``, ``layers``, ``preacts`` (float64),
    ``activations`` (the next leaf module and its output, or ``None``), ``grad_w``/``grad_z``
    (float64 arrays or ``None`` without a loss); ``leaves`` every leaf module that ran, in order;
    ``loss`` the loss value."""

    names: list[str] = field(default_factory=list)
    layers: list[nn.Module] = field(default_factory=list)
    preacts: list[np.ndarray] = field(default_factory=list)
    activations: list[tuple[nn.Module, np.ndarray] | None] = field(default_factory=list)
    grad_w: list[np.ndarray | None] = field(default_factory=list)
    grad_z: list[np.ndarray | None] = field(default_factory=list)
    leaves: list[nn.Module] = field(default_factory=list)
    loss: float | None = None


def numpy64(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to(device="cpu", dtype=torch.float64).numpy()


def capture(
    module: nn.Module, X: torch.Tensor, y: torch.Tensor | None = None, loss: Loss | None = None
) -> Capture:
    """Run ``module`` on ``X`` (and ``loss(module(X), y)`` backward) with hooks; see the module
    docstring."""
    weights = {id(layer): name for name, layer in weight_layers(module)}
    if not weights:
        raise InitlabError("the module has no nn.Linear or nn.Conv1d/2d/3d layer to diagnose")
    watched = [
        child
        for _, child in module.named_modules()
        if id(child) in weights or not any(True for _ in child.children())
    ]
    runs: list[tuple[nn.Module, torch.Tensor]] = []

    def record(child: nn.Module, _inputs: Any, output: Any) -> None:
        if isinstance(output, torch.Tensor) and all(child is not c for c, _ in runs):
            runs.append((child, output))

    handles = [child.register_forward_hook(record) for child in watched]
    try:
        with torch.set_grad_enabled(loss is not None):
            output = run_forward(module, X)
    finally:
        for handle in handles:
            handle.remove()
    result = Capture(leaves=[child for child, _ in runs])
    outputs: list[torch.Tensor] = []
    for index, (child, out) in enumerate(runs):
        if id(child) not in weights:
            continue
        following = runs[index + 1] if index + 1 < len(runs) else None
        result.names.append(weights[id(child)])
        result.layers.append(child)
        result.preacts.append(numpy64(out))
        result.activations.append(
            (following[0], numpy64(following[1])) if following is not None else None
        )
        outputs.append(out)
    if loss is not None and y is not None:
        grads = _gradients(output, result.layers, outputs, y, loss)
        result.loss, result.grad_w, result.grad_z = grads
    else:
        result.grad_w = [None] * len(result.layers)
        result.grad_z = [None] * len(result.layers)
    return result


def _gradients(
    output: Any,
    layers: list[nn.Module],
    outputs: list[torch.Tensor],
    y: torch.Tensor,
    loss: Loss,
) -> tuple[float, list[np.ndarray | None], list[np.ndarray | None]]:
    """The loss and ∂C/∂W, ∂C/∂z of every layer (``None`` where the loss does not depend on it)."""
    try:
        value = loss(output, y)
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        shape = tuple(y.shape)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InitlabError(
            f"the loss cannot compare the module's output with y of shape {shape}: {reason}"
        ) from None
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise InitlabError("loss(output, y) must return a scalar tensor")
    tensors = [layer.weight for layer in layers] + outputs
    wanted = [t for t in tensors if t.requires_grad] if value.requires_grad else []
    grads = iter(torch.autograd.grad(value, wanted, allow_unused=True) if wanted else ())
    found: list[np.ndarray | None] = []
    for tensor in tensors:  # frozen weights and detached outputs have no gradient
        grad = next(grads) if value.requires_grad and tensor.requires_grad else None
        found.append(numpy64(grad) if grad is not None else None)
    grad_w, grad_z = found[: len(layers)], found[len(layers) :]
    return float(value.detach()), grad_w, grad_z
