"""Drawing a PyTorch layer's weight and bias with an initlab initializer.

initlab's initializers draw ``(fan_out, fan_in)`` matrices with numpy. For a PyTorch weight of
shape ``(out, in, *kernel)`` the matrix drawn is ``(out, in·Πkernel)`` (the flattening
``torch.nn.init.orthogonal_`` uses), reshaped back. Its fan_in is PyTorch's; its fan_out is
``out`` where PyTorch's is ``out·Πkernel`` (:mod:`initlab.torch.fans`). For an initializer with a
variance rule (:mod:`initlab.initializers.variance`) that depends on fan_out (``mode=fan_out``,
Glorot's fan_avg), the drawn values are rescaled by √(Var(fan_in, fan_out_torch) /
Var(fan_in, out)): normal, truncated normal and uniform are scale families, so the law is then
exactly the one drawn for PyTorch's fans. Other initializers do not depend on fan_out.

The numbers come from a numpy ``Generator`` seeded from the given ``torch.Generator`` (four
64-bit integers drawn with ``torch.randint``), so the same generator state gives the same weights
and the generator moves on as PyTorch's own ``torch.nn.init`` functions move it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from initlab.errors import InitlabError
from initlab.initializers.registry import REGISTRY, Initializer
from initlab.torch.fans import torch_fans

_SEED_WORDS = 4
# initializers defined on a (fan_out, fan_in) matrix only, as torch's eye_ and sparse_ are
MATRIX_ONLY = ("identity", "sparse")


def numpy_generator(generator: torch.Generator | None) -> np.random.Generator:
    """A numpy ``Generator`` seeded by ``generator`` (PyTorch's default generator when ``None``,
    which ``torch.manual_seed`` sets); drawing the seed advances ``generator``."""
    if generator is not None and not isinstance(generator, torch.Generator):
        raise InitlabError(
            f"generator must be a torch.Generator (or None: torch's default generator); got "
            f"{type(generator).__name__}"
        )
    device = generator.device if generator is not None else "cpu"
    words = torch.randint(
        0, 2**63 - 1, (_SEED_WORDS,), generator=generator, dtype=torch.int64, device=device
    )
    return np.random.default_rng([int(w) for w in words.tolist()])


def fan_out_factor(initializer: Initializer, fan_in: int, out: int, fan_out: int) -> float:
    """The std factor that turns a draw for fans ``(fan_in, out)`` into one for ``(fan_in,
    fan_out)``: 1 unless the initializer's variance rule depends on fan_out."""
    if out == fan_out or initializer.name not in REGISTRY:
        return 1.0
    rule = REGISTRY[initializer.name].variance
    if rule is None or not rule.zero_mean(initializer.params):
        return 1.0
    drawn = rule.weight(initializer.params, fan_in, out)
    wanted = rule.weight(initializer.params, fan_in, fan_out)
    if not (drawn > 0 and math.isfinite(drawn) and math.isfinite(wanted)):
        return 1.0
    return math.sqrt(wanted / drawn)


def draw_weight(initializer: Initializer, shape: tuple[int, ...], rng: Any) -> np.ndarray:
    """A weight of PyTorch ``shape`` ``(out, in, *kernel)`` drawn by ``initializer`` for
    PyTorch's fans (see the module docstring), as float64."""
    out = int(shape[0])
    fan_in, fan_out = torch_fans(shape)
    if initializer.name in MATRIX_ONLY and len(shape) != 2 and initializer.name in REGISTRY:
        raise InitlabError(
            f"{initializer.name} needs a 2-D (fan_out, fan_in) weight, as torch's eye_ and "
            f"sparse_ do; this one has shape {tuple(shape)} (for a conv's identity use "
            "torch.nn.init.dirac_)"
        )
    matrix = np.asarray(initializer((out, fan_in), rng), dtype=float)
    if matrix.shape != (out, fan_in):
        raise InitlabError(
            f"initializer {initializer.spec!r} returned shape {matrix.shape} for a weight of "
            f"shape {(out, fan_in)}"
        )
    factor = fan_out_factor(initializer, fan_in, out, fan_out)
    if factor != 1.0:
        matrix = matrix * factor
    return matrix.reshape(shape)


def draw_bias(initializer: Initializer, out: int, fan_in: int, rng: Any) -> np.ndarray:
    """The bias under ``initializer``'s bias rule (PyTorch's fan_in), zeros when it has none."""
    if initializer.bias is None:
        return np.zeros(out)
    return np.asarray(initializer.bias((out,), fan_in, rng), dtype=float).reshape(out)


def to_tensor(values: np.ndarray, like: torch.Tensor) -> torch.Tensor:
    """``values`` on ``like``'s device and in its dtype (rounded once, from float64)."""
    return torch.from_numpy(np.ascontiguousarray(values)).to(device=like.device, dtype=like.dtype)
