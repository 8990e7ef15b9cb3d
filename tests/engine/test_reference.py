"""The NumPy engine: gradients against finite differences, batching against separate runs."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from initlab import engine, initializers
from initlab.engine import reference
from initlab.nn.network import Network


def _problem(sizes, seed, m=7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    models = [
        [
            (rng.standard_normal((o, i)), rng.standard_normal(o) * 0.5)
            for i, o in zip(sizes[:-1], sizes[1:], strict=True)
        ]
        for _ in range(2)
    ]
    return X, Y, engine.stack(models)


def _numeric_gradient(network, params, X, Y, l, which, eps=1e-3):
    """Centred finite differences of the mean cost, one parameter at a time, with one
    Richardson step, (4·D(ε/2) − D(ε)) / 3, so the truncation error is O(ε⁴)."""
    target = params[l][which]

    def central(index, h):
        saved = target[index]
        target[index] = saved + h
        plus = reference.cost(network, params, X, Y)[index[0]]
        target[index] = saved - h
        minus = reference.cost(network, params, X, Y)[index[0]]
        target[index] = saved
        return (plus - minus) / (2 * h)

    grad = np.zeros_like(target)
    for index in np.ndindex(target.shape):
        grad[index] = (4 * central(index, eps / 2) - central(index, eps)) / 3
    return grad


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
    n_in=st.integers(1, 4),
    seed=st.integers(0, 10_000),
)
def test_backprop_matches_finite_differences(hidden, n_in, seed):
    sizes = (n_in, *hidden, 1)
    network = Network(sizes)
    X, Y, params = _problem(sizes, seed)
    # no pre-activation near a ReLU kink, where the derivative is not defined
    assume(all(np.abs(Z).min() > 0.05 for Z in reference.forward(network, params, X).Z[:-1]))
    _, grads = reference.gradients(network, params, X, Y)
    for l in range(len(params)):
        for which in (0, 1):
            numeric = _numeric_gradient(network, params, X, Y, l, which)
            analytic = grads[l][which]
            # the course's gradient-check measure: ‖a − n‖ / (‖a‖ + ‖n‖), per parameter array
            norm = np.linalg.norm(numeric) + np.linalg.norm(analytic)
            error = np.linalg.norm(numeric - analytic) / norm if norm > 0 else 0.0
            assert error < 1e-7, (sizes, l, which, error)


def _seed_problem():
    from initlab import data

    ds = data.load("circles")
    return ds.X_train.T, ds.y_train.reshape(1, -1).astype(float)


def test_batched_training_equals_separate_trainings():
    X, Y = _seed_problem()
    network = Network((2, 10, 5, 1))
    names = ["zeros", "random", "he", "lecun_normal"]
    models = [
        initializers.init_network(network.sizes, initializers.get(n), np.random.RandomState(s))
        for s, n in enumerate(names)
    ]
    lrs = np.array([0.01, 0.002, 0.03, 0.01])
    batched = engine.train(network, engine.stack(models), X, Y, lrs, 600, every=100)
    for k, model in enumerate(models):
        alone = engine.train(network, engine.stack([model]), X, Y, lrs[k], 600, every=100)
        np.testing.assert_allclose(batched.costs[k], alone.costs[0], rtol=1e-12, atol=0)
        for (W, b), (W1, b1) in zip(
            engine.unstack(batched.params, k), engine.unstack(alone.params, 0), strict=True
        ):
            np.testing.assert_allclose(W, W1, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(b, b1, rtol=1e-12, atol=1e-15)


def test_a_diverging_model_is_reported_and_the_others_finish():
    X, Y = _seed_problem()
    network = Network((2, 50, 50, 50, 1))
    models = [
        initializers.init_network(network.sizes, initializers.get(n), np.random.RandomState(3))
        for n in ["random:scale=30", "he"]
    ]
    history = engine.train(network, engine.stack(models), X, Y, np.array([1.0, 0.01]), 300, every=2)
    assert history.diverged(0) and not history.diverged(1)
    at = history.diverged_at[0]
    assert 0 < at < 300, at
    assert np.isnan(history.costs[0, history.iterations >= at]).all()
    assert np.isfinite(history.costs[0, history.iterations < at]).all()
    assert np.isfinite(history.costs[1]).all() and np.isfinite(history.final_costs[1])
    alone = engine.train(network, engine.stack(models[1:]), X, Y, 0.01, 300, every=2)
    np.testing.assert_allclose(history.costs[1], alone.costs[0], rtol=1e-12)


def test_cost_is_finite_where_probabilities_saturate():
    network = Network((1, 1))
    params = engine.stack([[(np.array([[1000.0]]), np.array([0.0]))]])
    X = np.array([[1.0, -1.0]])
    Y = np.array([[0.0, 1.0]])  # both confidently wrong
    assert reference.cost(network, params, X, Y)[0] == pytest.approx(1000.0)


def test_training_leaves_the_initial_params_alone():
    X, Y = _seed_problem()
    network = Network((2, 3, 1))
    params = engine.stack(
        [initializers.init_network(network.sizes, initializers.get("he"), np.random.RandomState(0))]
    )
    before = [W.copy() for W, _ in params]
    engine.train(network, params, X, Y, 0.1, 5)
    assert all(np.array_equal(W, B) for (W, _), B in zip(params, before, strict=True))
