"""The reference engine's residual blocks: forward against a plain per-model loop written here,
gradients against central finite differences, K models = K separate runs."""

from __future__ import annotations

import numpy as np
import pytest
from residual_cases import data, draw, residual_network

from initlab.engine import reference
from initlab.engine.params import Params
from initlab.nn.network import Network

RELATIVE = 1e-7


def plain_logits(network: Network, params: Params, X: np.ndarray, k: int) -> np.ndarray:
    """Model k's logits by the block definition x ← x + α·f(x), one layer at a time."""
    phi = np.tanh
    layers = [(W[k], b[k]) for W, b in params[: network.depth]]
    alpha = params[-1][0][k, :, 0]
    a = phi(layers[0][0] @ X + layers[0][1])
    l = 1
    for j, (start, m) in enumerate(network.blocks):
        assert start == l
        h = a
        for W, b in layers[l : l + m]:
            h = phi(W @ h + b)
        a = a + alpha[j] * h
        l += m
    for W, b in layers[l:-1]:
        a = phi(W @ a + b)
    return layers[-1][0] @ a + layers[-1][1]


@pytest.mark.parametrize("m", [1, 2])
def test_forward_is_the_block_definition(m: int) -> None:
    network = residual_network(m)
    params = draw(network, 3, seed=m)
    X, _ = data(1)
    logits = reference.forward(network, params, X).logits
    for k in range(3):
        np.testing.assert_allclose(logits[k], plain_logits(network, params, X, k), rtol=1e-13)


@pytest.mark.parametrize(("m", "output"), [(1, "sigmoid"), (2, "sigmoid"), (2, "softmax")])
def test_gradients_match_finite_differences(m: int, output: str) -> None:
    network = residual_network(m, "tanh", output)
    params = draw(network, 2, seed=10 + m)
    X, Y = data(network.sizes[-1])
    _, grads = reference.gradients(network, params, X, Y)
    for p, ((theta_W, theta_b), (dW, db)) in enumerate(zip(params, grads, strict=True)):
        pairs = [(theta_W, dW)] if p == network.depth else [(theta_W, dW), (theta_b, db)]
        for theta, grad in pairs:
            for index in np.ndindex(theta.shape[1:]):
                for k in range(2):
                    numeric = five_point(network, params, X, Y, theta, (k, *index))[k]
                    scale = max(abs(numeric), 1e-4)
                    assert abs(grad[(k, *index)] - numeric) <= RELATIVE * scale, (p, index, k)


def five_point(network, params, X, Y, theta, at, h=1e-3) -> np.ndarray:
    """∂cost/∂θ[at] by the five-point stencil, error O(h⁴) (≈1e-12 here, where the two-point
    one's rounding alone is ≈1e-10)."""
    old = theta[at]
    values = []
    for step in (2, 1, -1, -2):
        theta[at] = old + step * h
        values.append(reference.cost(network, params, X, Y))
    theta[at] = old
    return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)


def test_a_fixed_alpha_gets_no_gradient_and_does_not_move() -> None:
    network = residual_network(1)
    params = draw(network, 2, seed=3, trained=0.0)
    X, Y = data(1)
    history = reference.train(network, params, X, Y, 0.5, 5)
    np.testing.assert_array_equal(history.params[-1][0], params[-1][0])
    assert not np.array_equal(history.params[1][0], params[1][0])
    trained = draw(network, 2, seed=3, trained=1.0)
    moved = reference.train(network, trained, X, Y, 0.5, 5).params[-1][0]
    assert not np.array_equal(moved, trained[-1][0])


def test_k_models_batch_equals_separate_runs() -> None:
    network = residual_network(2, "relu")
    params = draw(network, 3, seed=4)
    X, Y = data(1, m=30)
    together = reference.train(network, params, X, Y, 0.1, 40, every=10)
    for k in range(3):
        alone = reference.train(
            network, [(W[k : k + 1], b[k : k + 1]) for W, b in params], X, Y, 0.1, 40, every=10
        )
        np.testing.assert_array_equal(alone.costs[0], together.costs[k])
        for (Wa, ba), (Wt, bt) in zip(alone.params, together.params, strict=True):
            np.testing.assert_array_equal(Wa[0], Wt[k])
            np.testing.assert_array_equal(ba[0], bt[k])
