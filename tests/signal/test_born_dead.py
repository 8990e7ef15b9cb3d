"""Born-dead probability: the batched measurement against plain NumPy Monte Carlo over the same
draws and over fresh ones, the exact single-input value, and the paper's trends."""

from __future__ import annotations

import math

import numpy as np
import pytest

from initlab import initializers
from initlab.engine.initial import initial_params
from initlab.signal import born_dead_probability, dead_at_a_point
from initlab.signal.born_dead import narrow_network

TRIALS = 10_000


def plain_dead(layers: list, x: np.ndarray) -> bool:
    """One network, one layer at a time: is some hidden layer 0 on every point?"""
    a = x
    for W, b in layers[:-1]:
        a = np.maximum(W @ a + b[:, None], 0.0)
        if not a.any():
            return True
    return False


def test_ten_thousand_draws_agree_with_a_plain_numpy_pass_and_a_fresh_monte_carlo() -> None:
    depth, width = 10, 3
    result = born_dead_probability(depth, width, "he", n_inputs=50, trials=TRIALS, seed=11)
    x = np.linspace(-1, 1, 50)[None, :]
    he = initializers.get("he")
    network = narrow_network(depth, width)
    same = sum(
        plain_dead(initial_params(network, he, np.random.RandomState(11 + t)), x)
        for t in range(TRIALS)
    )
    assert result.dead == same  # the same draws, counted independently
    rng = np.random.default_rng(2024)  # fresh draws: N(0, 2/fan_in), zero biases
    fresh = 0
    for _ in range(TRIALS):
        sizes = [1, *([width] * depth), 1]
        layers = [
            (rng.normal(0, math.sqrt(2 / n), (o, n)), np.zeros(o))
            for n, o in zip(sizes[:-1], sizes[1:], strict=True)
        ]
        fresh += plain_dead(layers, x)
    p, q = result.probability, fresh / TRIALS
    assert abs(p - q) < 4 * math.sqrt(2 * p * (1 - p) / TRIALS)
    assert result.bound is not None and p <= result.bound  # the right side of the bound


def test_one_input_gives_the_exact_single_point_value() -> None:
    result = born_dead_probability(6, 2, "he", n_inputs=1, trials=TRIALS, seed=3)
    exact = 1 - (1 - 2**-2) ** 6
    assert dead_at_a_point(6, 2) == pytest.approx(exact, rel=1e-15)
    assert abs(result.probability - exact) < 4 * result.stderr


def test_it_rises_with_depth_and_falls_with_width_and_rai_lowers_it() -> None:
    narrow = born_dead_probability(10, 2, trials=3000)
    wide = born_dead_probability(10, 10, trials=3000)
    shallow = born_dead_probability(3, 2, trials=3000)
    rai = born_dead_probability(10, 2, "rai", trials=3000)
    assert narrow.probability > 0.5  # width 2, depth 10: most die
    assert wide.probability < 0.02  # width 10: few
    assert shallow.probability < narrow.probability
    assert rai.probability < narrow.probability - 0.2 and rai.bound is None
