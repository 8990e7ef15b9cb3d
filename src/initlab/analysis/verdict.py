"""A one-line diagnosis of a run and a few sentences of why, worked out from its per-layer numbers.

The rules of :func:`verdict`, in order (each a clause of the line, joined by "; "):

1. the cost stopped being finite → "diverged at iteration i" (then only rule 6 adds its cause);
2. every hidden layer wider than one unit has a single distinct unit at the end → "fails to break
   symmetry" (see :mod:`initlab.analysis.symmetry`), and nothing else is said;
3. at initialization more than a quarter of the outputs are saturated (sigmoid: |z| > 4.6, where
   σ(1−σ) falls below 0.01) → "very large initial cost / saturated output";
4. more than a quarter of the hidden activations are saturated (|φ'| < 0.01; tanh, sigmoid) at
   init → "saturated hidden activations";
5. more than half of the hidden units are dead (φ' = 0 on every sample: ReLU never active) at init →
   "dead units";
6. the gradient ‖∂C/∂z‖ of the first hidden layer is more than 100 times that of the last hidden
   layer at init → "exploding gradients", less than 1/100 of it → "vanishing gradients";
7. then by the final training accuracy: ≥ 0.95 "converged", else "still learning" (or "learns
   slowly" after another clause) when the cost fell by more than half, else "not learning".

The numbers come from :class:`~initlab.analysis.layer_stats.LayerStats` at initialization and at
the end (:func:`facts_from_stats`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from initlab.analysis.layer_stats import SATURATED_LOGIT, LayerStats

SATURATED_SHARE = 0.25


SATURATED_HIDDEN_SHARE = 0.25


DEAD_SHARE = 0.5


EXPLODING_RATIO = 100.0


CONVERGED_ACCURACY = 0.95


__all__ = [
    "CONVERGED_ACCURACY",
    "SATURATED_LOGIT",
    "RunFacts",
    "facts_from_stats",
    "saturated_share",
    "verdict",
]


@dataclass(frozen=True)
class RunFacts:
    """The measurements a diagnosis reads: ``dead_share`` is the fraction of all hidden units,
    ``hidden_saturated_share`` of all hidden activations (units × samples)."""

    diverged_at: int | None
    hidden_sizes: tuple[int, ...]
    distinct_units: tuple[int, ...]
    initial_cost: float
    final_cost: float | None
    saturated_share: float
    train_accuracy: float | None
    dead_share: float = 0.0
    hidden_saturated_share: float = 0.0
    gradient_ratio: float = 1.0


def saturated_share(logits: np.ndarray) -> float:
    """Fraction of output logits with |z| > 4.6 (sigmoid derivative below 0.01)."""
    return float(np.mean(np.abs(logits) > SATURATED_LOGIT))


def unit_share(fractions: Sequence[float | None], sizes: Sequence[int]) -> float:
    """Per-layer fractions of units → the fraction of all those units (weighted by layer width)."""
    pairs = [(f, n) for f, n in zip(fractions, sizes, strict=True) if f is not None]
    total = sum(n for _, n in pairs)
    return sum(f * n for f, n in pairs) / total if total else 0.0


def facts_from_stats(
    initial: LayerStats,
    final: LayerStats,
    k: int,
    *,
    diverged_at: int | None,
    initial_cost: float,
    final_cost: float | None,
    train_accuracy: float | None,
) -> RunFacts:
    """The :class:`RunFacts` of model ``k`` from its statistics at init and at the end."""
    hidden = tuple(initial.sizes[1:-1])
    return RunFacts(
        diverged_at=diverged_at,
        hidden_sizes=hidden,
        distinct_units=tuple(int(d) for d in final.distinct[k]),
        initial_cost=initial_cost,
        final_cost=final_cost,
        saturated_share=float(initial.output_saturated[k]),
        train_accuracy=train_accuracy,
        dead_share=unit_share(initial.dead[k].tolist(), hidden),
        hidden_saturated_share=unit_share(initial.saturated[k].tolist(), hidden),
        gradient_ratio=initial.gradient_ratio(k),
    )


def _gradient_clause(ratio: float) -> str | None:
    if not math.isfinite(ratio) or ratio <= 0:
        return None
    if ratio > EXPLODING_RATIO:
        return f"exploding gradients (×{ratio:.2g} from the last hidden layer back to the first)"
    if ratio < 1 / EXPLODING_RATIO:
        return f"vanishing gradients (×{ratio:.2g} from the last hidden layer back to the first)"
    return None


def verdict(facts: RunFacts) -> str:
    """The one-line diagnosis for a run (rules in the module docstring)."""
    gradient = _gradient_clause(facts.gradient_ratio)
    if facts.diverged_at is not None:
        return "; ".join([f"diverged at iteration {facts.diverged_at}", *filter(None, [gradient])])
    wide = [(n, d) for n, d in zip(facts.hidden_sizes, facts.distinct_units, strict=True) if n > 1]
    if wide and all(d == 1 for _, d in wide):
        return "fails to break symmetry (each hidden layer acts as one unit)"
    parts = []
    if facts.saturated_share > SATURATED_SHARE:
        parts.append(
            f"very large initial cost ({facts.initial_cost:.3g}) / saturated output "
            f"({facts.saturated_share:.0%} of outputs at init)"
        )
    if facts.hidden_saturated_share > SATURATED_HIDDEN_SHARE:
        parts.append(f"saturated hidden activations ({facts.hidden_saturated_share:.0%} at init)")
    if facts.dead_share > DEAD_SHARE:
        parts.append(f"dead units ({facts.dead_share:.0%} of hidden units never active at init)")
    if gradient:
        parts.append(gradient)
    accuracy = facts.train_accuracy or 0.0
    if accuracy >= CONVERGED_ACCURACY:
        parts.append("converged")
    elif facts.final_cost is not None and facts.final_cost < 0.5 * facts.initial_cost:
        parts.append("still learning" if not parts else "learns slowly")
    else:
        parts.append("not learning")
    return "; ".join(parts)
