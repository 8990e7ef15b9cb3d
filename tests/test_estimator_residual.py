"""``initlab.MLPClassifier`` with residual blocks in ``hidden_layer_sizes`` and the residual
initializers: the engine's numbers, scikit-learn's clone and grid search, one clear error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from initlab import MLPClassifier, engine, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_params
from initlab.errors import InitlabError
from initlab.nn.network import Network
from initlab.nn.outputs import targets

HIDDEN = (6, "res6x3", 6)  # 2 → 6 → three blocks of width 6 → 6 → 1


def _xor(n: int = 60):
    X = np.random.default_rng(0).normal(size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("init", ["fixup", "skipinit", "rezero", "zero", "idinit", "rai", "he"])
def test_a_residual_fit_is_the_engine_run_of_the_same_network(init):
    X, y = _xor()
    model = MLPClassifier(
        HIDDEN, init=init, learning_rate=0.05, max_iter=40, random_state=2, engine="numpy"
    )
    model.fit(X, y)
    network = Network((2, 6, 6, 6, 6, 6, 1), "relu", "sigmoid", ((1, 1), (2, 1), (3, 1)))
    layers = initial_params(network, initializers.get(init), np.random.RandomState(2), X.T)
    Y = targets(y, network.output_layer())
    run = engine.train(network, engine.stack([layers]), X.T, Y, 0.05, 40, 1, engine="numpy")
    assert model.blocks_ == network.blocks and model.n_layers_ == 7
    assert model.loss_curve_ == list(run.costs[0]) and model.loss_ == run.final_costs[0]
    for coef, (W, _) in zip(model.coefs_, run.params, strict=False):
        assert np.array_equal(coef, W[0].T)
    assert np.array_equal(model.alphas_, run.params[-1][0][0, :, 0])
    p = reference.predict_proba(network, run.params, X.T)[0, 0]
    assert np.array_equal(model.predict_proba(X)[:, 1], p)
    assert np.array_equal(model.predict(X), (p > 0.5).astype(int))


def test_fixup_starts_as_the_identity_and_rezero_learns_its_alphas():
    X, y = _xor()
    start = MLPClassifier(HIDDEN, init="fixup", max_iter=1, learning_rate=1e-12).fit(X, y)
    assert start.loss_curve_[0] == pytest.approx(np.log(2), abs=1e-15)  # zero output layer
    trained = MLPClassifier(HIDDEN, init="rezero", max_iter=200, learning_rate=0.1).fit(X, y)
    assert trained.alphas_.shape == (3,) and np.all(trained.alphas_ != 0)
    assert trained.score(X, y) > 0.8
    plain = MLPClassifier((6, 6), max_iter=5).fit(X, y)
    assert plain.blocks_ == () and plain.alphas_.shape == (0,)


def test_clone_and_grid_search_over_residual_settings():
    X, y = _xor()
    model = MLPClassifier((4, "res4x2:2"), init="skipinit:alpha=0.5", max_iter=20)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    assert copy.hidden_layer_sizes == (4, "res4x2:2")
    search = GridSearchCV(
        MLPClassifier(max_iter=30, learning_rate=0.1, progress=False),
        {"hidden_layer_sizes": [(4, "res4x2"), (4, 4, 4)], "init": ["he", "rezero"]},
        cv=2,
        error_score="raise",
    )
    with pytest.raises(InitlabError, match="is for residual networks"):
        search.fit(X, y)  # rezero on the plain (4, 4, 4): one clear error
    search.set_params(param_grid={"hidden_layer_sizes": [(4, "res4x2")], "init": ["he", "rezero"]})
    assert search.fit(X, y).best_params_["hidden_layer_sizes"] == (4, "res4x2")


@pytest.mark.parametrize(
    ("hidden", "message"),
    [
        (("res6x3",), "the item before it must be a layer of 6 units"),
        ((4, "res6x3"), "it follows a layer of 4 units"),
        ((6, "res6x3:3"), "m in (1, 2)"),
        ((6, "resnet"), "hidden_layer_sizes: a residual item"),
        ((6, "six"), "integers >= 1 and residual items"),
    ],
)
def test_bad_residual_hidden_layers_are_one_clear_error(hidden, message):
    X, y = _xor(20)
    with pytest.raises(InitlabError, match="hidden_layer_sizes") as error:
        MLPClassifier(hidden, max_iter=2).fit(X, y)
    assert message in str(error.value)
