"""Softmax runs (3+ classes) that diverge: the compiled engine marks the diverging models exactly
as the NumPy reference does (same ``diverged_at``, the others train on) and never crashes on a
NaN logit (issue 14, cause A: the softmax cost's tie count was 0 for a NaN logit)."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import initlab
from initlab import data, engine, initializers
from initlab.engine import fast_outputs
from initlab.nn import outputs
from initlab.nn.network import Network

INITS = ("he", "random", "glorot_uniform")


@pytest.fixture(scope="module")
def blobs():
    ds = data.load("blobs")
    X, y = ds.X_train.T, ds.y_train
    n_out = int(y.max()) + 1
    assert n_out >= 3
    return X, (np.arange(n_out).reshape(-1, 1) == y.reshape(1, -1)).astype(float)


def _both(blobs, activation, seed, lr, iterations=60, every=1):
    X, Y = blobs
    network = Network((X.shape[0], 16, 16, Y.shape[0]), activation, "softmax")
    models = [
        initializers.init_network(
            network.sizes, initializers.get(name), np.random.RandomState(seed)
        )
        for name in INITS
    ]
    args = (network, engine.stack(models), X, Y, lr, iterations, every)
    return engine.train(*args, engine="fast"), engine.train(*args, engine="numpy")


def _assert_same(fast_run, reference):
    assert fast_run.engine == "fast" and reference.engine == "numpy"
    np.testing.assert_array_equal(fast_run.diverged_at, reference.diverged_at)
    # the costs grow geometrically before a divergence, so rounding grows with them
    np.testing.assert_allclose(fast_run.costs, reference.costs, rtol=1e-9, atol=0)
    np.testing.assert_allclose(fast_run.final_costs, reference.final_costs, rtol=1e-9, atol=0)
    for (W, b), (W_ref, b_ref) in zip(fast_run.params, reference.params, strict=True):
        np.testing.assert_allclose(W, W_ref, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(b, b_ref, rtol=1e-8, atol=1e-10)


def test_the_softmax_cost_of_a_nan_logit_is_nan_not_a_crash():
    # sample 0 has a NaN logit (no logit equals the NaN max); sample 1 is finite
    Z = np.array([np.nan, 1.0, 2.0, 0.0, 1.0, 2.0])
    Y = np.array([1.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    tmp = np.empty(2)
    assert np.isnan(fast_outputs.cost(fast_outputs.SOFTMAX_CE, Z, Y, 3, 2, tmp, 1.0, 2.0))
    finite = np.array([0.5, 1.0, 2.0, 0.0, 1.0, 2.0])
    expected = outputs.get("softmax").cost(finite.reshape(1, 3, 2), Y.reshape(3, 2))
    got = fast_outputs.cost(fast_outputs.SOFTMAX_CE, finite, Y, 3, 2, tmp, 1.0, 2.0)
    assert got == pytest.approx(float(expected[0]), rel=1e-15)


@pytest.mark.parametrize(
    "activation, seed, lr",
    [("linear", 0, 10.0), ("linear", 1, 3.0), ("linear", 0, 1.0), ("leaky_relu", 2, 10.0)],
)
def test_fast_equals_numpy_on_diverging_softmax_runs(blobs, activation, seed, lr):
    fast_run, reference = _both(blobs, activation, seed, lr)
    assert (reference.diverged_at >= 0).any()  # the case under test: something diverges
    _assert_same(fast_run, reference)
    for k in np.flatnonzero(fast_run.diverged_at >= 0):
        assert np.isnan(fast_run.costs[k, fast_run.diverged_at[k] :]).all()
        assert np.isnan(fast_run.final_costs[k])


def test_the_models_that_do_not_diverge_train_on(blobs):
    fast_run, reference = _both(blobs, "linear", 0, 1.0, iterations=100)
    alive = fast_run.diverged_at < 0
    assert alive.any() and not alive.all()  # a mix: some diverge, the others go on
    assert np.isfinite(fast_run.final_costs[alive]).all()
    assert (fast_run.final_costs[alive] < fast_run.costs[alive, 0]).all()
    _assert_same(fast_run, reference)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    lr=st.floats(0.5, 50.0),
    every=st.sampled_from([1, 3]),
    activation=st.sampled_from(["linear", "relu", "leaky_relu"]),
)
def test_fast_equals_numpy_on_generated_softmax_runs(blobs, seed, lr, every, activation):
    """Generated runs may be chaotic (a cost of 1e18 that recovers), where rounding grows to the
    visible digits, so the costs are compared loosely; what diverges, and when, is exact."""
    fast_run, reference = _both(blobs, activation, seed, lr, iterations=40, every=every)
    np.testing.assert_array_equal(fast_run.diverged_at, reference.diverged_at)
    np.testing.assert_array_equal(np.isnan(fast_run.costs), np.isnan(reference.costs))
    np.testing.assert_array_equal(np.isnan(fast_run.final_costs), np.isnan(reference.final_costs))
    np.testing.assert_allclose(fast_run.costs, reference.costs, rtol=1e-4, atol=0)


def test_compare_with_the_fast_engine_reports_the_diverged_runs(blobs):
    result, reference = (
        initlab.compare(
            list(INITS),
            dataset="blobs",
            activation="linear",
            lr=10,
            layers="auto,16,16,auto",
            every=1,
            iterations=100,
            engine=engine,
        )
        for engine in ("fast", "numpy")
    )
    for name in INITS:
        assert result.run(name).diverged_at == reference.run(name).diverged_at
        assert result.run(name).diverged_at is not None, name
    assert "nan" not in result.table().to_string().lower()


def test_a_sweep_of_diverging_softmax_runs_stores_them(tmp_path):
    outcome = initlab.sweep(
        "he,random",
        "0-1",
        dataset="blobs",
        activation="linear",
        layers="auto,16,16,auto",
        lr=10.0,
        iterations=100,
        every=1,
        engine="fast",
        store=str(tmp_path / "runs.db"),
    )
    frame = initlab.load(str(tmp_path / "runs.db"))
    assert outcome.ran == 4 and len(frame) == 4
    assert frame["diverged_at"].notna().all()


def test_mlpclassifier_on_diverging_multiclass_data_warns_instead_of_crashing():
    from sklearn.exceptions import ConvergenceWarning

    ds = data.load("blobs")
    model = initlab.MLPClassifier(
        hidden_layer_sizes=(16, 16),
        activation="linear",
        init="random",
        learning_rate=10.0,
        max_iter=100,
        engine="fast",
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(ds.X_train, ds.y_train)
    assert model.engine_ == "fast"
    assert any(issubclass(w.category, ConvergenceWarning) for w in caught)
    assert model.n_iter_ < 100 and np.isnan(model.loss_)
