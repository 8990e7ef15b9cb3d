"""Synthetic 2-D problems: the course's circles and the classic toy problems.

Every generator draws a balanced set from an explicit ``np.random.Generator``; every registered
dataset takes ``n_samples`` training points, ``n_test`` test points, ``noise`` and ``seed``, and
draws the training set and then the test set from ``default_rng(seed)`` — a fixed split, the same
bits for the same seed. (``circles`` keeps the course's scikit-learn calls, so its numbers stay the
course's.) TensorFlow Playground's four problems are ``circles``, ``xor``, ``gaussian`` and
``spiral``.
"""

from __future__ import annotations

import numpy as np

from initlab import checks
from initlab.data.dataset import Dataset
from initlab.data.registry import register
from initlab.errors import InitlabError

Generator = np.random.Generator


def _check_sizes(n_samples: int, n_test: int, noise: float, n_features: int = 2) -> None:
    """Every dataset's own parameters: at least 2 points per split, noise >= 0; both splits
    must fit in memory (a generator holds about 4 arrays of ``n × n_features`` floats)."""
    checks.integer_at_least("n_samples", n_samples, 2)
    checks.non_negative("noise", noise)
    checks.integer_at_least("n_test", n_test, 2)
    checks.check_budget(
        f"a dataset of {n_samples:,} + {n_test:,} samples of {n_features:,} features",
        memory=4 * checks.FLOAT_BYTES * (n_samples + n_test) * n_features,
    )


def _class_sizes(n: int, classes: int) -> list[int]:
    """``n`` split as evenly as possible over ``classes`` (the first classes get the remainder)."""
    return [n // classes + (1 if c < n % classes else 0) for c in range(classes)]


def _labels(n: int, classes: int) -> np.ndarray:
    return np.repeat(np.arange(classes), _class_sizes(n, classes))


def _shuffled(X: np.ndarray, y: np.ndarray, rng: Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def make_moons(n: int, noise: float, rng: Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, as ``sklearn.datasets.make_moons``: class 0 is
    (cos t, sin t), class 1 is (1 − cos t, ½ − sin t), t ∈ [0, π] (drawn uniformly here, where
    scikit-learn spaces it evenly), plus N(0, noise²) on each coordinate."""
    y = _labels(n, 2)
    t = rng.uniform(0.0, np.pi, n)
    X = np.where(
        (y == 0)[:, None],
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
    )
    return _shuffled(X + noise * rng.standard_normal((n, 2)), y, rng)


def make_xor(n: int, noise: float, rng: Generator, margin: float = 0.1):
    """XOR (TensorFlow Playground's "exclusive or"): points in the four quadrants of [−1, 1]²,
    class 1 where x₁·x₂ > 0; each coordinate's magnitude is uniform in [margin, 1], so the classes
    are ``2·margin`` apart before the N(0, noise²) noise is added."""
    y = _labels(n, 2)
    magnitude = rng.uniform(margin, 1.0, (n, 2))
    sign_1 = rng.choice([-1.0, 1.0], n)
    sign_2 = np.where(y == 1, sign_1, -sign_1)
    X = magnitude * np.column_stack([sign_1, sign_2])
    return _shuffled(X + noise * rng.standard_normal((n, 2)), y, rng)


def make_gaussian(n: int, noise: float, rng: Generator, distance: float = 1.5):
    """Two Gaussian clusters (TensorFlow Playground's "gaussian"): class 0 around
    −(d/2√2)(1, 1), class 1 around +(d/2√2)(1, 1), so the centres are ``distance`` = d apart;
    each point is its centre plus N(0, noise²) per coordinate."""
    y = _labels(n, 2)
    centre = distance / (2 * np.sqrt(2)) * np.ones(2)
    X = np.where((y == 1)[:, None], centre, -centre) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_spiral(n: int, noise: float, rng: Generator, classes: int = 2, turns: float = 1.0):
    """Interleaved spirals, one arm per class (TensorFlow Playground's "spiral" has two): a point
    of class k at radius r ~ U(0, 1) sits at angle θ = 2π·turns·r + 2πk/classes, i.e. at
    r(cos θ, sin θ), plus N(0, noise²) per coordinate."""
    y = _labels(n, classes)
    r = rng.uniform(0.0, 1.0, n)
    theta = 2 * np.pi * turns * r + 2 * np.pi * y / classes
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _shuffled(X + noise * rng.standard_normal((n, 2)), y, rng)


def make_blobs(n: int, noise: float, rng: Generator, classes: int = 3, n_features: int = 2):
    """Isotropic Gaussian blobs, one per class: class k's centre is (cos 2πk/K, sin 2πk/K) in the
    first two features (evenly spaced on the unit circle) and, when ``n_features`` > 2, N(0, 1)
    draws in the others; each point is its centre plus N(0, noise²) per feature. (Like
    ``sklearn.datasets.make_blobs`` with ``cluster_std=noise``, on fixed, well separated
    centres.)"""
    y = _labels(n, classes)
    angle = 2 * np.pi * np.arange(classes) / classes
    centres = np.zeros((classes, n_features))
    centres[:, 0], centres[:, 1] = np.cos(angle), np.sin(angle)
    if n_features > 2:
        centres[:, 2:] = rng.standard_normal((classes, n_features - 2))
    X = centres[y] + noise * rng.standard_normal((n, n_features))
    return _shuffled(X, y, rng)


def _dataset(spec: str, make, n_samples: int, n_test: int, noise: float, seed: int, **kw):
    """Training set then test set, both from ``default_rng(seed)``."""
    _check_sizes(n_samples, n_test, noise, kw.get("n_features", 2))
    checks.check("seed", seed, checks.SEED)
    classes = kw.get("classes", 2)
    if min(n_samples, n_test) < classes:
        raise InitlabError(
            f"n_samples and n_test must be at least the number of classes ({classes}); got "
            f"n_samples={n_samples}, n_test={n_test}"
        )
    rng = np.random.default_rng(seed)
    X_train, y_train = make(n_samples, float(noise), rng, **kw)
    X_test, y_test = make(n_test, float(noise), rng, **kw)
    return Dataset(spec, X_train, y_train, X_test, y_test)


@register("circles", "two concentric circles (the course's data: 300 train, 100 test points)")
def circles(
    spec: str,
    /,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.05,
    seed: int = 1,
    test_seed: int = 2,
) -> Dataset:
    """The course's data: ``make_circles(300, noise=0.05, random_state=1)`` for training and
    ``make_circles(100, noise=0.05, random_state=2)`` for testing (the course seeds numpy with 1 and
    2 before each call, which is the same stream)."""
    from sklearn.datasets import make_circles  # loaded on first use (import initlab: no sklearn)

    _check_sizes(n_samples, n_test, noise)
    checks.check("seed", seed, checks.SEED)
    checks.check("test_seed", test_seed, checks.SEED)
    X_train, y_train = make_circles(n_samples=n_samples, noise=noise, random_state=seed)
    X_test, y_test = make_circles(n_samples=n_test, noise=noise, random_state=test_seed)
    return Dataset(spec, X_train, y_train.astype(np.int64), X_test, y_test.astype(np.int64))


@register("moons", "two interleaving half circles (scikit-learn's make_moons)")
def moons(
    spec: str, /, n_samples: int = 300, n_test: int = 100, noise: float = 0.1, seed: int = 0
) -> Dataset:
    """See :func:`make_moons`."""
    return _dataset(spec, make_moons, n_samples, n_test, noise, seed)


@register("xor", "four quadrants, opposite ones in the same class (TensorFlow Playground)")
def xor(
    spec: str,
    /,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.05,
    seed: int = 0,
    margin: float = 0.1,
) -> Dataset:
    """See :func:`make_xor`."""
    margin = checks.fraction("margin of dataset xor", margin)
    return _dataset(spec, make_xor, n_samples, n_test, noise, seed, margin=margin)


@register("gaussian", "two Gaussian clusters (TensorFlow Playground)")
def gaussian(
    spec: str,
    /,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.4,
    seed: int = 0,
    distance: float = 1.5,
) -> Dataset:
    """See :func:`make_gaussian`."""
    distance = checks.non_negative("distance of dataset gaussian", distance)
    return _dataset(spec, make_gaussian, n_samples, n_test, noise, seed, distance=distance)


@register("spiral", "interleaved spirals, one arm per class (TensorFlow Playground: 2 arms)")
def spiral(
    spec: str,
    /,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.05,
    seed: int = 0,
    classes: int = 2,
    turns: float = 1.0,
) -> Dataset:
    """See :func:`make_spiral`."""
    classes = checks.integer_at_least("classes of dataset spiral", classes, 2)
    turns = checks.check("turns of dataset spiral", turns, checks.POSITIVE_AMOUNT)
    return _dataset(spec, make_spiral, n_samples, n_test, noise, seed, classes=classes, turns=turns)


@register("blobs", "k Gaussian blobs, one per class, optionally in more than 2 dimensions")
def blobs(
    spec: str,
    /,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.3,
    seed: int = 0,
    classes: int = 3,
    n_features: int = 2,
) -> Dataset:
    """See :func:`make_blobs`."""
    classes = checks.integer_at_least("classes of dataset blobs", classes, 2)
    n_features = checks.integer_at_least("n_features of dataset blobs", n_features, 2)
    return _dataset(
        spec, make_blobs, n_samples, n_test, noise, seed, classes=classes, n_features=n_features
    )
