"""Why each run ended as it did: a few sentences from its numbers, for the reports.

:func:`explain_layers` reads the per-layer statistics at initialization and at the end
(:mod:`initlab.analysis.layer_stats`) and the mean-field theory's prediction
(:mod:`initlab.analysis.prediction`); :func:`explain_run` does the same for a run of
:func:`initlab.compare`, or reads its plain facts when it has no per-layer numbers. The thresholds
are the verdict's (:mod:`initlab.analysis.verdict`), so the sentences and the one-line diagnosis
agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from initlab.analysis.verdict import EXPLODING_RATIO, SATURATED_SHARE, unit_share
from initlab.data.dataset import Dataset
from initlab.report.format import MISSING_STATISTIC, number, percent
from initlab.runs.run import Run

DEAD_SHOWN = 0.05  # a share of dead or saturated hidden units worth a sentence
RUN_SATURATED_SHOWN = 0.25  # without per-layer numbers: the share of saturated outputs told


def explain_run(run: Run) -> str:
    """A few sentences saying why a run ended as it did, from its per-layer statistics
    (:func:`explain_layers`) when the run has them, else from its facts."""
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
        return _diverged_sentence(run.diverged_at)
    sentences = []
    distinct = facts.get("distinct_units", [])
    sizes = facts.get("hidden_sizes", [])
    if distinct and _one_unit_per_layer(distinct, sizes):
        units = " and ".join(f"all {n} units of hidden layer {i + 1}" for i, n in enumerate(sizes))
        sentences.append(
            f"After training, {units} still have "
            "identical weights: starting equal, they received equal gradients, so the network "
            "computes what one unit per layer would."
        )
    else:
        sentences.append(
            "Every hidden unit ended different from its neighbours ("
            + _distinct_counts(distinct, sizes)
            + " distinct), so symmetry was broken."
        )
    share = facts.get("initial_saturated_share", 0.0)
    if share > RUN_SATURATED_SHOWN:
        sentences.append(_saturated_output_sentence(share, run.initial_cost))
    if run.costs:
        sentences.append(
            _ending_sentence(
                run.initial_cost, run.final_cost, run.train_accuracy, run.test_accuracy
            )
        )
    return " ".join(sentences + _per_class_sentence(facts))


def _per_class_sentence(facts: dict[str, Any]) -> list[str]:
    per_class = facts.get("test_per_class_accuracy")
    if not per_class:
        return []
    return [
        "Per class on the test set: "
        + ", ".join(f"{name} {percent(a, 0, MISSING_STATISTIC)}" for name, a in per_class.items())
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


def _layers_text(hidden: Sequence[int]) -> str:
    """``"10, 5 units"`` or, for many equal layers, ``"20 layers of 64 units"``."""
    if len(hidden) > 4 and len(set(hidden)) == 1:
        return f"{len(hidden)} layers of {hidden[0]} units"
    return ", ".join(map(str, hidden)) + " units"


def _sigma_text(sigma_w2: Sequence[float | None]) -> str:
    """``σ_w² = 2 in every layer``, ``σ_w² = 200, 1e+03, 500`` or ``σ_w² from 200 to 6.4e+03``."""
    values = [v for v in sigma_w2 if v is not None]
    if values and max(values) - min(values) <= 1e-9 * max(abs(max(values)), 1e-300):
        return f"σ_w² = {number(values[0])} in every layer"
    if len(values) <= 4:
        return "σ_w² = " + ", ".join(number(v) for v in values) + " by layer"
    return f"σ_w² from {number(min(values))} to {number(max(values))}"


def _one_unit_per_layer(distinct: Sequence[int], sizes: Sequence[int]) -> bool:
    """Whether every hidden layer of more than one unit has a single distinct unit."""
    return all(d == 1 for d, n in zip(distinct, sizes, strict=True) if n > 1)


def _distinct_counts(distinct: Sequence[int], sizes: Sequence[int]) -> str:
    """``"10 of 10, 3 of 5"``: distinct units of each hidden layer."""
    return ", ".join(f"{d} of {n}" for d, n in zip(distinct, sizes, strict=True))


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
    In order: divergence, symmetry after training, the signal and the gradient at initialization
    (beside the theory), dead and saturated units, saturated outputs, and how the cost ended.
    """
    hidden = list(sizes[1:-1])
    sentences = []
    if diverged_at is not None:
        sentences.append(_diverged_sentence(diverged_at))
    zero_start = at_init is not None and _no_hidden_gradient(at_init)
    if at_end is not None and diverged_at is None and hidden:
        sentences.append(_symmetry_sentence(at_end["distinct"], hidden))
        if zero_start and _one_unit_per_layer(at_end["distinct"], hidden):
            sentences.append(_zero_gradient_sentence(at_end))
    if at_init is not None and hidden:
        sentences.append(_signal_sentence(at_init["pre_std"], theory, len(hidden)))
        sentences += _gradient_sentence(at_init.get("gradient_ratio"), len(hidden))
        sentences += [] if zero_start else _unit_sentences(at_init, hidden)
        share = at_init.get("output_saturated") or 0.0
        if share > SATURATED_SHARE:
            sentences.append(_saturated_output_sentence(share, initial_cost))
    if diverged_at is None and final_cost is not None and initial_cost is not None:
        sentences.append(_ending_sentence(initial_cost, final_cost, train_accuracy, test_accuracy))
    return " ".join(sentences)


def _diverged_sentence(diverged_at: int | None) -> str:
    return (
        f"The cost stopped being a finite number at iteration {diverged_at}: the steps were "
        "too large for these weights, so the parameters blew up."
    )


def _no_hidden_gradient(stats: Mapping[str, Any]) -> bool:
    """Whether ‖∂C/∂z‖ is exactly 0 in every hidden layer (all-zero weights do that)."""
    hidden = list(stats.get("grad_z") or [])[:-1]
    return bool(hidden) and all(g == 0 for g in hidden)


def _zero_gradient_sentence(at_end: Mapping[str, Any]) -> str:
    """Why zero weights give the hidden layers no gradient at all, and whether that lasted."""
    sentence = (
        "Here the gradient reaching the hidden layers was exactly zero at the start: on the way "
        "back each layer's ∂C/∂z is multiplied by the next layer's weights, and those were zero"
    )
    if _no_hidden_gradient(at_end):
        return (
            sentence + "; it was still exactly zero at the end, so the hidden layers never moved."
        )
    return (
        sentence + "; once the output weights moved, the hidden units got gradients, but "
        "identical ones within each layer."
    )


def _symmetry_sentence(distinct: Sequence[int], hidden: Sequence[int]) -> str:
    """Whether training broke the symmetry of the hidden units: not at all, fully or in part."""
    if _one_unit_per_layer(distinct, hidden) and max(hidden) > 1:
        return (
            f"After training every hidden layer ({_layers_text(hidden)}) still has one "
            "distinct unit: units that start identical compute the same thing, so they "
            "receive identical gradients and stay identical, and the network computes what "
            "one unit per layer would."
        )
    if list(distinct) == list(hidden):
        return (
            f"Symmetry was broken: every unit of the hidden layers ({_layers_text(hidden)}) "
            "is distinct after training."
        )
    return (
        "Symmetry was broken only in part: "
        + _distinct_counts(distinct, hidden)
        + " units of the hidden layers are distinct after training."
    )


def _signal_sentence(
    std: Sequence[float | None], theory: Mapping[str, Any] | None, n_hidden: int
) -> str:
    """The spread of the pre-activations at init from the first hidden layer to the output, and
    the theory's (with σ_w² and the typical χ, the geometric mean over the layers) beside it."""
    if n_hidden == 1:
        signal = (
            f"At initialization the spread (std) of the pre-activations is {number(std[0])} in "
            f"the hidden layer and {number(std[-1])} at the output"
        )
    else:
        signal = (
            f"At initialization the spread (std) of the pre-activations goes from "
            f"{number(std[0])} in hidden layer 1 to {number(std[n_hidden - 1])} in hidden layer "
            f"{n_hidden} and {number(std[-1])} at the output"
        )
    if theory is not None:
        chi = [c for c in theory["chi"] if c is not None]
        typical = np.exp(np.mean(np.log(chi))) if chi and min(chi) > 0 else None
        chi_text = f", χ ≈ {number(typical)} per layer" if typical is not None else ""
        predicted = theory["pre_std"]
        path = [predicted[0], *([predicted[n_hidden - 1]] if n_hidden > 1 else []), predicted[-1]]
        signal += (
            f" (mean-field theory: {' → '.join(number(v) for v in path)}, "
            f"{_sigma_text(theory['sigma_w2'])}{chi_text})"
        )
    return signal + "."


def _gradient_sentence(ratio: float | None, n_hidden: int) -> list[str]:
    """How ‖∂C/∂z‖ changes from the last hidden layer back to the first (none for one layer)."""
    if ratio is None or n_hidden <= 1 or ratio <= 0:
        return []
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
    return [
        f"Going back from the last hidden layer to the first the gradient ‖∂C/∂z‖ "
        f"{trend} (×{number(ratio)})."
    ]


def _unit_sentences(at_init: Mapping[str, Any], hidden: Sequence[int]) -> list[str]:
    """Dead and saturated hidden units at the start, when more than 5 % of them."""
    sentences = []
    dead = unit_share(at_init["dead"], hidden)
    if dead > DEAD_SHOWN:
        sentences.append(
            f"{percent(dead, 0)} of the hidden units are dead at the start (never active on the "
            "training data), so no gradient reaches their weights."
        )
    saturated = unit_share(at_init["saturated"], hidden)
    if saturated > DEAD_SHOWN:
        sentences.append(
            f"{percent(saturated, 0)} of the hidden activations are saturated at the start "
            "(|φ'| < 0.01), so little gradient passes through them."
        )
    return sentences


def _saturated_output_sentence(share: float, initial_cost: float | None) -> str:
    cost = f" gave an initial cost of {number(initial_cost, 4)} and" if initial_cost else ""
    return (
        f"At the start {percent(share, 0)} of the outputs were saturated (|logit| > 4.6), so "
        f"confident wrong answers{cost} tiny gradients."
    )


def _ending_sentence(
    initial_cost: float | None,
    final_cost: float | None,
    train_accuracy: float | None,
    test_accuracy: float | None,
) -> str:
    ending = f"The cost went from {number(initial_cost, 4)} to {number(final_cost, 4)}"
    if train_accuracy is not None:
        ending += f"; accuracy ended at {percent(train_accuracy)} on the training set"
        if test_accuracy is not None:
            ending += f" and {percent(test_accuracy)} on the test set"
    return ending + "."
