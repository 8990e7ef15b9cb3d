"""The lesson at the top of a report (a comparison's, a look inside's): what the table shows
and why, in a learner's words, from the runs' own numbers.

One paragraph: that only the starting weights differ, then the runs grouped by how they ended
(:func:`initlab.analysis.verdict.outcome`), each group in one sentence that names its numbers
and the reason a learner should take away: identical starting units stay identical (Goodfellow
et al. 2016, §8.4), saturated outputs start confidently wrong, steps too large blow up, a test
cost above guessing means confident mistakes on new points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from initlab.analysis.verdict import EXPLODING_RATIO
from initlab.report.format import number, percent
from initlab.runs.run import Run

SATURATED = 0.25  # the share of saturated outputs at init that the lesson mentions (verdict's)


def _names(runs: Sequence[Run]) -> str:
    """``a``, ``a and b``, ``a, b and c``: the runs' initializers (their names without settings)."""
    names = [run.init.partition(":")[0] for run in runs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _each(runs: Sequence[Run], value: Callable[[Run], str]) -> str:
    """Each run's ``value``, in the order of :func:`_names`: ``"99.3%"``, ``"99.3% and 93.0%"``."""
    values = [value(run) for run in runs]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def _converged(runs: Sequence[Run], _: float) -> str:
    return (
        f"Started with {_names(runs)}, the network learned the task: "
        f"{_each(runs, lambda r: percent(r.train_accuracy))} of the training points and "
        f"{_each(runs, lambda r: percent(r.test_accuracy))} of the held-out test points are "
        "classified correctly."
    )


def _symmetric(runs: Sequence[Run], chance: float) -> str:
    return (
        f"Started with {_names(runs)}, the network never got past "
        f"{_each(runs, lambda r: percent(r.train_accuracy))} (guessing the most common class "
        f"scores {percent(chance)}): every hidden unit started identical, so the units of a "
        "layer received identical updates and stayed copies of each other, as if the layer had "
        "a single unit."
    )


def _diverged(runs: Sequence[Run], _: float) -> str:
    at = _each(runs, lambda r: f"{r.diverged_at:,}")
    return (
        f"Started with {_names(runs)}, the network blew up: the cost stopped being a number "
        f"at iteration {at}, because from these starting weights the steps of gradient descent "
        "were too large."
    )


def _overfits(runs: Sequence[Run], _: float) -> str:
    chance_cost = runs[0].facts.get("chance", {}).get("cost")
    return (
        f"Started with {_names(runs)}, the network learned the training set "
        f"({_each(runs, lambda r: percent(r.train_accuracy))}) but is confidently wrong on some "
        f"new points: its test cost, {_each(runs, lambda r: number(r.test_cost))}, is worse "
        f"than the {number(chance_cost)} of guessing."
    )


def _fall(run: Run) -> str:
    return f"{100 * run.facts['recent_fall'][0]:.2g}%"


def _span(runs: Sequence[Run]) -> str:
    """``"the last 2,000 iterations"``: the stretch the falls are measured over (one run's)."""
    return f"the last {run_span(runs[0]):,} iterations"


def run_span(run: Run) -> int:
    return int(run.facts["recent_fall"][1])


def _still_learning(runs: Sequence[Run], _: float) -> str:
    return (
        f"Started with {_names(runs)}, the network had not finished when training stopped: "
        f"{_each(runs, lambda r: percent(r.train_accuracy))} on the training set with the cost "
        f"still falling ({_each(runs, _fall)} over {_span(runs)}); more iterations would help."
    )


def _slow(runs: Sequence[Run], chance: float) -> str:
    return (
        f"Started with {_names(runs)}, the network learns slowly: "
        f"{_each(runs, lambda r: percent(r.train_accuracy))} on the training set (guessing "
        f"scores {percent(chance)}), the cost falling by only {_each(runs, _fall)} over "
        f"{_span(runs)}."
    )


def _flat(runs: Sequence[Run], chance: float) -> str:
    return (
        f"Started with {_names(runs)}, the network stopped improving: "
        f"{_each(runs, lambda r: percent(r.train_accuracy))} on the training set (guessing "
        f"scores {percent(chance)}), the cost flat at "
        f"{_each(runs, lambda r: number(r.final_cost))}."
    )


# outcome → the sentence of its group, in the order the lesson tells them
SENTENCES: dict[str, Callable[[Sequence[Run], float], str]] = {
    "converged": _converged,
    "still learning": _still_learning,
    "overfits": _overfits,
    "learns slowly": _slow,
    "stalled": _flat,
    "not learning": _flat,
    "fails to break symmetry": _symmetric,
    "diverged": _diverged,
}


def _saturated(runs: Sequence[Run]) -> str:
    shares = _each(runs, lambda r: percent(r.facts.get("initial_saturated_share"), 0))
    costs = _each(runs, lambda r: number(r.initial_cost, 4))
    return (
        f"The {_names(runs)} start had weights so large that {shares} of the outputs were "
        f"saturated at first: confidently wrong answers, an initial cost of {costs}."
    )


def comparison_lesson(runs: Sequence[Run], iterations: int, chance_accuracy: float) -> str:
    """The lesson paragraph of a comparison (see the module docstring); empty for runs without
    an ``outcome`` (results read from older JSON)."""
    if not runs or any("outcome" not in run.facts for run in runs):
        return ""
    groups: dict[Callable[[Sequence[Run], float], str], list[Run]] = {}
    for kind, sentence in SENTENCES.items():
        members = [run for run in runs if run.facts["outcome"] == kind]
        if members:
            groups.setdefault(sentence, []).extend(members)
    sentences = [
        f"Same data, same network, same {iterations:,} steps of gradient descent: only the "
        "starting weights differ, and they decide how each run ends."
    ]
    saturated = [r for r in runs if (r.facts.get("initial_saturated_share") or 0) > SATURATED]
    if saturated:
        sentences.append(_saturated(saturated))
    sentences += [sentence(members, chance_accuracy) for sentence, members in groups.items()]
    return " ".join(sentences)


def _trend(ratio: float | None) -> str:
    """What happens to the gradient on its way back, by its ratio first/last hidden layer (the
    thresholds of :mod:`initlab.analysis.verdict` and :mod:`initlab.report.why`)."""
    if ratio is None or not ratio > 0:
        return "is exactly zero in every hidden layer"
    back = f"(×{number(ratio)} from the last hidden layer back to the first)"
    if ratio > EXPLODING_RATIO:
        return f"explodes {back}"
    if ratio < 1 / EXPLODING_RATIO:
        return f"vanishes {back}"
    if 1 / 3 <= ratio <= 3:
        return f"keeps its size {back}"
    return f"{'grows' if ratio > 1 else 'shrinks'} {back}"


def _ending(diverged_at: int | None, train_accuracy: float | None) -> str:
    if diverged_at is not None:
        return f"training blew up at iteration {diverged_at:,}"
    if train_accuracy is None:
        return "it was not trained"
    return f"it ended at {percent(train_accuracy)} on the training set"


def diagnostics_lesson(
    inits: Sequence[str],
    n_hidden: int,
    at_init: Sequence[dict[str, Any]],
    diverged_at: Sequence[int | None],
    train_accuracy: Sequence[float | None],
) -> str:
    """The lesson of a look inside (:func:`initlab.diagnose`): in a deep network what decides
    training is whether the gradient keeps its size from layer to layer; for each initializer,
    what its gradient does at initialization (``at_init``: per-layer statistics) and how it
    ended."""
    sentences = [
        f"In a network of {n_hidden} hidden layers, a start trains well when the gradient keeps "
        "its size on its way back from the output to the first layer: multiplied by a little "
        "more than 1 per layer it explodes, by a little less it vanishes."
    ]
    for init, stats, at, accuracy in zip(inits, at_init, diverged_at, train_accuracy, strict=True):
        trend = _trend(None if _all_zero(stats) else stats.get("gradient_ratio"))
        sentences.append(
            f"Started with {init.partition(':')[0]}, the gradient {trend}, and "
            f"{_ending(at, accuracy)}."
        )
    return " ".join(sentences)


def _all_zero(stats: dict[str, Any]) -> bool:
    return all(g == 0 for g in stats["grad_z"][:-1])
