"""What both engines are given, prepared one way: the float types they run, the progress callback,
one learning rate per model, and per layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from initlab.nn.network import Network

#: the float types both engines train in (parameters, data and all the arithmetic)
DTYPES = ("float64", "float32")

#: ``progress(i)``, called with the number of finished iterations
Progress = Callable[[int], None]


def learning_rates(lr: float | np.ndarray, n_models: int, dtype: np.dtype) -> np.ndarray:
    """``lr`` (one learning rate, or one per model) as ``(K,)`` values of ``dtype`` (a read-only
    broadcast view; each engine copies it into the shape its step needs)."""
    return np.broadcast_to(np.asarray(lr, dtype=dtype), (n_models,))


def step_rates(
    network: Network, lr: float | np.ndarray, n_models: int, dtype: np.dtype
) -> np.ndarray:
    """``(K, L + 1, 2)`` values of ``dtype``: model k's η for layer l's W (``[k, l, 0]``) and b
    (``[k, l, 1]``), η times the parametrization's multipliers
    (:meth:`~initlab.nn.network.Network.multipliers`; all 1 under SP, so exactly η), and in row L
    the η of a residual network's α. Computed in ``dtype``, as the reference's ``lr·multiplier``."""
    m = network.multipliers()
    table = np.array([*zip(m.lr, m.bias_lr, strict=True), (1.0, 1.0)], dtype=dtype)
    rates = learning_rates(lr, n_models, dtype)[:, None, None] * table[None]
    return np.ascontiguousarray(rates, dtype=dtype)
