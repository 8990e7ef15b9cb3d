"""A classification dataset with a fixed train/test split, in scikit-learn's layout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays: ``X`` of shape ``(n_samples, n_features)``, ``y`` integer labels.

    ``spec`` is the canonical text of what was loaded (name and every parameter).
    """

    spec: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def classes(self) -> np.ndarray:
        return np.unique(np.concatenate([self.y_train, self.y_test]))

    @property
    def n_classes(self) -> int:
        return int(self.classes.size)
