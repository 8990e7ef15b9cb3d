"""The result of :func:`initlab.compare`: the runs, their table, figures, JSON and report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from initlab.analysis.verdict import EXPLODING_RATIO, SATURATED_SHARE, unit_share
from initlab.data.dataset import Dataset
from initlab.runs.run import Run


def explain_run(run: Run) -> str:
    """A few sentences saying why a run ended as it did, from its per-layer statistics
    (:func:`initlab.analysis.verdict.explain`) when the run has them, else from its facts."""
    facts = run.facts
    if "layers" in facts:
        text = explain_layers(
            sizes=[0, *facts.get("hidden_sizes", []), 0],
            at_init=facts["layers"]["init"],
            at_end=facts["layers"]["end"],
            theory=facts.get("theory"),
            diverged_at=run.diverged_at,
            initial_cost=run.initial_cost if run.costs else None,
            final_cost=run.final_cost,
            train_accuracy=run.train_accuracy,
            test_accuracy=run.test_accuracy,
        )
        return " ".join([text, *_per_class_sentence(facts)])
    if run.diverged:
        return (
            f"The cost stopped being a finite number at iteration {run.diverged_at}: the steps "
            "were too large for these weights, so the parameters blew up."
        )
    sentences = []
    distinct = facts.get("distinct_units", [])
    sizes = facts.get("hidden_sizes", [])
    if distinct and all(d == 1 for d, n in zip(distinct, sizes, strict=True) if n > 1):
        units = " and ".join(f"all {n} units of hidden layer {i + 1}" for i, n in enumerate(sizes))
        sentences.append(
            f"After training, {units} still have "
            "identical weights: starting equal, they received equal gradients, so the network "
            "computes what one unit per layer would."
        )
    else:
        sentences.append(
            "Every hidden unit ended different from its neighbours ("
            + ", ".join(f"{d} of {n}" for d, n in zip(distinct, sizes, strict=True))
            + " distinct), so symmetry was broken."
        )
    share = facts.get("initial_saturated_share", 0.0)
    if share > 0.25:
        sentences.append(
            f"At the start {share:.0%} of the outputs were saturated (|logit| > 4.6), so confident "
            f"wrong answers gave an initial cost of {run.initial_cost:.4g} and tiny gradients."
        )
    if run.costs:
        sentences.append(
            f"The cost went from {run.initial_cost:.4g} to {run.final_cost:.4g}; accuracy ended at "
            f"{run.train_accuracy:.1%} on the training set and {run.test_accuracy:.1%} on the "
            "test set."
        )
    return " ".join(sentences + _per_class_sentence(facts))


def _per_class_sentence(facts: dict[str, Any]) -> list[str]:
    per_class = facts.get("test_per_class_accuracy")
    if not per_class:
        return []
    return [
        "Per class on the test set: "
        + ", ".join(f"{name} {'–' if a is None else f'{a:.0%}'}" for name, a in per_class.items())
        + "."
    ]


def no_boundary_note(dataset: Dataset) -> str:
    """Why a report on data that is not 2-D has no decision-boundary figure."""
    n = dataset.n_features
    return (
        f" There is no decision-boundary figure: the data has {n} feature{'s' if n != 1 else ''}, "
        "and a boundary can be drawn only over a plane of exactly 2 inputs; the runs are compared "
        "by their costs and their accuracies on the training and the test set."
    )


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


def explain_layers(
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
