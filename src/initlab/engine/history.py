"""What a training run of K models leaves behind."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from initlab.engine.params import Params


@dataclass
class History:
    """Costs every ``every`` iterations and the final parameters of K models trained together.

    ``costs[k, j]`` is model k's cost at iteration ``iterations[j]``, before that iteration's update
    (as the course prints it); NaN once the model has diverged. ``diverged_at[k]`` is the first
    iteration whose cost was not finite, or -1. ``final_costs`` is the cost after the last update.
    ``engine`` says which engine ran (``"numpy"`` or ``"fast"``), ``dtype`` in which float type,
    and ``note`` why, when it is not the one asked for (empty otherwise).
    """

    iterations: np.ndarray
    costs: np.ndarray
    final_costs: np.ndarray
    diverged_at: np.ndarray
    params: Params
    engine: str = "numpy"
    dtype: str = "float64"
    note: str = ""  # e.g. why the fast engine was asked for but numpy ran

    @property
    def n_models(self) -> int:
        return int(self.costs.shape[0])

    def diverged(self, k: int) -> bool:
        return bool(self.diverged_at[k] >= 0)

    def cost_pairs(self, k: int) -> list[tuple[int, float]]:
        """``[(iteration, cost), ...]`` for model k, up to its divergence."""
        return [
            (int(i), float(c))
            for i, c in zip(self.iterations, self.costs[k], strict=True)
            if np.isfinite(c)
        ]


def empty_records(
    n_models: int, iterations: int, every: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(recorded, costs, diverged_at)`` before training: the iterations whose cost is recorded
    (``0, every, 2·every, …`` below ``iterations``), costs ``(K, len(recorded))`` all NaN, and
    ``diverged_at`` ``(K,)`` all −1 — what both engines fill in."""
    recorded = np.arange(0, iterations, every)
    costs = np.full((n_models, recorded.size), np.nan)
    diverged_at = np.full(n_models, -1, dtype=np.int64)
    return recorded, costs, diverged_at
