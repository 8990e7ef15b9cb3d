"""The seed experiment reproduced: every printed cost of zeros and He, and every accuracy."""

import math

import numpy as np
import pytest
from seed_numbers import ACCURACY, HE_COSTS, ZEROS_COSTS


@pytest.mark.parametrize("name, expected", [("zeros", ZEROS_COSTS), ("he", HE_COSTS)])
def test_costs_match_the_seed(seed_comparison, name, expected):
    run = seed_comparison.run(name)
    iterations = [i for i, _ in run.costs]
    assert iterations == list(range(0, 15000, 1000))
    np.testing.assert_allclose([c for _, c in run.costs], expected, rtol=1e-9, atol=0)


@pytest.mark.parametrize("name", ["zeros", "random", "he"])
def test_accuracies_match_the_seed(seed_comparison, name):
    run = seed_comparison.run(name)
    assert (run.train_accuracy, run.test_accuracy) == ACCURACY[name]


def test_large_random_start_is_large_but_finite(seed_comparison):
    run = seed_comparison.run("random")
    assert math.isfinite(run.initial_cost)
    assert run.initial_cost > 100  # the seed printed inf here
    assert run.diverged_at is None


def test_diagnoses_are_worked_out_from_the_runs(seed_comparison):
    diagnosis = {run.init.partition(":")[0]: run.diagnosis for run in seed_comparison.runs}
    assert "fails to break symmetry" in diagnosis["zeros"]
    assert "saturated output" in diagnosis["random"]
    assert diagnosis["he"] == "converged"
    zeros = seed_comparison.run("zeros")
    assert zeros.facts["distinct_units"] == [1, 1]
    assert seed_comparison.run("he").facts["distinct_units"] == [10, 5]


def test_zeros_predicts_one_class_everywhere(seed_comparison):
    run = seed_comparison.run("zeros")
    for W, b in run.final_params[:-1]:
        assert np.all(W == W[0]) and np.all(b == b[0])
