"""A one-line diagnosis of a run and a few sentences of why, worked out from its per-layer numbers.

The rules of :func:`diagnose`, in order (each a clause of the line, joined by "; "):

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
the end (:func:`facts_from_stats`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
    "diagnose",
    "explain",
    "facts_from_stats",
    "saturated_share",
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


def diagnose(facts: RunFacts) -> str:
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


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


def _layers_text(hidden: Sequence[int]) -> str:
    """``"10, 5 units"`` or, for many equal layers, ``"20 layers of 64 units"``."""
    if len(hidden) > 4 and len(set(hidden)) == 1:
        return f"{len(hidden)} layers of {hidden[0]} units"
    return ", ".join(map(str, hidden)) + " units"


def _sigma_text(sigma_w2: Sequence[float | None]) -> str:
    """``σ_w² = 2 in every layer``, ``σ_w² = 200, 1e+03, 500`` or ``σ_w² from 200 to 6.4e+03``."""
    values = [v for v in sigma_w2 if v is not None]
    if values and max(values) - min(values) <= 1e-9 * max(abs(max(values)), 1e-300):
        return f"σ_w² = {_fmt(values[0])} in every layer"
    if len(values) <= 4:
        return "σ_w² = " + ", ".join(_fmt(v) for v in values) + " by layer"
    return f"σ_w² from {_fmt(min(values))} to {_fmt(max(values))}"


def explain(
    *,
    sizes: Sequence[int],
    at_init: Mapping[str, Any] | None,
    at_end: Mapping[str, Any] | None,
    theory: Mapping[str, Any] | None = None,
    diverged_at: int | None = None,
    initial_cost: float | None = None,
    final_cost: float | None = None,
    train_accuracy: float | None = None,
    test_accuracy: float | None = None,
) -> str:
    """A few sentences saying why a run ended as it did, from its per-layer numbers.

    ``at_init``/``at_end`` are :meth:`LayerStats.model` dicts, ``theory`` the theory's prediction
    (``sigma_w2``, ``chi``, ``pre_std`` lists) or ``None``; ``sizes`` the network's layer sizes.
    """
    hidden = list(sizes[1:-1])
    sentences = []
    if diverged_at is not None:
        sentences.append(
            f"The cost stopped being a finite number at iteration {diverged_at}: the steps were "
            "too large for these weights, so the parameters blew up."
        )
    if at_end is not None and diverged_at is None and hidden:
        distinct = at_end["distinct"]
        if all(d == 1 for d, n in zip(distinct, hidden, strict=True) if n > 1) and max(hidden) > 1:
            sentences.append(
                f"After training every hidden layer ({_layers_text(hidden)}) still has one "
                "distinct unit: its units started equal, received equal gradients and stayed "
                "copies, so the network computes what one unit per layer would."
            )
        elif list(distinct) == list(hidden):
            sentences.append(
                f"Symmetry was broken: every unit of the hidden layers ({_layers_text(hidden)}) "
                "is distinct after training."
            )
        else:
            sentences.append(
                "Symmetry was broken only in part: "
                + ", ".join(f"{d} of {n}" for d, n in zip(distinct, hidden, strict=True))
                + " units of the hidden layers are distinct after training."
            )
    if at_init is not None and hidden:
        std = at_init["pre_std"]
        signal = (
            f"At initialization the spread (std) of the pre-activations goes from "
            f"{_fmt(std[0])} in hidden layer 1 to {_fmt(std[len(hidden) - 1])} in hidden layer "
            f"{len(hidden)} and {_fmt(std[-1])} at the output"
        )
        if theory is not None:
            chi = [c for c in theory["chi"] if c is not None]
            typical = np.exp(np.mean(np.log(chi))) if chi and min(chi) > 0 else None
            chi_text = f", χ ≈ {typical:.3g} per layer" if typical is not None else ""
            signal += (
                f" (mean-field theory: {_fmt(theory['pre_std'][0])} → "
                f"{_fmt(theory['pre_std'][len(hidden) - 1])} → {_fmt(theory['pre_std'][-1])}, "
                f"{_sigma_text(theory['sigma_w2'])}{chi_text})"
            )
        sentences.append(signal + ".")
        ratio = at_init.get("gradient_ratio")
        if ratio is not None and len(hidden) > 1 and ratio > 0:
            trend = (
                "explodes"
                if ratio > EXPLODING_RATIO
                else "grows"
                if ratio > 3
                else "vanishes"
                if ratio < 1 / EXPLODING_RATIO
                else "shrinks"
                if ratio < 1 / 3
                else "keeps about its size"
            )
            sentences.append(
                f"Going back from the last hidden layer to the first the gradient ‖∂C/∂z‖ "
                f"{trend} (×{ratio:.3g})."
            )
        dead = unit_share(at_init["dead"], hidden)
        if dead > 0.05:
            sentences.append(
                f"{dead:.0%} of the hidden units are dead at the start (never active on the "
                "training data), so no gradient reaches their weights."
            )
        saturated = unit_share(at_init["saturated"], hidden)
        if saturated > 0.05:
            sentences.append(
                f"{saturated:.0%} of the hidden activations are saturated at the start "
                "(|φ'| < 0.01), so little gradient passes through them."
            )
        share = at_init.get("output_saturated") or 0.0
        if share > SATURATED_SHARE:
            cost = f" gave an initial cost of {initial_cost:.4g} and" if initial_cost else ""
            sentences.append(
                f"At the start {share:.0%} of the outputs were saturated (|logit| > 4.6), so "
                f"confident wrong answers{cost} tiny gradients."
            )
    if diverged_at is None and final_cost is not None and initial_cost is not None:
        ending = f"The cost went from {initial_cost:.4g} to {final_cost:.4g}"
        if train_accuracy is not None:
            ending += f"; accuracy ended at {train_accuracy:.1%} on the training set"
            if test_accuracy is not None:
                ending += f" and {test_accuracy:.1%} on the test set"
        sentences.append(ending + ".")
    return " ".join(sentences)
