"""The real datasets scikit-learn ships (iris, wine, breast_cancer, digits): the same data as
scikit-learn's own loaders, a reproducible split by class, and networks that learn on them."""

import numpy as np
import pytest
import sklearn.datasets

from initlab import data
from initlab.errors import InitlabError

# name → scikit-learn's own loader and the classes its documentation lists
SKLEARN = {
    "iris": (sklearn.datasets.load_iris, 3),
    "wine": (sklearn.datasets.load_wine, 3),
    "breast_cancer": (sklearn.datasets.load_breast_cancer, 2),
    "digits": (sklearn.datasets.load_digits, 10),
}


def _sorted_rows(X):
    return X[np.lexsort(X.T[::-1])]


@pytest.mark.parametrize("name", SKLEARN)
def test_same_data_as_sklearn(name):
    loader, n_classes = SKLEARN[name]
    X, y = loader(return_X_y=True)
    ds = data.load(name)
    assert ds.n_classes == n_classes == len(np.unique(y))
    assert ds.n_features == X.shape[1]
    assert len(ds.y_train) + len(ds.y_test) == X.shape[0]
    both = np.vstack([ds.X_train, ds.X_test])
    np.testing.assert_array_equal(_sorted_rows(both), _sorted_rows(X.astype(float)))
    counts = np.bincount(np.concatenate([ds.y_train, ds.y_test]), minlength=n_classes)
    np.testing.assert_array_equal(counts, np.bincount(y))
    assert ds.class_names == tuple(map(str, loader().target_names))
    # each row keeps its own label: look every test row up in scikit-learn's arrays
    for row, label in zip(ds.X_test[:20], ds.y_test[:20], strict=True):
        matches = np.flatnonzero((X == row).all(axis=1))
        assert label in y[matches]


@pytest.mark.parametrize("name", SKLEARN)
def test_split_is_stratified(name):
    _, y = SKLEARN[name][0](return_X_y=True)
    ds = data.load(f"{name}:test_fraction=0.3")
    for c, n_c in enumerate(np.bincount(y)):
        expected = int(np.floor(0.3 * n_c + 0.5))  # each class's share, rounded half up
        assert np.sum(ds.y_test == c) == expected
        assert np.sum(ds.y_train == c) == n_c - expected


def test_split_reproducible_from_seed():
    a, b = data.load("wine:seed=4"), data.load("wine:seed=4")
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    other = data.load("wine:seed=5")
    assert not np.array_equal(a.X_test, other.X_test)


def test_standardize_uses_training_statistics():
    raw, ds = data.load("breast_cancer"), data.load("breast_cancer:standardize=true")
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, rtol=1e-12)
    mean, std = raw.X_train.mean(axis=0), raw.X_train.std(axis=0)
    np.testing.assert_allclose(ds.X_test, (raw.X_test - mean) / std, rtol=1e-12)


def test_short_spec_and_listing():
    assert data.short_spec(data.load("iris").spec) == "iris"
    assert data.short_spec(data.load("iris:seed=2").spec) == "iris:seed=2"
    listed = dict(data.describe())
    for name in SKLEARN:
        assert name in data.names() and "bundled" in listed[name]


@pytest.mark.parametrize("spec", ["iris:seed=-1", "digits:test_fraction=1", "wine:noise=0.1"])
def test_bad_parameters_are_one_error(spec):
    with pytest.raises(InitlabError):
        data.load(spec)


@pytest.mark.parametrize("name", SKLEARN)
def test_a_short_run_learns(name):
    import initlab

    n_classes = SKLEARN[name][1]
    result = initlab.compare(
        ["he"],
        layers=["auto", 16, "auto"],
        dataset=f"{name}:standardize=true",
        lr=0.1,
        iterations=300,
        engine="numpy",
        progress=False,
    )
    run = result.runs[0]
    chance = 1 / n_classes
    assert not run.diverged
    assert run.test_accuracy > chance + 0.8 * (1 - chance), run.test_accuracy


def test_usable_wherever_a_dataset_name_is(tmp_path):
    """diagnose and sweep take the names as they take any dataset spec."""
    import initlab

    diagnostics = initlab.diagnose(
        ["he"], depth=1, width=4, dataset="wine:standardize=true", iterations=10, progress=False
    )
    assert diagnostics.dataset.n_features == 13
    store = str(tmp_path / "s.db")
    outcome = initlab.sweep(
        ["he"],
        "0-1",
        dataset="iris,digits:seed=1",
        iterations=20,
        every=10,
        store=store,
        progress=False,
    )
    assert outcome.ran == 4
    assert sorted(set(initlab.load(store)["dataset"])) == [
        "digits:test_fraction=0.25,seed=1",
        "iris:test_fraction=0.25,seed=0",
    ]
