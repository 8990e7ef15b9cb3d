"""The lesson at the top of a report: from the runs' own numbers, each run told once, in the
words of how it ended; and the "why" sentences that the issue found contradicting themselves."""

from __future__ import annotations

import pytest

import initlab
from initlab.report.format import percent
from initlab.report.why import explain_run


def test_the_course_lesson_quotes_its_runs(seed_comparison):
    zeros, random, he = seed_comparison.runs
    lesson = seed_comparison.report().lesson
    assert lesson.startswith("Same data, same network, same 15,000 steps of gradient descent")
    assert (
        f"Started with he, the network learned the task: {percent(he.train_accuracy)} of the "
        f"training points and {percent(he.test_accuracy)} of the held-out test points" in lesson
    )
    assert f"Started with zeros, the network never got past {percent(0.5)}" in lesson
    assert "The random start had weights so large that 100% of the outputs" in lesson
    assert "initial cost of 1774" in lesson  # random's cost at iteration 0, 4 digits
    assert lesson.count("Started with random") == 1  # each run in one group
    html = seed_comparison.files()["report.html"]
    assert html.index("class='lesson'") < html.index("<table")


def test_a_still_learning_run_is_told_to_train_longer():
    result = initlab.compare(["he"], iterations=2000, every=500, engine="numpy")
    (he,) = result.runs
    assert he.facts["outcome"] == "still learning" or he.facts["outcome"] == "learns slowly"
    fall, span = he.facts["recent_fall"]
    lesson = result.report().lesson
    assert f"{100 * fall:.2g}%" in lesson and f"the last {span:,} iterations" in lesson


def test_zero_weights_are_explained_without_contradiction(seed_comparison):
    text = explain_run(seed_comparison.runs[0])
    assert "receive identical gradients and stay identical" in text
    assert "exactly zero at the start" in text and "never moved" in text
    assert "equal gradients" not in text and "dead at the start" not in text


@pytest.mark.parametrize("activation", ["sigmoid"])
def test_zero_weights_with_sigmoid_get_identical_nonzero_gradients_later(activation):
    result = initlab.compare(
        ["zeros"], iterations=200, every=100, activation=activation, engine="numpy"
    )
    text = explain_run(result.runs[0])
    assert "exactly zero at the start" in text
    assert "identical ones within each layer" in text and "never moved" not in text
    assert result.runs[0].facts["layers"]["end"]["grad_z"][0] > 0


def test_one_hidden_layer_is_named_once():
    result = initlab.compare(["he"], layers="auto,8,auto", iterations=100, engine="numpy")
    text = explain_run(result.runs[0])
    assert "hidden layer 1 to" not in text
    assert "in the hidden layer and" in text


def test_a_diagnosis_lesson_says_what_the_gradient_does():
    result = initlab.diagnose(["zeros", "random", "he"], depth=6, width=16, iterations=20)
    lesson = result.report().lesson
    assert "Started with zeros, the gradient is exactly zero in every hidden layer" in lesson
    ratio = result.stats[0].gradient_ratio(1)
    assert ratio > 100 and "Started with random, the gradient explodes" in lesson
    assert result.report().title == "Layer by layer: 2-(16 × 6)-1 on circles"
