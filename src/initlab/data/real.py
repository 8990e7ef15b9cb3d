"""Real data without a download: the four classification sets scikit-learn ships in its package.

Each is read by scikit-learn's own loader (``sklearn.datasets.load_iris``, ``load_wine``,
``load_breast_cancer``, ``load_digits``: files inside the installed package, no network) and
split into train and test by class with :func:`~initlab.data.split.stratified_split`:
``test_fraction`` of every class (default ¼) drawn by ``default_rng(seed)``, so the same seed gives
the same split, bit for bit. The classes keep scikit-learn's names (``setosa``, ``malignant``, …)
and the features theirs. Like every dataset they take ``standardize=true`` (statistics from the
training split); their features are in the units they were measured in (centimetres, pixel
intensities 0–16, cell areas in the hundreds), so most networks want it.

Sources, as scikit-learn's documentation gives them: iris — Fisher (1936), 150 flowers, 4
measurements, 3 species; wine — Forina et al., UCI, 178 wines, 13 chemical measurements, 3
cultivars; breast_cancer — Wolberg, Street & Mangasarian (1995), UCI Wisconsin diagnostic, 569
tumours, 30 features, 2 classes; digits — Alpaydin & Kaynak, UCI optical digits, 1,797 8×8 images,
64 pixel features, 10 classes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from initlab import checks
from initlab.data.dataset import Dataset
from initlab.data.registry import register
from initlab.data.split import stratified_split

#: name → (scikit-learn loader's name, number of classes), the facts the tests check against
REAL: dict[str, tuple[str, int]] = {
    "iris": ("load_iris", 3),
    "wine": ("load_wine", 3),
    "breast_cancer": ("load_breast_cancer", 2),
    "digits": ("load_digits", 10),
}


def _loader(name: str) -> Callable[..., Any]:
    from sklearn import datasets  # loaded on first use (import initlab: no sklearn)

    loader: Callable[..., Any] = getattr(datasets, REAL[name][0])
    return loader


def _real(spec: str, name: str, test_fraction: float, seed: int) -> Dataset:
    """Load ``name`` with scikit-learn and split it by class (``test_fraction``, ``seed``)."""
    checks.check(f"test_fraction of dataset {name!r}", test_fraction, checks.OPEN_FRACTION)
    checks.check(f"seed of dataset {name!r}", seed, checks.SEED)
    bunch = _loader(name)()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    train, test = stratified_split(y, float(test_fraction), np.random.default_rng(seed), name)
    classes = tuple(str(c) for c in bunch.target_names)
    features = tuple(str(f) for f in getattr(bunch, "feature_names", ())) or None
    return Dataset(spec, X[train], y[train], X[test], y[test], classes, features)


@register("iris", "Fisher's iris: 150 flowers, 4 measurements, 3 species (bundled, no download)")
def iris(spec: str, /, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """``sklearn.datasets.load_iris``, split by class; see the module docstring."""
    return _real(spec, "iris", test_fraction, seed)


@register("wine", "178 wines, 13 chemical measurements, 3 cultivars (bundled, no download)")
def wine(spec: str, /, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """``sklearn.datasets.load_wine``, split by class; see the module docstring."""
    return _real(spec, "wine", test_fraction, seed)


@register(
    "breast_cancer",
    "569 tumours, 30 features, malignant or benign (Wisconsin; bundled, no download)",
)
def breast_cancer(spec: str, /, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """``sklearn.datasets.load_breast_cancer``, split by class; see the module docstring."""
    return _real(spec, "breast_cancer", test_fraction, seed)


@register("digits", "1,797 handwritten digits, 8×8 pixels, 10 classes (bundled, no download)")
def digits(spec: str, /, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """``sklearn.datasets.load_digits``, split by class; see the module docstring."""
    return _real(spec, "digits", test_fraction, seed)
