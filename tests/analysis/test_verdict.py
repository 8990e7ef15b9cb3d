"""The one-line diagnosis: each rule from facts built by hand."""

import math

import pytest

from initlab.analysis.verdict import RunFacts, verdict


def facts(**changes):
    base = dict(
        diverged_at=None,
        hidden_sizes=(10, 5),
        distinct_units=(10, 5),
        initial_cost=0.9,
        final_cost=0.1,
        saturated_share=0.0,
        train_accuracy=0.99,
    )
    return RunFacts(**{**base, **changes})


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, "converged"),
        ({"train_accuracy": 0.8}, "still learning"),
        ({"train_accuracy": 0.6, "final_cost": 0.85}, "not learning"),
        (
            {"distinct_units": (1, 1), "train_accuracy": 0.5},
            "fails to break symmetry (each hidden layer acts as one unit)",
        ),
        ({"diverged_at": 7}, "diverged at iteration 7"),
        (
            {"diverged_at": 1, "gradient_ratio": 3e30},
            "diverged at iteration 1; exploding gradients (×3e+30 from the last hidden layer "
            "back to the first)",
        ),
        (
            {"gradient_ratio": 1e-3, "train_accuracy": 0.6, "final_cost": 0.85},
            "vanishing gradients (×0.001 from the last hidden layer back to the first); "
            "not learning",
        ),
        (
            {"dead_share": 0.6, "train_accuracy": 0.8},
            "dead units (60% of hidden units never active at init); learns slowly",
        ),
        (
            {"hidden_saturated_share": 0.4, "train_accuracy": 0.97},
            "saturated hidden activations (40% at init); converged",
        ),
        (
            {
                "saturated_share": 1.0,
                "initial_cost": 1773.6,
                "final_cost": 0.38,
                "train_accuracy": 0.83,
            },
            "very large initial cost (1.77e+03) / saturated output (100% of outputs at init); "
            "learns slowly",
        ),
    ],
)
def test_rules(changes, expected):
    assert verdict(facts(**changes)) == expected


def test_thresholds_are_strict():
    assert "exploding" not in verdict(facts(gradient_ratio=100.0))
    assert "dead" not in verdict(facts(dead_share=0.5))
    assert "vanishing" not in verdict(facts(gradient_ratio=math.nan))
