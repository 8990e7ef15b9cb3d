"""The compiled engine's numpy-exact reductions: its pairwise sum is numpy's, to the bit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from initlab.engine import reductions


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 2000),
    start=st.integers(0, 9),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_pairwise_sum_is_numpys_to_the_bit(n, start, seed, dtype):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(start + n) * 10.0 ** rng.uniform(-8, 8, start + n)).astype(dtype)
    got = reductions.pairwise_sum(a, start, n, dtype(0))
    assert dtype(got) == a[start:].sum()
