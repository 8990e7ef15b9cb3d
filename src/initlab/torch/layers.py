"""The layers ``initlab.torch`` works on: every ``nn.Linear`` and ``nn.Conv1d/2d/3d`` of a module.

Layers are named by their qualified name in ``module.named_modules()`` (``"features.0"``,
``"head"``), their weight by ``"<name>.weight"`` as in ``module.named_parameters()``.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from initlab.errors import InitlabError

WEIGHT_LAYERS: tuple[type[nn.Module], ...] = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


def check_module(module: Any, label: str = "module") -> nn.Module:
    """``module`` if it is a ``torch.nn.Module``; else an InitlabError naming what it is."""
    if not isinstance(module, nn.Module):
        raise InitlabError(f"{label} must be a torch.nn.Module; got {type(module).__name__}")
    return module


def weight_layers(module: nn.Module) -> list[tuple[str, nn.Module]]:
    """``(qualified name, layer)`` of every Linear and Conv1d/2d/3d in ``module``, in the order of
    ``named_modules()`` (the module itself is named ``""`` when it is one)."""
    module = check_module(module)
    return [(name, layer) for name, layer in module.named_modules() if _is_weight_layer(layer)]


def _is_weight_layer(layer: nn.Module) -> bool:
    return isinstance(layer, WEIGHT_LAYERS) and isinstance(
        getattr(layer, "weight", None), nn.Parameter
    )


def kind(layer: nn.Module) -> str:
    """The layer's class name: ``"Linear"``, ``"Conv2d"``, …"""
    return type(layer).__name__


def label(name: str, layer: nn.Module) -> str:
    """How an error names a layer: ``"head" (Linear 10→2)``."""
    shape = tuple(layer.weight.shape)
    return f"{name or '<the module itself>'!r} ({kind(layer)}, weight {shape})"
