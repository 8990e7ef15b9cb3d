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
7. the test set: a test cost above the cost of guessing without looking at the inputs (the
   training labels' frequencies, :mod:`initlab.analysis.chance`) and more than 10 times the
   training cost, or a test accuracy more than 15 points below the training accuracy →
   "overfits (…)", naming those numbers; it replaces "converged": a network confidently wrong on
   held-out points has learned the training set, not the task;
8. else by the final training accuracy: ≥ 95 % "converged"; below it, by how much the cost fell
   over the last tenth of the iterations (:func:`recent_fall`): more than 2 % "still learning",
   0.2–2 % "learns slowly", less: "stalled at A %" when the accuracy is more than 10 points above
   chance (the share of the most common class), else "not learning". Each names its numbers.
   Without the cost history (``recent`` not given) the older rule holds: "still learning" (or
   "learns slowly" after another clause) when the cost fell by more than half, else "not learning".

Tested on runs whose right answer is known (tests/analysis/test_verdict_runs.py): He on circles
converges, zeros fails to break symmetry, orthogonal on circles at 93 % after 15,000 iterations is
still learning, random on iris with test cost 8.8 overfits.

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


STILL_FALLING = 0.02  # the cost fell by more than 2 % over the last tenth: still learning


CREEPING = 0.002  # by 0.2–2 %: learns slowly; less: flat


ABOVE_CHANCE = 0.10  # a flat run this far above chance has stalled, not failed to learn


OVERFIT_COST_RATIO = 10.0  # test cost this many times the training cost (and above chance)


OVERFIT_GAP = 0.15  # test accuracy this far below the training accuracy


__all__ = [
    "CONVERGED_ACCURACY",
    "SATURATED_LOGIT",
    "RunFacts",
    "OUTCOMES",
    "facts_from_stats",
    "outcome",
    "recent_fall",
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
    test_cost: float | None = None
    test_accuracy: float | None = None
    chance_cost: float | None = None  # the cost of predicting the label frequencies
    chance_accuracy: float | None = None  # the share of the most common class
    recent: tuple[float, int] | None = None  # (relative fall of the cost, over how many iterations)


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
    test_cost: float | None = None,
    test_accuracy: float | None = None,
    chance: tuple[float, float] | None = None,
    recent: tuple[float, int] | None = None,
) -> RunFacts:
    """The :class:`RunFacts` of model ``k`` from its statistics at init and at the end;
    ``chance`` is ``(cost, accuracy)`` of guessing (:mod:`initlab.analysis.chance`), ``recent``
    the cost's fall at the end (:func:`recent_fall`)."""
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
        test_cost=test_cost,
        test_accuracy=test_accuracy,
        chance_cost=None if chance is None else chance[0],
        chance_accuracy=None if chance is None else chance[1],
        recent=recent,
    )


def recent_fall(
    costs: Sequence[tuple[int, float]], iterations: int, final_cost: float | None
) -> tuple[float, int] | None:
    """``(fall, span)``: how much the cost fell, relative to its value ``span`` iterations before
    the end, over at least the last tenth of the ``iterations`` (from the latest recorded cost at
    or before ``iterations − iterations/10``, to ``final_cost`` at the end). ``None`` without a
    finite final cost or an earlier recorded cost."""
    if final_cost is None or not math.isfinite(final_cost):
        return None
    start = iterations - max(iterations // 10, 1)
    earlier = [(i, c) for i, c in costs if i <= start and math.isfinite(c) and c > 0]
    if not earlier:
        return None
    i, c = earlier[-1]
    return (c - final_cost) / c, iterations - i


def _gradient_clause(ratio: float) -> str | None:
    if not math.isfinite(ratio) or ratio <= 0:
        return None
    if ratio > EXPLODING_RATIO:
        return f"exploding gradients (×{ratio:.2g} from the last hidden layer back to the first)"
    if ratio < 1 / EXPLODING_RATIO:
        return f"vanishing gradients (×{ratio:.2g} from the last hidden layer back to the first)"
    return None


#: what :func:`outcome` returns: how a run ended, in one word or two
OUTCOMES = (
    "diverged",
    "fails to break symmetry",
    "overfits",
    "converged",
    "still learning",
    "learns slowly",
    "stalled",
    "not learning",
)


def _symmetric(facts: RunFacts) -> bool:
    wide = [(n, d) for n, d in zip(facts.hidden_sizes, facts.distinct_units, strict=True) if n > 1]
    return bool(wide) and all(d == 1 for _, d in wide)


def outcome(facts: RunFacts) -> str:
    """How the run ended, one of :data:`OUTCOMES`: the last clause of :func:`verdict` without its
    numbers (the causes before it aside), for prose that groups runs by how they ended."""
    if facts.diverged_at is not None:
        return "diverged"
    if _symmetric(facts):
        return "fails to break symmetry"
    if _overfit_clause(facts):
        return "overfits"
    clause = _progress_clause(facts, after_other=False)
    return next(kind for kind in OUTCOMES if clause.startswith(kind))


def verdict(facts: RunFacts) -> str:
    """The one-line diagnosis for a run (rules in the module docstring)."""
    gradient = _gradient_clause(facts.gradient_ratio)
    if facts.diverged_at is not None:
        return "; ".join([f"diverged at iteration {facts.diverged_at}", *filter(None, [gradient])])
    if _symmetric(facts):
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
    parts.append(_overfit_clause(facts) or _progress_clause(facts, after_other=bool(parts)))
    return "; ".join(parts)


def _share(value: float) -> str:
    """A share in percent to 2 significant digits: 0.153 → ``"15%"``, 0.0044 → ``"0.44%"``."""
    return f"{100 * value:.2g}%"


def _overfit_clause(facts: RunFacts) -> str | None:
    """ "overfits (…)" when the test set says so (rule 7), else ``None``."""
    test, train = facts.test_cost, facts.final_cost
    if test is not None and train is not None and facts.chance_cost is not None:
        if test > facts.chance_cost and test > OVERFIT_COST_RATIO * train:
            return (
                f"overfits (test cost {test:.3g} against {train:.3g} in training, worse than "
                f"the {facts.chance_cost:.3g} of guessing: confidently wrong on held-out points)"
            )
    acc, held_out = facts.train_accuracy, facts.test_accuracy
    if acc is not None and held_out is not None and acc - held_out > OVERFIT_GAP:
        return f"overfits ({acc:.0%} on the training set, {held_out:.0%} on the test set)"
    return None


def _progress_clause(facts: RunFacts, *, after_other: bool) -> str:
    """ "converged", "still learning", "learns slowly", "stalled" or "not learning" (rule 8)."""
    accuracy = facts.train_accuracy or 0.0
    if accuracy >= CONVERGED_ACCURACY:
        return "converged"
    if facts.recent is None:  # no cost history: the overall fall of the cost
        if facts.final_cost is not None and facts.final_cost < 0.5 * facts.initial_cost:
            return "still learning" if not after_other else "learns slowly"
        return "not learning"
    fall, span = facts.recent
    over = f"over the last {span:,} iterations"
    if fall > STILL_FALLING:
        return f"still learning (cost fell {_share(fall)} {over})"
    if fall > CREEPING:
        return f"learns slowly (cost fell {_share(fall)} {over})"
    chance = facts.chance_accuracy
    if chance is not None and accuracy > chance + ABOVE_CHANCE:
        return f"stalled at {accuracy:.0%} (cost flat {over})"
    guess = f", guessing gives {chance:.0%}" if chance is not None else ""
    return f"not learning (train accuracy {accuracy:.0%}{guess}; cost flat {over})"
