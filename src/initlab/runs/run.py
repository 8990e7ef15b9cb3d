"""The result of one training run: what ran, its cost history and how well it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Run:
    """One model's run. Accuracies and final costs are ``None`` when the run diverged.

    ``costs`` is ``[(iteration, cost), ...]`` every ``every`` iterations up to divergence;
    ``initial_params`` / ``final_params`` are ``[(W (out, in), b (out,)), ...]``.
    """

    init: str
    seed: int
    costs: list[tuple[int, float]]
    final_cost: float | None
    test_cost: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    diverged_at: int | None
    diagnosis: str
    initial_params: list[tuple[np.ndarray, np.ndarray]] = field(repr=False)
    final_params: list[tuple[np.ndarray, np.ndarray]] = field(repr=False)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def initial_cost(self) -> float:
        return self.costs[0][1] if self.costs else float("nan")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers: no NaN, diverged runs carry ``None``."""
        return {
            "init": self.init,
            "seed": self.seed,
            "costs": [[i, c] for i, c in self.costs],
            "final_cost": self.final_cost,
            "test_cost": self.test_cost,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "diverged": self.diverged,
            "diverged_at": self.diverged_at,
            "diagnosis": self.diagnosis,
            **self.facts,
        }
