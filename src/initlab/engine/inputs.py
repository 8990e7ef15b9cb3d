"""What both engines are given, prepared one way: the float types they run, the progress callback,
one learning rate per model."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: the float types both engines train in (parameters, data and all the arithmetic)
DTYPES = ("float64", "float32")

#: ``progress(i)``, called with the number of finished iterations
Progress = Callable[[int], None]


def learning_rates(lr: float | np.ndarray, n_models: int, dtype: np.dtype) -> np.ndarray:
    """``lr`` (one learning rate, or one per model) as ``(K,)`` values of ``dtype`` (a read-only
    broadcast view; each engine copies it into the shape its step needs)."""
    return np.broadcast_to(np.asarray(lr, dtype=dtype), (n_models,))
