"""A one-line diagnosis of a run, worked out from the run's own numbers.

The rules, in order:

1. the cost stopped being finite → "diverged at iteration i";
2. every hidden layer wider than one unit has a single distinct unit at the end → "fails to break
   symmetry" (see :mod:`initlab.analysis.symmetry`);
3. at initialization more than a quarter of the output logits are saturated (|z| > 4.6, where the
   sigmoid's derivative σ(1−σ) falls below 0.01) → "very large initial cost / saturated output";
4. then by the final training accuracy: ≥ 0.95 "converged", else "still learning" when the cost
   fell by more than half, else "not learning".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SATURATED_LOGIT = 4.6  # sigmoid'(z) = σ(z)(1 − σ(z)) < 0.01 beyond |z| ≈ 4.6
SATURATED_SHARE = 0.25
CONVERGED_ACCURACY = 0.95


@dataclass(frozen=True)
class RunFacts:
    """The measurements a diagnosis reads."""

    diverged_at: int | None
    hidden_sizes: tuple[int, ...]
    distinct_units: tuple[int, ...]
    initial_cost: float
    final_cost: float | None
    saturated_share: float
    train_accuracy: float | None


def saturated_share(logits: np.ndarray) -> float:
    """Fraction of output logits with |z| > 4.6 (sigmoid derivative below 0.01)."""
    return float(np.mean(np.abs(logits) > SATURATED_LOGIT))


def diagnose(facts: RunFacts) -> str:
    """The one-line diagnosis for a run (rules in the module docstring)."""
    if facts.diverged_at is not None:
        return f"diverged at iteration {facts.diverged_at}"
    wide = [(n, d) for n, d in zip(facts.hidden_sizes, facts.distinct_units) if n > 1]
    if wide and all(d == 1 for _, d in wide):
        return "fails to break symmetry (each hidden layer acts as one unit)"
    parts = []
    if facts.saturated_share > SATURATED_SHARE:
        parts.append(
            f"very large initial cost ({facts.initial_cost:.3g}) / saturated output "
            f"({facts.saturated_share:.0%} of outputs at init)"
        )
    accuracy = facts.train_accuracy or 0.0
    if accuracy >= CONVERGED_ACCURACY:
        parts.append("converged")
    elif facts.final_cost is not None and facts.final_cost < 0.5 * facts.initial_cost:
        parts.append("still learning" if not parts else "learns slowly")
    else:
        parts.append("not learning")
    return "; ".join(parts)
