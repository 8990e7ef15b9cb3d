import numpy as np

from initlab.analysis.symmetry import distinct_per_layer, distinct_units


def test_identical_rows_count_once():
    W = np.ones((5, 3))
    assert distinct_units(W, np.zeros(5)) == 1
    W[2, 1] = 2.0
    assert distinct_units(W, np.zeros(5)) == 2


def test_bias_breaks_ties():
    assert distinct_units(np.zeros((3, 2)), np.array([0.0, 1.0, 0.0])) == 2


def test_random_rows_are_all_distinct():
    rng = np.random.default_rng(0)
    layers = [(rng.standard_normal((10, 2)), np.zeros(10)), (rng.standard_normal((1, 10)), np.zeros(1))]
    assert distinct_per_layer(layers) == [10]
