"""The compiled residual kernel against the reference engine: same costs and parameters to rounding
(1e-12) on runs that are not chaotic, trained and fixed α, both branch lengths, divergence."""

from __future__ import annotations

import numpy as np
import pytest
from residual_cases import data, draw, residual_network

from initlab import engine
from initlab.engine import fast_residual, reference

TOLERANCE = 1e-12


def assert_same(a, b) -> None:
    np.testing.assert_allclose(a.costs, b.costs, rtol=TOLERANCE, atol=0)
    np.testing.assert_array_equal(a.diverged_at, b.diverged_at)
    for (Wa, ba), (Wb, bb) in zip(a.params, b.params, strict=True):
        np.testing.assert_allclose(Wa, Wb, rtol=TOLERANCE, atol=1e-14)
        np.testing.assert_allclose(ba, bb, rtol=TOLERANCE, atol=1e-14)


@pytest.mark.parametrize(
    ("m", "activation", "output", "trained"),
    [(1, "tanh", "sigmoid", 1.0), (2, "relu", "softmax", 1.0), (2, "tanh", "sigmoid", 0.0)],
)
def test_fast_equals_reference(m: int, activation: str, output: str, trained: float) -> None:
    network = residual_network(m, activation, output)
    params = draw(network, 3, seed=20 + m, trained=trained)
    params[-1][1][1] = 1.0 - trained  # one model with the other choice
    X, Y = data(network.sizes[-1], m=40)
    slow = reference.train(network, params, X, Y, 0.05, 60, every=7)
    quick = engine.train(network, params, X, Y, 0.05, 60, every=7, engine="fast")
    assert quick.engine == "fast"
    assert len(quick.params) == network.depth + 1
    assert_same(slow, quick)
    assert not np.array_equal(quick.params[-1][0][0], params[-1][0][0]) or trained == 0.0


def test_a_diverging_model_is_frozen_as_the_reference_does() -> None:
    network = residual_network(1, "linear")
    params = draw(network, 2, seed=7)
    X, Y = data(1, m=40)
    lr = np.array([0.05, 1e3])
    slow = reference.train(network, params, X, Y, lr, 30, every=5)
    quick = fast_residual.train(network, params, X, Y, lr, 30, every=5)
    assert quick.diverged_at[1] >= 0 and quick.diverged_at[0] < 0
    assert_same(slow, quick)


def test_progress_chunks_change_nothing() -> None:
    network = residual_network(2, "tanh")
    params = draw(network, 2, seed=8)
    X, Y = data(1, m=20)
    seen: list[int] = []
    whole = fast_residual.train(network, params, X, Y, 0.1, 150, every=10)
    chunked = fast_residual.train(network, params, X, Y, 0.1, 150, every=10, progress=seen.append)
    assert seen[-1] == 150 and len(seen) > 1
    np.testing.assert_array_equal(whole.costs, chunked.costs)


def test_the_plain_kernel_refuses_a_residual_network() -> None:
    from initlab.engine import fast
    from initlab.errors import InitlabError

    network = residual_network(1)
    params = draw(network, 1, seed=1)
    X, Y = data(1)
    with pytest.raises(InitlabError, match="residual"):
        fast.train(network, params, X, Y, 0.1, 2)
