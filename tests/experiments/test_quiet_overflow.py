"""Runs that overflow on purpose (a huge random start, a network 200 layers deep) say so in their
results, not in numpy RuntimeWarnings on stderr; theory that cannot be computed is a note."""

import warnings

import numpy as np
import pandas as pd
import pytest

import initlab
from initlab.analysis.statistics import summary_table


@pytest.fixture
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def test_a_deep_random_network_predicts_inf_without_warnings(warnings_are_errors):
    result = initlab.diagnose("random,he", depth=200, width=16, iterations=0)
    q = result.theories[0].q
    assert np.isinf(q).any()  # the prediction itself: the signal explodes
    assert np.all(np.isfinite(result.theories[1].q))


def test_a_diverging_comparison_is_quiet(warnings_are_errors):
    result = initlab.compare("random:scale=1e100,he", iterations=5, every=1, engine="numpy")
    assert result.run("random").diverged_at is not None
    assert result.run("he").diverged_at is None


def test_a_variance_beyond_floats_is_a_theory_note_not_a_crash(warnings_are_errors):
    result = initlab.diagnose("random:scale=1e200,he", depth=2, width=4, iterations=0)
    assert result.theories[0] is None
    assert "beyond the largest float" in result.theory_notes[0]


def test_statistics_of_costs_near_the_largest_float_are_inf_quietly(warnings_are_errors):
    runs = pd.DataFrame(
        {
            "init": ["random"] * 3,
            "test_accuracy": [0.5, 0.5, 0.5],
            "train_accuracy": [0.5, 0.5, 0.5],
            "final_cost": [1e300, -1e300, 1e300],
            "diverged_at": [None, None, None],
            "iters_to_target": pd.array([None] * 3, dtype="Int64"),
        }
    )
    table = summary_table(runs, target=0.9)
    assert np.isinf(table["final_cost_std"][0])
