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
    (Rows with non-finite entries, after a blow-up, are compared exactly.)
    """
    rows = np.column_stack([W, np.reshape(b, (-1, 1))])
    if not np.isfinite(rows).all():
        return int(len(np.unique(rows, axis=0)))
    tol = rtol * max(1.0, float(np.abs(rows).max(initial=0.0)))
    # Rows within tol in the max-norm have projections onto v within tol·Σv; so sorting the
    # projections and cutting where neighbours are further apart splits the rows into groups that
    # no copy crosses. Greedy within each group, in the original order, as over all rows at once.
    v = np.linspace(1.0, 2.0, rows.shape[1])
    projection = rows @ v
    order = np.argsort(projection, kind="stable")
    cuts = np.nonzero(np.diff(projection[order]) > tol * v.sum())[0] + 1
    return sum(_greedy(rows[np.sort(group)], tol) for group in np.split(order, cuts))


def _greedy(rows: np.ndarray, tol: float) -> int:
    """Representatives needed when each row joins the first one within ``tol``, else starts one."""
    if len(rows) == 1:
        return 1
    representatives = np.empty_like(rows)
    count = 0
    for row in rows:
        if count == 0 or np.abs(representatives[:count] - row).max(axis=1).min() > tol:
            representatives[count] = row
            count += 1
    return count


def distinct_per_layer(layers: list[tuple[np.ndarray, np.ndarray]]) -> list[int]:
    """:func:`distinct_units` of every hidden layer (the output layer is left out)."""
    return [distinct_units(W, b) for W, b in layers[:-1]]
