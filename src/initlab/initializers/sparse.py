"""Sparse initialization (Martens 2010, "Deep learning via Hessian-free optimization").

As PyTorch's ``sparse_(sparsity, std)``: N(0, std²) everywhere, then in every column (every
input's outgoing weights) exactly ``ceil(sparsity · fan_out)`` entries, chosen by a random
permutation of the rows, set to zero. (PyTorch computes the count as
``math.ceil(sparsity * rows)`` in floating point, so e.g. sparsity 0.07 of 100 rows zeroes 8;
initlab does the same.)
"""

from __future__ import annotations

import math

from initlab import checks
from initlab.initializers.registry import WeightFn, register
from initlab.initializers.sampling import standard_normal


@register(
    "sparse",
    formula="W ~ N(0, std²), then ceil(sparsity·fan_out) zeros in every column",
    frameworks={"pytorch": "sparse_(sparsity, std)"},
)
def sparse(sparsity: float = 0.1, std: float = 0.01) -> WeightFn:
    """Sparse weights; ``sparsity`` in [0, 1) (PyTorch requires it, initlab defaults to 0.1),
    ``std`` PyTorch's default 0.01."""
    sparsity = checks.fraction("sparsity", sparsity)
    std = checks.non_negative("std", std)

    def draw(shape, rng):
        rows, cols = shape
        n_zeros = int(math.ceil(sparsity * rows))
        weight = standard_normal(rng, (rows, cols)) * std
        for col in range(cols):
            weight[rng.permutation(rows)[:n_zeros], col] = 0.0
        return weight

    return draw
