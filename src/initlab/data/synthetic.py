"""Synthetic 2-D problems."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_circles

from initlab.data.dataset import Dataset
from initlab.data.registry import register
from initlab.errors import InitlabError


def _check(n_samples: int, noise: float) -> None:
    if not isinstance(n_samples, int) or n_samples < 2:
        raise InitlabError(f"n_samples must be an integer >= 2; got {n_samples!r}")
    if not isinstance(noise, (int, float)) or not noise >= 0:
        raise InitlabError(f"noise must be a number >= 0; got {noise!r}")


@register("circles", "two concentric circles (the course's data: 300 train, 100 test points)")
def circles(
    spec: str,
    n_samples: int = 300,
    n_test: int = 100,
    noise: float = 0.05,
    seed: int = 1,
    test_seed: int = 2,
) -> Dataset:
    """The course's data: ``make_circles(300, noise=0.05, random_state=1)`` for training and
    ``make_circles(100, noise=0.05, random_state=2)`` for testing (the course seeds numpy with 1 and
    2 before each call, which is the same stream)."""
    _check(n_samples, noise)
    _check(n_test, noise)
    X_train, y_train = make_circles(n_samples=n_samples, noise=noise, random_state=seed)
    X_test, y_test = make_circles(n_samples=n_test, noise=noise, random_state=test_seed)
    return Dataset(spec, X_train, y_train.astype(np.int64), X_test, y_test.astype(np.int64))
