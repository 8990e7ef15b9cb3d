"""The residual initializers and the whole-network schemes against their papers' definitions,
hand-computed on small shapes; Fixup, SkipInit and ReZero start every branch at exactly 0."""

from __future__ import annotations

import math

import numpy as np
import pytest

from initlab import data, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch, initial_params
from initlab.errors import InitlabError
from initlab.nn.network import Network, network_for

SPIRAL = data.load("spiral")


def residual(m: int = 2, blocks: int = 4, width: int = 6) -> Network:
    return network_for(f"auto,{width},res{width}x{blocks}:{m},3,auto", SPIRAL)


def test_fixup_scales_branch_layers_by_b_to_the_minus_one_over_2m_minus_2() -> None:
    network = residual(m=2, blocks=4)
    he = initial_params(network, initializers.get("he_normal"), np.random.RandomState(0))
    fix = initial_params(network, initializers.get("fixup"), np.random.RandomState(0))
    scale = 4 ** (-1 / (2 * 2 - 2))  # B = 4 blocks, m = 2: 4^(−1/2) = 0.5
    assert scale == 0.5
    for start, _m in network.blocks:
        np.testing.assert_array_equal(fix[start][0], 0.5 * he[start][0])
        assert not fix[start + 1][0].any()  # the last layer of the branch
    np.testing.assert_array_equal(fix[0][0], he[0][0])  # outside the branches: He
    assert not fix[network.depth - 1][0].any()  # the output layer
    alpha, trained = fix[-1]
    assert alpha.ravel().tolist() == [1.0] * 4 and trained.tolist() == [1.0] * 4
    assert all(not b.any() for _, b in fix[:-1])


def test_fixup_with_three_layer_depth_exponent() -> None:
    """m = 2 over B = 9 blocks: 9^(−1/2) = 1/3, the paper's L^(−1/(2m−2))."""
    network = residual(m=2, blocks=9, width=4)
    he = initial_params(network, initializers.get("he_normal"), np.random.RandomState(1))
    fix = initial_params(network, initializers.get("fixup"), np.random.RandomState(1))
    start = network.blocks[5][0]
    np.testing.assert_allclose(fix[start][0], he[start][0] / 3, rtol=1e-15)


@pytest.mark.parametrize(("name", "alpha"), [("skipinit", 0.0), ("rezero", 0.0), ("fixup", 1.0)])
def test_every_branch_starts_at_zero_and_the_network_is_its_ends(name: str, alpha: float) -> None:
    network = residual(m=2, blocks=4)
    params = initial_batch(network, [(initializers.get(name), 5)])
    assert params[-1][0].ravel().tolist() == [alpha] * 4
    X = SPIRAL.X_train.T
    cache = reference.forward(network, params, X)
    first = cache.A[1]
    for start, m in network.blocks:
        np.testing.assert_array_equal(cache.A[start + m], first)
    # the rest of the network, computed without the blocks: 6 → 3 → out
    W3, b3 = params[network.depth - 2][0][0], params[network.depth - 2][1][0]
    W4, b4 = params[network.depth - 1][0][0], params[network.depth - 1][1][0]
    expected = W4 @ np.maximum(W3 @ first[0] + b3, 0) + b4
    np.testing.assert_allclose(cache.logits[0], expected, rtol=1e-13, atol=1e-15)


def test_zero_is_identity_partial_identity_and_hadamard() -> None:
    draw = initializers.get("zero")
    np.testing.assert_array_equal(draw((3, 3), None), np.eye(3))
    np.testing.assert_array_equal(draw((2, 3), None), [[1, 0, 0], [0, 1, 0]])
    c = 2 ** (-1 / 2)  # fan_out 3: k = ⌈log2 3⌉ = 2, c = 2^(−(k−1)/2)
    H2 = [[1, 1], [1, -1], [1, 1]]  # rows 0..2, columns 0..1 of Sylvester's H of order 4
    np.testing.assert_allclose(draw((3, 2), None), c * np.array(H2), rtol=1e-15)
    big = draw((5, 2), None)  # k = 3, c = 1/2
    np.testing.assert_allclose(big[:, 1], 0.5 * np.array([1, -1, 1, -1, 1]), rtol=1e-15)


def test_zero_and_idinit_in_a_residual_network() -> None:
    network = residual(m=2, blocks=2, width=4)
    zero = initial_params(network, initializers.get("zero"), np.random.RandomState(0))
    idi = initial_params(network, initializers.get("idinit"), np.random.RandomState(0))
    for start, m in network.blocks:
        np.testing.assert_array_equal(zero[start][0], np.eye(4))
        assert not zero[start + m - 1][0].any()
        np.testing.assert_array_equal(idi[start][0], np.eye(4))
        np.testing.assert_array_equal(idi[start + m - 1][0], 1e-6 * np.eye(4))
    assert zero[-1][0].ravel().tolist() == [1.0, 1.0] and not zero[-1][1].any()


def test_idinit_repeats_the_identity_along_the_longer_side() -> None:
    draw = initializers.get("idinit:tau=2")
    np.testing.assert_array_equal(
        draw((2, 5), None), 2 * np.array([[1, 0, 1, 0, 1], [0, 1, 0, 1, 0]])
    )
    np.testing.assert_array_equal(draw((3, 2), None), 2 * np.array([[1, 0], [0, 1], [1, 0]]))


def test_rai_follows_its_draw_order() -> None:
    """W ~ N(0, (0.6007/√n)²) layer by layer, then per layer b, the index k and ξ ~ Beta(2, 1)
    (Lu et al. 2020's σ = 0.6007 for P = Beta(2, 1))."""
    network = Network((2, 3, 4, 1))
    layers = initial_params(network, initializers.get("rai"), np.random.RandomState(7))
    rng = np.random.RandomState(7)
    Ws = [0.6007 / math.sqrt(n) * rng.standard_normal((o, n)) for n, o in [(2, 3), (3, 4), (4, 1)]]
    for (W, b), W0 in zip(layers, Ws, strict=True):
        o, n = W0.shape
        V = np.hstack([W0, 0.6007 / math.sqrt(n) * rng.standard_normal((o, 1))])
        k = rng.randint(0, n + 1, size=o)
        V[np.arange(o), k] = rng.beta(2.0, 1.0, size=o)
        np.testing.assert_array_equal(W, V[:, :n])
        np.testing.assert_array_equal(b, V[:, n])


def test_rai_by_hand_on_one_unit() -> None:
    """One unit with 4 inputs, drawn by hand from RandomState(5): σ_ℓ = 0.6007/√4 = 0.30035 on
    the four weights and the bias, then the entry k (of 5) replaced by ξ ~ Beta(2, 1)."""
    (W, b), _ = initial_params(
        Network((4, 1, 1)), initializers.get("rai"), np.random.RandomState(5)
    )
    rng = np.random.RandomState(5)
    weights = rng.standard_normal((1, 4)) * 0.30035
    rng.standard_normal((1, 1))  # the output layer's W
    row = [*weights[0], 0.30035 * rng.standard_normal()]
    k = rng.randint(0, 5)
    row[k] = rng.beta(2.0, 1.0)
    assert [*W[0], b[0]] == row
    assert 0 < row[k] <= 1 and sum(v == row[k] for v in row) == 1


def test_rai_moments() -> None:
    """Each row has mean E[ξ]/(n+1) = (2/3)/(n+1) and second moment n·(0.6007²/n) + E[ξ²] =
    0.6007² + 1/2."""
    network = Network((4, 4000, 1))
    W, b = initial_params(network, initializers.get("rai"), np.random.default_rng(0))[0]
    V = np.hstack([W, b[:, None]])
    assert abs(V.mean() - (2 / 3) / 5) < 0.01
    assert abs((V**2).sum(axis=1).mean() - (0.6007**2 + 0.5)) < 0.03


@pytest.mark.parametrize("name", ["fixup", "skipinit", "rezero"])
def test_residual_schemes_refuse_a_plain_network(name: str) -> None:
    with pytest.raises(InitlabError, match="residual networks: give the layer list residual"):
        initial_params(Network((2, 4, 1)), initializers.get(name), np.random.RandomState(0))
