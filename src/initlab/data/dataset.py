"""A classification dataset with a fixed train/test split, in scikit-learn's layout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays: ``X`` of shape ``(n_samples, n_features)``, ``y`` integer labels
    ``0 … n_classes − 1``.

    ``spec`` is the canonical text of what was loaded (name and every parameter).
    ``class_names`` are the labels as written in a user's file (``None``: the numbers themselves);
    ``feature_names`` the column names of the file (``None``: ``x1, x2, …``).
    """

    spec: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] | None = None

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def classes(self) -> np.ndarray:
        if self.class_names is not None:
            return np.arange(len(self.class_names))
        return np.unique(np.concatenate([self.y_train, self.y_test]))

    @property
    def n_classes(self) -> int:
        return int(self.classes.size)

    @property
    def name(self) -> str:
        """The dataset's registry name, e.g. ``"moons"`` for ``"moons:noise=0.2"``."""
        return self.spec.partition(":")[0]

    def class_name(self, label: int) -> str:
        """How class ``label`` is written in the data (its number for generated data)."""
        return str(label) if self.class_names is None else self.class_names[label]

    def feature_name(self, j: int) -> str:
        return f"x{j + 1}" if self.feature_names is None else self.feature_names[j]
