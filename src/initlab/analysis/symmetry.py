"""Symmetry: how many units of a layer are really different.

Two units are copies when their incoming weights and bias are equal within a tolerance; copies
receive equal gradients under gradient descent and stay copies. A layer with one distinct unit
"fails to break symmetry": it computes what a single unit would.
"""

from __future__ import annotations

import numpy as np


def distinct_units(W: np.ndarray, b: np.ndarray, rtol: float = 1e-9) -> int:
    """Number of distinct rows of ``[W | b]`` (``W`` of shape ``(units, fan_in)``, ``b`` (units,)).

    Rows closer than ``rtol`` × (largest absolute entry, at least 1) in the max-norm count as one.
    """
    rows = np.column_stack([W, np.reshape(b, (-1, 1))])
    tol = rtol * max(1.0, float(np.abs(rows).max(initial=0.0)))
    representatives: list[np.ndarray] = []
    for row in rows:
        if not any(np.max(np.abs(row - rep)) <= tol for rep in representatives):
            representatives.append(row)
    return len(representatives)


def distinct_per_layer(layers: list[tuple[np.ndarray, np.ndarray]]) -> list[int]:
    """:func:`distinct_units` of every hidden layer (the output layer is left out)."""
    return [distinct_units(W, b) for W, b in layers[:-1]]
