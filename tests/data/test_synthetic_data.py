"""The generated datasets: shapes, labels, determinism, what noise does, their geometry."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initlab import data
from initlab.errors import InitlabError

GENERATED = ["circles", "moons", "xor", "gaussian", "spiral", "blobs"]
CLASSES = {"circles": 2, "moons": 2, "xor": 2, "gaussian": 2, "spiral": 2, "blobs": 3}


def test_the_registry_lists_every_dataset():
    real = {"iris", "wine", "breast_cancer", "digits"}  # tests/data/test_real_data.py
    assert set(data.names()) == {*GENERATED, *real, "csv", "npz"}


@pytest.mark.parametrize("name", GENERATED)
@settings(max_examples=8, deadline=None)
@given(n=st.integers(6, 200), n_test=st.integers(6, 60), seed=st.integers(0, 10_000))
def test_shapes_labels_and_determinism(name, n, n_test, seed):
    spec = f"{name}:n_samples={n},n_test={n_test},seed={seed}"
    ds = data.load(spec)
    assert ds.X_train.shape == (n, 2) and ds.X_test.shape == (n_test, 2)
    assert ds.y_train.shape == (n,) and ds.y_test.shape == (n_test,)
    assert ds.y_train.dtype == np.int64
    assert set(np.unique(ds.y_train)) == set(range(CLASSES[name]))
    assert ds.n_classes == CLASSES[name]
    again = data.load(spec)
    assert np.array_equal(ds.X_train, again.X_train) and np.array_equal(ds.y_test, again.y_test)
    other = data.load(f"{name}:n_samples={n},n_test={n_test},seed={seed + 1}")
    assert not np.array_equal(ds.X_train, other.X_train)


@pytest.mark.parametrize("name", GENERATED)
def test_noise_has_an_effect(name):
    quiet = data.load(f"{name}:noise=0.0")
    noisy = data.load(f"{name}:noise=0.3")
    assert not np.allclose(quiet.X_train, noisy.X_train)
    assert np.array_equal(quiet.y_train, noisy.y_train) or name == "circles"


@pytest.mark.parametrize("name", ["moons", "xor", "gaussian", "spiral", "blobs"])
def test_classes_are_balanced(name):
    ds = data.load(f"{name}:n_samples=301")
    counts = np.bincount(ds.y_train)
    assert counts.max() - counts.min() <= 1


def test_moons_without_noise_lie_on_their_half_circles():
    ds = data.load("moons:noise=0")
    X, y = ds.X_train, ds.y_train
    upper = X[y == 0]
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-12)
    assert (upper[:, 1] >= 0).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert (lower[:, 1] <= 0.5).all()


def test_xor_without_noise_is_labelled_by_the_quadrant():
    ds = data.load("xor:noise=0,margin=0.2")
    X, y = ds.X_train, ds.y_train
    assert np.array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    assert np.abs(X).min() >= 0.2 and np.abs(X).max() <= 1


def test_spiral_without_noise_follows_its_arms():
    ds = data.load("spiral:noise=0,classes=3,turns=1.5")
    X, y = ds.X_train, ds.y_train
    r = np.hypot(*X.T)
    theta = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * 1.5 * r + 2 * np.pi * y / 3
    np.testing.assert_allclose(np.cos(theta - expected), 1.0, atol=1e-9)
    assert set(np.unique(y)) == {0, 1, 2}


def test_gaussian_clusters_have_the_requested_centres_and_spread():
    ds = data.load("gaussian:n_samples=20000,noise=0.3,distance=2")
    X, y = ds.X_train, ds.y_train
    centre = 2 / (2 * np.sqrt(2))
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [centre, centre], atol=0.01)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-centre, -centre], atol=0.01)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 0.3, rtol=0.03)


def test_blobs_in_more_dimensions():
    ds = data.load("blobs:classes=5,n_features=7,n_samples=500")
    assert ds.X_train.shape == (500, 7) and ds.n_classes == 5 and ds.n_features == 7


def test_circles_is_still_the_courses():
    from sklearn.datasets import make_circles

    ds = data.load("circles")
    X, y = make_circles(n_samples=300, noise=0.05, random_state=1)
    assert np.array_equal(ds.X_train, X) and np.array_equal(ds.y_train, y)
    assert ds.spec == "circles:n_samples=300,n_test=100,noise=0.05,seed=1,test_seed=2"


def test_standardize_uses_the_training_statistics():
    raw = data.load("moons")
    ds = data.load("moons:standardize=true")
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, rtol=1e-12)
    mean, std = raw.X_train.mean(axis=0), raw.X_train.std(axis=0)
    np.testing.assert_allclose(ds.X_test, (raw.X_test - mean) / std, rtol=1e-12)
    assert ds.spec.endswith(",standardize=True")
    assert np.array_equal(ds.y_train, raw.y_train)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("moons:noise=-1", "noise must be a finite number >= 0"),
        ("moons:n_samples=1", "n_samples must be an integer >= 2"),
        ("moons:n_samples=2.5", "n_samples must be an integer >= 2"),
        ("moons:nois=0.1", "unknown parameter 'nois' for dataset 'moons'"),
        ("spiral:classes=1", "classes of dataset spiral must be an integer >= 2"),
        ("spiral:turns=0", "turns of dataset spiral must be a number > 0"),
        ("blobs:classes=4,n_test=3", "at least the number of classes"),
        ("moons:standardize=yes", "standardize of dataset 'moons' must be true or false"),
        ("moon", "did you mean 'moons'"),
        ("xor:seed=-1", r"seed must be an integer in \[0, 4294967295\]"),
    ],
)
def test_bad_specs_are_one_clear_error(spec, message):
    with pytest.raises(InitlabError, match=message):
        data.load(spec)
