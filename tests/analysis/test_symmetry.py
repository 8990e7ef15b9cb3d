import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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
    layers = [
        (rng.standard_normal((10, 2)), np.zeros(10)),
        (rng.standard_normal((1, 10)), np.zeros(1)),
    ]
    assert distinct_per_layer(layers) == [10]


def naive_distinct(W, b, rtol=1e-9):
    """The obvious version: each row joins the first representative within tol, else starts one."""
    rows = np.column_stack([W, np.reshape(b, (-1, 1))])
    tol = rtol * max(1.0, float(np.abs(rows).max(initial=0.0)))
    representatives = []
    for row in rows:
        if not any(np.max(np.abs(row - rep)) <= tol for rep in representatives):
            representatives.append(row)
    return len(representatives)


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.integers(1, 6),
    units=st.integers(1, 30),
    fan_in=st.integers(1, 8),
    seed=st.integers(0, 2**31 - 1),
    jitter=st.sampled_from([0.0, 1e-12, 1e-7]),
)
def test_fast_count_equals_the_naive_greedy_count(kinds, units, fan_in, seed, jitter):
    """Rows copied from a few prototypes, shuffled, some nudged within or beyond the tolerance."""
    rng = np.random.default_rng(seed)
    prototypes = rng.standard_normal((kinds, fan_in + 1))
    rows = prototypes[rng.integers(0, kinds, units)] + jitter * rng.standard_normal(
        (units, fan_in + 1)
    )
    W, b = rows[:, :-1], rows[:, -1]
    assert distinct_units(W, b) == naive_distinct(W, b)
