"""The compiled engine against the NumPy reference: every activation and output, K = 1 and K > 1,
depth 1 to 6, divergence, float32, fallback; the seed's numbers."""

import numpy as np
import pytest
from seed_numbers import ACCURACY, HE_COSTS, ZEROS_COSTS

from initlab import data, engine, initializers
from initlab.engine import fast
from initlab.errors import InitlabError
from initlab.nn import activations
from initlab.nn.network import Network
from initlab.nn.outputs import OUTPUTS

# the registry's activations (canonical names; names() also lists aliases)
ACTIVATIONS = sorted({activations.get(name).name for name in activations.names()})
# a spec per activation that sets its parameters away from the defaults where it has any
PARAMS = {"leaky_relu": "leaky_relu:slope=0.2", "elu": "elu:alpha=0.5"}


@pytest.fixture(scope="module")
def circles():
    ds = data.load("circles")
    return ds.X_train.T, ds.y_train


def _targets(y, output, n_out):
    if output == "softmax":
        return (np.arange(n_out).reshape(-1, 1) == y.reshape(1, -1)).astype(float)
    return y.reshape(1, -1).astype(float)


def _he_models(sizes, K):
    he = initializers.get("he")
    return engine.stack(
        [initializers.init_network(sizes, he, np.random.RandomState(k)) for k in range(K)]
    )


def _assert_same_run(fast_run, reference, cost_rtol=1e-12, param_tol=1e-10):
    assert fast_run.engine == "fast" and reference.engine == "numpy"
    np.testing.assert_array_equal(fast_run.iterations, reference.iterations)
    np.testing.assert_array_equal(fast_run.diverged_at, reference.diverged_at)
    np.testing.assert_allclose(fast_run.costs, reference.costs, rtol=cost_rtol, atol=0)
    np.testing.assert_allclose(fast_run.final_costs, reference.final_costs, rtol=cost_rtol, atol=0)
    for (W, b), (W_ref, b_ref) in zip(fast_run.params, reference.params, strict=True):
        assert W.shape == W_ref.shape and b.shape == b_ref.shape
        np.testing.assert_allclose(W, W_ref, rtol=param_tol, atol=param_tol)
        np.testing.assert_allclose(b, b_ref, rtol=param_tol, atol=param_tol)


def test_the_kernel_covers_every_activation_and_output():
    assert set(ACTIVATIONS) <= set(fast.ACTIVATION_CODES)
    assert set(OUTPUTS) <= set(fast.OUTPUT_CODES)


@pytest.mark.parametrize("K", [1, 3])
@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_fast_equals_reference(circles, activation, output, K):
    X, y = circles
    n_out = 2 if output == "softmax" else 1
    network = Network((2, 10, 5, n_out), PARAMS.get(activation, activation), output)
    Y = _targets(y, output, n_out)
    params = _he_models(network.sizes, K)
    lr = np.array([0.01, 0.03, 0.005][:K])
    args = (network, params, X, Y, lr, 300, 50)
    _assert_same_run(engine.train(*args, engine="fast"), engine.train(*args, engine="numpy"))


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6])
def test_fast_equals_reference_at_every_depth(circles, depth):
    X, y = circles
    sizes = (2, *(9, 7, 6, 5, 4)[: depth - 1], 1)
    network = Network(sizes, "tanh" if depth % 2 else "relu")
    args = (network, _he_models(sizes, 2), X, y.reshape(1, -1).astype(float), 0.02, 250, 25)
    _assert_same_run(engine.train(*args, engine="fast"), engine.train(*args, engine="numpy"))


@pytest.fixture(scope="module")
def seed_runs():
    """The seed's comparison (zeros, random, He; 15,000 iterations) on each engine."""
    import initlab

    return {name: initlab.compare(engine=name) for name in ("numpy", "fast")}


@pytest.mark.parametrize("engine_name", ["numpy", "fast"])
def test_the_seeds_numbers_on_both_engines(seed_runs, engine_name):
    result = seed_runs[engine_name]
    assert result.engine == engine_name and result.engine_note == ""
    np.testing.assert_allclose([c for _, c in result.run("he").costs], HE_COSTS, rtol=1e-9, atol=0)
    np.testing.assert_allclose(
        [c for _, c in result.run("zeros").costs], ZEROS_COSTS, rtol=1e-9, atol=0
    )
    for name, accuracies in ACCURACY.items():
        run = result.run(name)
        assert (run.train_accuracy, run.test_accuracy) == accuracies, name


def test_the_seed_run_matches_the_reference_over_15000_iterations(seed_runs):
    """He on the seed's problem is not chaotic: 15,000 iterations agree to rounding."""
    he, he_ref = seed_runs["fast"].run("he"), seed_runs["numpy"].run("he")
    np.testing.assert_allclose(
        [c for _, c in he.costs], [c for _, c in he_ref.costs], rtol=1e-12, atol=0
    )
    assert he.final_cost == pytest.approx(he_ref.final_cost, rel=1e-12, abs=0)
    for (W, b), (W_ref, b_ref) in zip(he.final_params, he_ref.final_params, strict=True):
        np.testing.assert_allclose(W, W_ref, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(b, b_ref, rtol=1e-10, atol=1e-10)


def test_divergence_is_handled_as_the_reference_does(circles):
    X, y = circles
    network = Network((2, 20, 20, 20, 1))
    models = [
        initializers.init_network(network.sizes, initializers.get(n), np.random.RandomState(3))
        for n in ["random:scale=100", "he", "random:scale=100"]
    ]
    # the divergence falls on a recorded iteration with every = 1, between two with every = 2
    args = (
        network,
        engine.stack(models),
        X,
        y.reshape(1, -1).astype(float),
        np.array([1.0, 0.01, 0.5]),
        300,
    )
    for every in (1, 2):
        fast_run = engine.train(*args, every, engine="fast")
        reference = engine.train(*args, every, engine="numpy")
        assert fast_run.diverged(0) and fast_run.diverged(2) and not fast_run.diverged(1)
        assert fast_run.diverged_at[0] % 2 == 1  # odd: not recorded when every = 2
        _assert_same_run(fast_run, reference)
    for W, b in engine.unstack(fast_run.params, 0):  # frozen with zeroed parameters
        assert not W.any() and not b.any()
    assert np.isnan(fast_run.final_costs[[0, 2]]).all()


def test_a_model_whose_final_cost_is_not_finite_diverges_at_the_last_iteration():
    network = Network((1, 1))
    params = engine.stack([[(np.array([[1.0]]), np.array([0.0]))]] * 2)
    X, Y = np.array([[10.0, 20.0]]), np.array([[0.0, 1.0]])
    # dW ≈ 5, so a step of −1e308 overflows the weight to +inf: the logits are finite at
    # iteration 0 and not after the last update
    args = (network, params, X, Y, np.array([-1e308, 0.1]), 1, 1)
    fast_run, reference = engine.train(*args, engine="fast"), engine.train(*args, engine="numpy")
    assert list(reference.diverged_at) == [1, -1]
    _assert_same_run(fast_run, reference)


@pytest.mark.parametrize("engine_name", ["fast", "numpy"])
def test_float32_stays_within_1e_4_of_float64_on_he(circles, engine_name):
    """The seed's He run (RandomState(3)); the numpy engine for its first 2,000 iterations."""
    X, y = circles
    network = Network((2, 10, 5, 1))
    Y = y.reshape(1, -1).astype(float)
    he = initializers.init_network(network.sizes, initializers.get("he"), np.random.RandomState(3))
    args = (network, engine.stack([he]), X, Y, 0.01, 15000 if engine_name == "fast" else 2000, 500)
    f64 = engine.train(*args, engine=engine_name)
    f32 = engine.train(*args, engine=engine_name, dtype="float32")
    assert f32.dtype == "float32" and f64.dtype == "float64" and f32.engine == engine_name
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in f32.params)
    np.testing.assert_allclose(f32.costs, f64.costs, rtol=1e-4, atol=0)
    np.testing.assert_allclose(f32.final_costs, f64.final_costs, rtol=1e-4, atol=0)
    assert np.abs(f32.costs - f64.costs).max() > 0  # float32 really ran


def test_float32_fast_equals_float32_reference(circles):
    X, y = circles
    network = Network((2, 10, 5, 1), "gelu")
    args = (network, _he_models(network.sizes, 2), X, y.reshape(1, -1).astype(float), 0.01, 200, 20)
    fast_run = engine.train(*args, engine="fast", dtype="float32")
    reference = engine.train(*args, engine="numpy", dtype="float32")
    _assert_same_run(fast_run, reference, cost_rtol=1e-5, param_tol=1e-5)


def test_progress_runs_in_chunks_with_the_same_result(circles):
    X, y = circles
    network = Network((2, 10, 5, 1))
    args = (
        network,
        _he_models(network.sizes, 2),
        X,
        y.reshape(1, -1).astype(float),
        0.01,
        450,
        100,
    )
    seen = []
    chunked = engine.train(*args, progress=seen.append, engine="fast")
    whole = engine.train(*args, engine="fast")
    assert seen == sorted(seen) and seen[-1] == 450 and len(seen) > 10
    np.testing.assert_array_equal(chunked.costs, whole.costs)
    for (W, b), (W1, b1) in zip(chunked.params, whole.params, strict=True):
        np.testing.assert_array_equal(W, W1)
        np.testing.assert_array_equal(b, b1)


def test_training_leaves_the_initial_params_alone(circles):
    X, y = circles
    network = Network((2, 3, 1))
    params = _he_models(network.sizes, 2)
    before = [(W.copy(), b.copy()) for W, b in params]
    engine.train(network, params, X, y.reshape(1, -1).astype(float), 0.1, 5, engine="fast")
    assert all(
        np.array_equal(W, W0) and np.array_equal(b, b0)
        for (W, b), (W0, b0) in zip(params, before, strict=True)
    )


def test_auto_picks_fast_and_numpy_stays_the_default(circles):
    X, y = circles
    network = Network((2, 3, 1))
    args = (network, _he_models(network.sizes, 1), X, y.reshape(1, -1).astype(float), 0.1, 5)
    assert engine.train(*args, engine="auto").engine == "fast"
    default = engine.train(*args)
    assert default.engine == "numpy" and default.note == ""


def test_a_network_the_kernel_lacks_falls_back_to_numpy_and_says_so(circles, monkeypatch):
    monkeypatch.delitem(fast.ACTIVATION_CODES, "tanh")
    X, y = circles
    network = Network((2, 4, 1), "tanh")
    args = (network, _he_models(network.sizes, 1), X, y.reshape(1, -1).astype(float), 0.1, 5)
    for asked in ("fast", "auto"):
        history = engine.train(*args, engine=asked)
        assert history.engine == "numpy"
        assert "tanh" in history.note and "numpy" in history.note
    reference = engine.train(*args, engine="numpy")
    np.testing.assert_array_equal(history.costs, reference.costs)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"engine": "gpu"}, ["engine", "'gpu'", "auto", "fast", "numpy"]),
        ({"dtype": "float16"}, ["dtype", "float16", "float32", "float64"]),
    ],
)
def test_bad_engine_or_dtype_is_one_clear_error(kwargs, words):
    network = Network((1, 1))
    params = engine.stack([[(np.ones((1, 1)), np.zeros(1))]])
    with pytest.raises(InitlabError) as error:
        engine.train(network, params, np.ones((1, 2)), np.ones((1, 2)), 0.1, 1, **kwargs)
    assert all(word in str(error.value) for word in words), str(error.value)


@pytest.mark.parametrize("which", ["numpy", "fast", "auto"])
@pytest.mark.parametrize(
    ("X", "Y", "cut", "message"),
    [
        (np.ones(5), np.ones((1, 5)), None, r"X must have shape \(2, m\) with m >= 1; got \(5,\)"),
        (np.ones((3, 5)), np.ones((1, 5)), None, r"X must have shape \(2, m\)"),
        (np.ones((2, 0)), np.ones((1, 0)), None, r"X must have shape \(2, m\) with m >= 1"),
        (np.ones((2, 5)), np.ones((1, 4)), None, r"Y must have shape \(1, 5\); got \(1, 4\)"),
        (np.ones((2, 5)), np.ones(5), None, r"Y must have shape \(1, 5\); got \(5,\)"),
        (np.ones((2, 5)), np.ones((1, 5)), 1, r"params for 2-3-1 with K = 2 must have shapes"),
        (np.ones((2, 5)), np.ones((1, 5)), 3, r"params for 2-3-1 with K = 2 must have shapes"),
    ],
)
def test_every_engine_refuses_malformed_inputs_with_one_clear_error(which, X, Y, cut, message):
    """The same InitlabError whichever engine would run (checked before any work): a 1-D X or Y,
    the wrong number of input rows, no samples, mismatched samples, a layer missing or one too
    many."""
    network = Network((2, 3, 1))
    params = _he_models(network.sizes, 2)
    if cut == 1:
        params = params[:1]
    elif cut == 3:
        params = [*params, params[-1]]
    with pytest.raises(InitlabError, match=message):
        engine.train(network, params, X, Y, 0.1, 1, engine=which)


@pytest.mark.parametrize("which", ["numpy", "fast"])
def test_a_residual_networks_params_need_their_alpha_entry_on_every_engine(which):
    from residual_cases import data, draw, residual_network

    network = residual_network(1)
    params = draw(network, 2, seed=0)
    X, Y = data(1)
    engine.train(network, params, X, Y, 0.1, 1, engine=which)  # well formed: trains
    with pytest.raises(InitlabError, match=r"one \(alpha, trained\) entry of shapes \(2, 3, 1\)"):
        engine.train(network, params[:-1], X, Y, 0.1, 1, engine=which)
    alpha, trained = params[-1]
    L = network.depth
    shapes = r"\[\(2, 2, 1\), \(2, 3, 1\)\]"
    with pytest.raises(
        InitlabError, match=rf"got {L + 1} entries for {L} layers, the last of shapes {shapes}"
    ):
        engine.train(network, [*params[:-1], (alpha[:, :2], trained)], X, Y, 0.1, 1, engine=which)
