"""``lsuv_``: LSUV on any PyTorch module (Mishkin & Matas 2016, "All you need is a good init").

The paper's Algorithm 1 on the module's Linear and Conv layers: orthogonal pre-initialization
(biases zero), then, layer by layer in forward order, the variance of the layer's output on the
batch ``X`` — read by a forward hook — is brought to 1: ``W ← W / √Var(B)`` while
``|Var(B) − 1| ≥ tol``, at most ``max_iter`` times. The loop is initlab's own
:func:`~initlab.initializers.lsuv.lsuv_scale`, which this module feeds with the module's forward
pass; nothing of it is written twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from initlab import checks
from initlab.errors import InitlabError
from initlab.initializers.lsuv import lsuv_scale
from initlab.torch.data import as_input, run_forward
from initlab.torch.draw import to_tensor
from initlab.torch.init import init_
from initlab.torch.layers import check_module
from initlab.torch.order import forward_order


@dataclass(frozen=True)
class LsuvRecord:
    """What :func:`lsuv_` did: per layer (forward order) its ``name``, the ``scale`` its
    orthogonal weight was multiplied by, and the ``variance`` of its output on the batch after."""

    names: tuple[str, ...]
    scales: tuple[float, ...]
    variances: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": [
                {"name": n, "scale": s, "variance": v}
                for n, s, v in zip(self.names, self.scales, self.variances, strict=True)
            ]
        }

    def __repr__(self) -> str:
        rows = [f"  {n or '<module>'}: ×{s:.4g} → Var {v:.4g}" for n, s, v in self._rows()]
        return "\n".join([f"LsuvRecord: {len(self.names)} layers", *rows])

    def _rows(self) -> list[tuple[str, float, float]]:
        return list(zip(self.names, self.scales, self.variances, strict=True))


def lsuv_(
    module: nn.Module,
    X: Any,
    *,
    tol: float = 0.1,
    max_iter: int = 10,
    generator: torch.Generator | None = None,
) -> LsuvRecord:
    """LSUV on ``module`` in place with the batch ``X`` (see the module docstring); returns the
    scale applied to each Linear/Conv layer and its output variance after.

    ``generator`` draws the orthogonal pre-initialization (torch's default when ``None``).

    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3))
    >>> g = torch.Generator().manual_seed(0)
    >>> record = lsuv_(model, torch.randn(64, 5, generator=g), generator=g)
    >>> all(abs(v - 1) < 0.1 for v in record.variances)
    True
    """
    module = check_module(module)
    tol = checks.positive_number("tol", tol)
    max_iter = checks.positive_integer("max_iter", max_iter)
    X = as_input(module, X)
    init_(module, "orthogonal", generator=generator)
    layers = forward_order(module, X)
    before = [_matrix(layer) for _, layer in layers]

    def forward(current: list[tuple[np.ndarray, np.ndarray]], index: int) -> np.ndarray:
        for (_, layer), (weight, _) in zip(layers[: index + 1], current, strict=False):
            _write(layer, weight)
        return _outputs(module, X, layers[index][1])

    start = [(w, np.zeros(w.shape[0])) for w in before]
    try:
        scaled = lsuv_scale(start, forward, tol=tol, max_tries=max_iter)
    except InitlabError as error:
        raise InitlabError(_name_layer(str(error), layers)) from None
    for (_, layer), (weight, _) in zip(layers, scaled, strict=True):
        _write(layer, weight)
    scales = [_scale(w1, w0) for w0, (w1, _) in zip(before, scaled, strict=True)]
    variances = [float(np.var(_outputs(module, X, layer))) for _, layer in layers]
    return LsuvRecord(tuple(n for n, _ in layers), tuple(scales), tuple(variances))


def _matrix(layer: nn.Module) -> np.ndarray:
    weight = layer.weight.detach()
    return weight.to(device="cpu", dtype=torch.float64).numpy().reshape(weight.shape[0], -1)


def _write(layer: nn.Module, matrix: np.ndarray) -> None:
    with torch.no_grad():
        layer.weight.copy_(to_tensor(matrix.reshape(tuple(layer.weight.shape)), layer.weight))


def _outputs(module: nn.Module, X: torch.Tensor, layer: nn.Module) -> np.ndarray:
    """``layer``'s output on ``X`` (one forward pass of ``module``, read by a hook), float64."""
    seen: list[torch.Tensor] = []
    handle = layer.register_forward_hook(lambda _m, _i, output: seen.append(output.detach()))
    try:
        with torch.no_grad():
            run_forward(module, X)
    finally:
        handle.remove()
    return seen[0].to(device="cpu", dtype=torch.float64).numpy()


def _scale(after: np.ndarray, before: np.ndarray) -> float:
    norm = float(np.linalg.norm(before))
    return float(np.linalg.norm(after)) / norm if norm > 0 else math.nan


def _name_layer(message: str, layers: list[tuple[str, nn.Module]]) -> str:
    """lsuv_scale's message with its "layer N" replaced by the module's layer name."""
    for index, (name, _) in enumerate(layers):
        text = f"layer {index + 1}:"
        if text in message:
            return message.replace(text, f"layer {name or '<module>'!r}:")
    return message
