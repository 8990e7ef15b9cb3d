"""Initial parameters of a whole network from one initializer and one random stream."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from initlab.init.registry import Initializer, Rng


def init_network(
    sizes: Sequence[int], initializer: Initializer, rng: Rng
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(W1, b1), (W2, b2), ...]`` with ``W_l`` of shape ``(sizes[l], sizes[l-1])``.

    Draws in order W1, (b1), W2, (b2), ... from ``rng``; a bias is drawn only when the initializer
    has a bias rule, else it is zero. So ``RandomState(3)`` with ``he`` is the course's
    ``np.random.seed(3)`` procedure.
    """
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        weight = np.asarray(initializer((fan_out, fan_in), rng), dtype=float)
        if initializer.bias is not None:
            bias = np.asarray(initializer.bias((fan_out,), fan_in, rng), dtype=float)
        else:
            bias = np.zeros(fan_out)
        layers.append((weight, bias))
    return layers
