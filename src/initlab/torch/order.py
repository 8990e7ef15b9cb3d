"""The forward order of a module's layers: which leaf modules run, in which order, on a batch.

``named_modules()`` gives the order in which modules were *declared*; a ``forward`` may call them
in another order, or not at all. One forward pass with a hook on every leaf module records the
order they actually run in (a module called twice counts at its first call).
"""

from __future__ import annotations

import torch
from torch import nn

from initlab.torch.data import run_forward
from initlab.torch.layers import weight_layers


def leaf_order(module: nn.Module, X: torch.Tensor) -> list[tuple[str, nn.Module]]:
    """``(name, module)`` of every leaf module (no children) in the order it first runs on ``X``,
    and the Linear/Conv layers among them even when they have children."""
    weights = {id(layer) for _, layer in weight_layers(module)}
    watched = [
        (name, child)
        for name, child in module.named_modules()
        if not any(True for _ in child.children()) or id(child) in weights
    ]
    order: list[tuple[str, nn.Module]] = []
    seen: set[int] = set()

    def hook(name: str, child: nn.Module):
        def record(_module, _inputs, _output) -> None:
            if id(child) not in seen:
                seen.add(id(child))
                order.append((name, child))

        return record

    handles = [child.register_forward_hook(hook(name, child)) for name, child in watched]
    try:
        with torch.no_grad():
            run_forward(module, X)
    finally:
        for handle in handles:
            handle.remove()
    return order


def forward_order(module: nn.Module, X: torch.Tensor) -> list[tuple[str, nn.Module]]:
    """The Linear/Conv layers of ``module`` in the order they run on ``X`` (unused ones left
    out)."""
    weights = {id(layer) for _, layer in weight_layers(module)}
    return [(name, layer) for name, layer in leaf_order(module, X) if id(layer) in weights]
