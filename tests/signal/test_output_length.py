"""Hanin & Rolnick's second failure mode: the variance of the signal's squared length follows
Π(1 + 5/n_l) − 1 (derived in the module, checked here by Monte Carlo) and is set by Σ 1/n_l."""

from __future__ import annotations

import math

import numpy as np

from initlab.signal import length_variance


def test_the_exact_one_layer_moment() -> None:
    """One hidden layer of n: q = (1/n)Σ relu(z_i)², z_i ~ N(0, 2), so Var q = 5/n exactly."""
    result = length_variance([8], trials=20_000, seed=1)
    assert result.theory == 5 / 8
    assert abs(result.mean - 1) < 4 * math.sqrt(5 / 8 / 20_000)
    assert abs(result.variance / result.theory - 1) < 0.1


def test_variance_is_set_by_the_inverse_width_sum_not_by_depth() -> None:
    shallow = length_variance([20] * 4, trials=10_000, seed=0)  # Σ 1/n = 0.2
    deep = length_variance([80] * 16, trials=4000, seed=50_000)  # Σ 1/n = 0.2, 4× deeper
    narrow = length_variance([10] * 4, trials=10_000, seed=0)  # Σ 1/n = 0.4
    assert np.isclose(shallow.inverse_width_sum, deep.inverse_width_sum)
    for result in (shallow, deep):
        assert abs(result.variance / result.theory - 1) < 0.3
    assert abs(deep.variance / shallow.variance - 1) < 0.35
    assert narrow.variance > 1.5 * shallow.variance
    assert math.isclose(shallow.theory, 1.25**4 - 1)  # (1 + 5/20)^4 − 1
