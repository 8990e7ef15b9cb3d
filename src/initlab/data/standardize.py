"""Standardizing features: zero mean and unit variance, measured on the training split only."""

from __future__ import annotations

import dataclasses

import numpy as np

from initlab.data.dataset import Dataset


def standardize(dataset: Dataset, spec: str | None = None) -> Dataset:
    """x ← (x − μ) / σ per feature, μ and σ (population std) from ``X_train`` — the test split is
    transformed with the training statistics, as ``sklearn.preprocessing.StandardScaler`` fitted
    on the training set. A constant feature (σ = 0) is only centred.
    """
    mean = dataset.X_train.mean(axis=0)
    std = dataset.X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return dataclasses.replace(
        dataset,
        spec=dataset.spec if spec is None else spec,
        X_train=(dataset.X_train - mean) / std,
        X_test=(dataset.X_test - mean) / std,
    )
