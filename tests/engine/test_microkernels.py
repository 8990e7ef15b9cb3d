"""The compiled engine's register-blocked kernel on ragged shapes: odd row counts, inputs that
are not a whole tile, sample counts that are not whole vectors (the padded columns), both float
types; against the NumPy reference, and 64 models at once against each model alone."""

import numpy as np
import pytest

from initlab import engine
from initlab.engine import fast
from initlab.engine.layout import padded_columns, padded_rows
from initlab.nn.network import Network


def _problem(sizes, m, output, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    if output == "softmax":
        labels = rng.integers(0, sizes[-1], m)
        Y = (np.arange(sizes[-1])[:, None] == labels[None]).astype(float)
    else:
        Y = (rng.random((sizes[-1], m)) > 0.5).astype(float)
    return X, Y


def _models(sizes, K, seed=1):
    rng = np.random.default_rng(seed)
    return [
        (rng.standard_normal((K, o, i)) * np.sqrt(2.0 / i), 0.1 * rng.standard_normal((K, o, 1)))
        for i, o in zip(sizes[:-1], sizes[1:], strict=True)
    ]


CASES = [  # (sizes, activation, output, m)
    ((1, 1), "relu", "sigmoid", 1),
    ((3, 5, 1), "relu", "sigmoid", 7),
    ((7, 3, 9, 2), "tanh", "softmax", 33),
    ((5, 11, 6, 3), "relu", "sigmoid", 101),
    ((2, 13, 1, 4), "leaky_relu", "softmax", 17),
    ((4, 15, 15, 15, 1), "gelu", "sigmoid", 64),
]


@pytest.mark.parametrize(("sizes", "activation", "output", "m"), CASES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_ragged_shapes_equal_the_reference(sizes, activation, output, m, dtype):
    network = Network(sizes, activation, output)
    X, Y = _problem(sizes, m, output)
    params = _models(sizes, 3)
    args = (network, params, X, Y, np.array([0.05, 0.1, 0.02]), 200, 20)
    fast_run = engine.train(*args, engine="fast", dtype=dtype)
    ref = engine.train(*args, engine="numpy", dtype=dtype)
    tol = 1e-12 if dtype == "float64" else 2e-5
    np.testing.assert_array_equal(fast_run.diverged_at, ref.diverged_at)
    np.testing.assert_allclose(fast_run.costs, ref.costs, rtol=tol, atol=0)
    for (W, b), (W_ref, b_ref) in zip(fast_run.params, ref.params, strict=True):
        np.testing.assert_allclose(W, W_ref, rtol=10 * tol, atol=10 * tol)
        np.testing.assert_allclose(b, b_ref, rtol=10 * tol, atol=10 * tol)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_64_models_at_once_are_64_separate_runs_bit_for_bit(dtype):
    sizes = (2, 10, 5, 1)
    network = Network(sizes)
    X, Y = _problem(sizes, 300, "sigmoid")
    params = _models(sizes, 64)
    lr = np.linspace(0.01, 0.5, 64)
    together = fast.train(network, params, X, Y, lr, 300, 30, None, dtype)
    for k in (0, 17, 63):
        alone = fast.train(network, [(W[k : k + 1], b[k : k + 1]) for W, b in params], X, Y,
                           lr[k], 300, 30, None, dtype)  # fmt: skip
        np.testing.assert_array_equal(together.costs[k], alone.costs[0])
        for (W, b), (W1, b1) in zip(together.params, alone.params, strict=True):
            np.testing.assert_array_equal(W[k], W1[0])
            np.testing.assert_array_equal(b[k], b1[0])


@pytest.mark.parametrize(("m", "itemsize", "M"), [(1, 8, 8), (8, 8, 8), (9, 8, 16), (300, 8, 304),
                                                  (300, 4, 304), (17, 4, 32)])  # fmt: skip
def test_rows_are_padded_to_whole_vectors_with_zeros(m, itemsize, M):
    assert padded_columns(m, itemsize) == M
    X = np.arange(1, 3 * m + 1, dtype=np.float64 if itemsize == 8 else np.float32)
    rows = padded_rows(X, 3).reshape(3, M)
    np.testing.assert_array_equal(rows[:, :m], X.reshape(3, m))
    assert not rows[:, m:].any()
