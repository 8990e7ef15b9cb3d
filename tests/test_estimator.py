"""``initlab.MLPClassifier``: scikit-learn's estimator checks, pipelines, the course's numbers."""

import numpy as np
import pytest
from scipy.special import expit
from seed_numbers import ACCURACY, HE_COSTS
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import initlab
from initlab import MLPClassifier, course

# Every check passes; none is expected to fail. Full-batch gradient descent needs a larger step
# than the course's 0.01 to pass check_classifiers_train (accuracy > 0.83) in 200 iterations.
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@parametrize_with_checks(
    [MLPClassifier(max_iter=200, learning_rate=0.1)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_scikit_learn_estimator_checks(estimator, check, monkeypatch):
    # check_array_api_input (NumPy namespace only) runs only when SciPy's array API flag is set;
    # sklearn reads it when the check runs, so set it rather than let the check skip.
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)


@pytest.fixture(scope="module")
def course_fit():
    train_X, train_Y, test_X, test_Y = course.load_dataset()
    model = MLPClassifier().fit(train_X.T, train_Y.ravel())
    return model, (train_X.T, train_Y.ravel(), test_X.T, test_Y.ravel())


def test_the_defaults_on_the_course_data_are_the_course_he_run(course_fit):
    model, (X, y, X_test, y_test) = course_fit
    assert (model.score(X, y), model.score(X_test, y_test)) == ACCURACY["he"]
    assert model.n_iter_ == 15000 and len(model.loss_curve_) == 15000
    np.testing.assert_allclose(model.loss_curve_[::1000], HE_COSTS, rtol=1e-9)


def test_learned_attributes_are_in_scikit_learns_layout(course_fit):
    model, (X, y, X_test, _) = course_fit
    assert [W.shape for W in model.coefs_] == [(2, 10), (10, 5), (5, 1)]
    assert [b.shape for b in model.intercepts_] == [(10,), (5,), (1,)]
    assert (model.n_layers_, model.n_outputs_, model.out_activation_) == (4, 1, "logistic")
    # the forward pass written out in scikit-learn's (samples, features) layout
    A = X_test
    for W, b in zip(model.coefs_[:-1], model.intercepts_[:-1], strict=True):
        A = np.maximum(0, A @ W + b)
    z = (A @ model.coefs_[-1] + model.intercepts_[-1]).ravel()
    np.testing.assert_allclose(model.decision_function(X_test), z, rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X_test)[:, 1], expit(z), rtol=1e-12)
    assert (model.predict(X_test) == (z > 0)).all()


def test_an_int_random_state_is_the_clis_random_state_stream():
    """The first loss is the cost of init_network(RandomState(seed)) weights, worked out here."""
    X, y = make_blobs(60, centers=2, random_state=0)
    model = MLPClassifier(
        hidden_layer_sizes=(4,), init="glorot_uniform", random_state=11, max_iter=1
    ).fit(X, y)
    weights = initlab.initializers.init_network(
        (2, 4, 1), initlab.initializers.get("glorot_uniform"), np.random.RandomState(11)
    )
    z = (
        weights[1][0] @ np.maximum(0, weights[0][0] @ X.T + weights[0][1][:, None])
        + weights[1][1][:, None]
    ).ravel()
    p = expit(z)
    cost = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert model.loss_curve_[0] == pytest.approx(cost, rel=1e-12)


def test_any_labels_binary_and_multiclass():
    X, y = make_blobs(150, centers=3, random_state=1)
    labels = np.array(["cat", "dog", "emu"])[y]
    model = MLPClassifier(max_iter=300, learning_rate=0.1, random_state=0).fit(X, labels)
    assert list(model.classes_) == ["cat", "dog", "emu"] and model.out_activation_ == "softmax"
    assert model.score(X, labels) > 0.9
    proba = model.predict_proba(X[:7])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.decision_function(X[:7]).shape == (7, 3)
    assert (model.classes_[proba.argmax(axis=1)] == model.predict(X[:7])).all()
    binary = MLPClassifier(max_iter=300, learning_rate=0.1).fit(X[y < 2], np.where(y[y < 2], 5, -5))
    assert list(binary.classes_) == [-5, 5] and set(binary.predict(X)) <= {-5, 5}


def test_pipeline_and_grid_search_over_init():
    X, y = make_blobs(120, centers=2, cluster_std=1.5, random_state=4)
    pipeline = make_pipeline(StandardScaler(), MLPClassifier(max_iter=200, learning_rate=0.1))
    search = GridSearchCV(
        pipeline, {"mlpclassifier__init": ["zeros", "he", "glorot_normal"]}, cv=3
    ).fit(X, y)
    scores = dict(
        zip(
            search.cv_results_["param_mlpclassifier__init"],
            search.cv_results_["mean_test_score"],
            strict=True,
        )
    )
    assert scores["zeros"] == 0.5 and scores["he"] > 0.8  # zeros cannot break symmetry
    assert search.best_params_["mlpclassifier__init"] != "zeros"
    direct = GridSearchCV(
        MLPClassifier(max_iter=50, learning_rate=0.1),
        param_grid={"init": ["he", "lecun_normal"]},
        cv=2,
    ).fit(X, y)
    assert direct.best_estimator_.init in ("he", "lecun_normal")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"learning_rate": 0}, "learning_rate must be a finite number > 0"),
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"hidden_layer_sizes": (10, 0)}, "hidden_layer_sizes must be a tuple of integers"),
        ({"init": "hee"}, "did you mean 'he'"),
        ({"activation": "rleu"}, "unknown activation 'rleu'"),
        ({"engine": "gpu"}, "unknown engine 'gpu'"),
        ({"random_state": 2**32}, r"random_state must be .* an integer in \[0, 4294967295\]"),
        ({"random_state": -3}, r"random_state must be None, a numpy RandomState or an integer"),
        ({"random_state": 2.5}, r"random_state must be .*; got 2.5"),
    ],
)
def test_bad_parameters_raise_in_fit_naming_them(params, message):
    X, y = make_blobs(20, centers=2, random_state=0)
    model = MLPClassifier(**params)  # __init__ only stores
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)
