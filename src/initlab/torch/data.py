"""The batch a module is run on: ``X`` (and labels ``y``) as tensors, and one checked forward pass.

``X`` may be a ``torch.Tensor`` or anything numpy reads as a numeric array; floating-point data
takes the module's parameter dtype and device (integer data, e.g. token ids, keeps its dtype).
A batch the module cannot take (wrong shape, wrong number of features) is reported as an
:class:`InitlabError` naming ``X``'s shape and PyTorch's reason.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from initlab.errors import InitlabError


def _parameter(module: nn.Module) -> torch.Tensor | None:
    return next(iter(module.parameters()), None)


def as_tensor(values: Any, label: str) -> torch.Tensor:
    """``values`` as a tensor (numpy arrays and nested lists accepted); at least one sample."""
    if isinstance(values, torch.Tensor):
        tensor = values.detach()
    else:
        try:
            array = np.asarray(values)
        except (TypeError, ValueError) as error:
            raise InitlabError(f"{label} must be an array or a tensor: {error}") from None
        if array.dtype.kind not in "biuf":
            raise InitlabError(
                f"{label} must be a numeric array or tensor; got {type(values).__name__} of "
                f"dtype {array.dtype}"
            )
        tensor = torch.from_numpy(np.ascontiguousarray(array))
    if tensor.ndim == 0 or tensor.shape[0] == 0:
        raise InitlabError(
            f"{label} must hold a batch of samples (first axis ≥ 1); got shape "
            f"{tuple(tensor.shape)}"
        )
    return tensor


def as_input(module: nn.Module, X: Any) -> torch.Tensor:
    """``X`` on the module's device; floating-point values in the module's dtype."""
    tensor = as_tensor(X, "X")
    parameter = _parameter(module)
    if parameter is None:
        return tensor
    if tensor.is_floating_point():
        return tensor.to(device=parameter.device, dtype=parameter.dtype)
    return tensor.to(device=parameter.device)


def as_target(module: nn.Module, y: Any) -> torch.Tensor:
    """Labels or targets ``y`` on the module's device (dtype kept; float64 → module dtype)."""
    tensor = as_tensor(y, "y")
    parameter = _parameter(module)
    if parameter is None:
        return tensor
    if tensor.is_floating_point():
        return tensor.to(device=parameter.device, dtype=parameter.dtype)
    return tensor.to(device=parameter.device)


def run_forward(module: nn.Module, X: torch.Tensor) -> Any:
    """``module(X)``; a batch it cannot take raises an InitlabError naming ``X``'s shape."""
    try:
        return module(X)
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InitlabError(
            f"X of shape {tuple(X.shape)} and dtype {X.dtype} does not fit the module "
            f"({type(module).__name__}): {reason}"
        ) from None
