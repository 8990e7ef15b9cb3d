"""The verdict rules on real runs whose right answer is known, and on facts built by hand.

Known answers: He on the course's circles converges; zeros cannot break symmetry; orthogonal on
circles reaches 93 % after 15,000 iterations with its cost still falling fast, so it is still
learning (it was once called "not learning"); random (scale 10) on iris fits the training set but
has a test cost of 8.8, far above the ln 3 ≈ 1.1 of guessing, so it overfits (it was once called
"converged")."""

from __future__ import annotations

import math

import numpy as np
import pytest

import initlab
from initlab.analysis.chance import chance
from initlab.analysis.verdict import RunFacts, recent_fall, verdict
from initlab.nn.outputs import OUTPUTS


def test_the_course_runs(seed_comparison):
    zeros, _, he = seed_comparison.runs
    assert zeros.diagnosis.startswith("fails to break symmetry")
    assert he.diagnosis == "converged"
    assert he.train_accuracy >= 0.95


def test_orthogonal_at_93_percent_with_a_falling_cost_is_still_learning():
    run = initlab.compare(["orthogonal"]).runs[0]
    assert run.train_accuracy == pytest.approx(0.93)
    fall, span = recent_fall(run.costs, 15_000, run.final_cost)
    # independently: the cost at 13,000 (the last recorded before the last tenth) against the end
    cost_13000 = dict(run.costs)[13_000]
    assert fall == pytest.approx((cost_13000 - run.final_cost) / cost_13000)
    assert span == 2_000 and fall > 0.1
    assert (
        run.diagnosis
        == f"still learning (cost fell {100 * fall:.2g}% over the last 2,000 iterations)"
    )


def test_a_run_confidently_wrong_on_the_test_set_overfits(tmp_path):
    from sklearn.datasets import load_iris

    iris = load_iris()
    path = tmp_path / "iris.npz"
    np.savez(path, X=iris.data, y=iris.target)
    result = initlab.compare(
        ["random", "he"], dataset=f"npz:{path},standardize=true", layers="auto,16,auto"
    )
    random, he = result.runs
    assert random.train_accuracy == 1.0 and random.test_cost > 10 * random.final_cost
    assert random.test_cost > math.log(3)
    assert "overfits (test cost" in random.diagnosis and "converged" not in random.diagnosis
    assert f"{random.test_cost:.3g}" in random.diagnosis
    assert he.test_cost < math.log(3) and he.diagnosis == "converged"


def test_guessing_scores_the_label_entropy_and_the_largest_class():
    balanced = np.array([0, 1] * 50)
    cost, accuracy = chance(balanced, OUTPUTS["sigmoid"], 2)
    assert cost == pytest.approx(math.log(2)) and accuracy == 0.5
    skewed = np.array([0] * 75 + [1] * 25)
    entropy = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert chance(skewed, OUTPUTS["sigmoid"], 2) == pytest.approx((entropy, 0.75))
    assert chance(skewed, OUTPUTS["softmax"], 2) == pytest.approx((entropy, 0.75))
    three = np.array([0, 1, 2] * 20)
    assert chance(three, OUTPUTS["softmax"], 3) == pytest.approx((math.log(3), 1 / 3))


def test_recent_fall_reads_the_last_tenth():
    costs = [(0, 1.0), (500, 0.8), (900, 0.5)]
    assert recent_fall(costs, 1000, 0.4) == pytest.approx((0.2, 100))
    assert recent_fall(costs, 1000, None) is None
    assert recent_fall([(950, 0.5)], 1000, 0.4) is None


def facts(**changes):
    base = dict(
        diverged_at=None,
        hidden_sizes=(10, 5),
        distinct_units=(10, 5),
        initial_cost=0.7,
        final_cost=0.6,
        saturated_share=0.0,
        train_accuracy=0.7,
        chance_cost=0.69,
        chance_accuracy=0.5,
        recent=(0.05, 2000),
    )
    return RunFacts(**{**base, **changes})


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, "still learning (cost fell 5% over the last 2,000 iterations)"),
        ({"recent": (0.01, 2000)}, "learns slowly (cost fell 1% over the last 2,000 iterations)"),
        ({"recent": (0.001, 2000)}, "stalled at 70% (cost flat over the last 2,000 iterations)"),
        (
            {"recent": (0.0, 100), "train_accuracy": 0.52},
            "not learning (train accuracy 52%, guessing gives 50%; cost flat over the last 100 "
            "iterations)",
        ),
        (
            {"train_accuracy": 0.93, "test_accuracy": 0.96},
            "still learning (cost fell 5% over the last 2,000 iterations)",
        ),
        (
            {"train_accuracy": 1.0, "test_accuracy": 0.9, "final_cost": 0.001, "test_cost": 2.0},
            "overfits (test cost 2 against 0.001 in training, worse than the 0.69 of guessing: "
            "confidently wrong on held-out points)",
        ),
        (
            {"train_accuracy": 1.0, "test_accuracy": 0.8, "final_cost": 0.01, "test_cost": 0.5},
            "overfits (100% on the training set, 80% on the test set)",
        ),
        ({"train_accuracy": 0.99, "final_cost": 0.02, "test_cost": 0.15}, "converged"),
    ],
)
def test_rules_name_their_numbers(changes, expected):
    assert verdict(facts(**changes)) == expected
