"""Datasets: one registry, addressed by name or ``name:key=value`` spec (``csv:PATH`` for files)."""

from initlab.data import real as _real  # noqa: F401  (registers scikit-learn's bundled real sets)
from initlab.data import synthetic as _synthetic  # noqa: F401  (registers the built-in datasets)
from initlab.data import user as _user  # noqa: F401  (registers csv and npz)
from initlab.data.dataset import Dataset
from initlab.data.registry import REGISTRY, describe, load, names, parse_dataset_spec, short_spec
from initlab.data.standardize import standardize

__all__ = [
    "REGISTRY",
    "Dataset",
    "describe",
    "load",
    "names",
    "parse_dataset_spec",
    "short_spec",
    "standardize",
]
