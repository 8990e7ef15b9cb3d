"""LSUV (Mishkin & Matas 2016): unit output variance in every layer of deep ReLU and tanh nets."""

import numpy as np
import pytest

import initlab
from initlab import data, initializers
from initlab.errors import InitlabError


def make_forward(X, phi):
    """An independent forward pass: Z_l = W_l φ(Z_{l-1}) + b_l, Z_0 = X (φ not on the input)."""

    def forward(layers, index):
        A = X
        for W, b in layers[: index + 1]:
            Z = W @ A + b[:, None]
            A = phi(Z)
        return Z

    return forward


def variances(layers, X, phi):
    forward = make_forward(X, phi)
    return np.array([np.var(forward(layers, i)) for i in range(len(layers))])


RELU = lambda z: np.maximum(z, 0.0)  # noqa: E731


@pytest.mark.parametrize("phi", [RELU, np.tanh], ids=["relu", "tanh"])
@pytest.mark.parametrize("tol", [0.1, 0.01])
def test_every_layer_of_a_deep_net_has_unit_output_variance(phi, tol):
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, (12, 256))
    sizes = [12] + [40] * 24 + [1]  # 25 weight layers
    ini = initializers.get(f"lsuv:tol={tol}")
    layers = initializers.init_network(
        sizes, ini, np.random.RandomState(1), forward=make_forward(X, phi)
    )
    v = variances(layers, X, phi)
    assert len(v) == 25
    assert np.all(np.abs(v - 1) < tol), v
    # the orthogonal start alone is far from it (ReLU halves the signal's power per layer)
    start = initializers.init_network(
        sizes, initializers.get("orthogonal"), np.random.RandomState(1)
    )
    assert np.max(np.abs(variances(start, X, phi) - 1)) > 0.5
    # LSUV only rescales the orthogonal start, layer by layer
    for (W, _), (W0, _) in zip(layers, start, strict=True):
        ratio = W / W0
        assert np.allclose(ratio, ratio.flat[0]) and ratio.flat[0] > 0


def test_at_most_max_tries_rescalings_per_layer():
    # a bias spread across units keeps the variance above 1 + tol whatever W is
    X = np.random.default_rng(0).standard_normal((3, 100))
    layers = [(np.eye(3), np.array([-3.0, 0.0, 3.0]))]
    calls = []

    def forward(ls, index):
        calls.append(index)
        return ls[index][0] @ X + ls[index][1][:, None]

    out = initializers.lsuv_scale(layers, forward, tol=0.1, max_tries=7)
    assert len(calls) == 7
    assert np.var(forward(out, 0)) > 1.1
    assert np.array_equal(layers[0][0], np.eye(3))  # the input is not modified


def test_constant_inputs_are_a_clear_error():
    X = np.ones((3, 50))
    layers = [(np.eye(3), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))]
    with pytest.raises(InitlabError, match="LSUV cannot scale layer 1"):
        initializers.lsuv_scale(layers, make_forward(X, RELU))


def test_lsuv_without_data_is_a_clear_error():
    with pytest.raises(InitlabError, match="data-dependent: it needs forward="):
        initializers.init_network([2, 3, 1], initializers.get("lsuv"), np.random.RandomState(0))


def test_compare_completes_lsuv_on_the_training_data():
    layers = [2] + [16] * 20 + [1]
    result = initlab.compare(["lsuv", "orthogonal"], layers=layers, iterations=1, every=1)
    X = data.load("circles").X_train.T
    lsuv_run, orthogonal_run = result.runs
    assert lsuv_run.init == "lsuv:tol=0.1,max_tries=10"
    v = variances(lsuv_run.initial_params, X, RELU)
    assert len(v) == 21 and np.all(np.abs(v - 1) < 0.1), v
    assert np.abs(variances(orthogonal_run.initial_params, X, RELU)[-1] - 1) > 0.5
