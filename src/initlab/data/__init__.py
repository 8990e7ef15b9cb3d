"""Datasets: one registry, addressed by name or ``name:key=value`` spec."""

from initlab.data import synthetic as _synthetic  # noqa: F401  (registers the built-in datasets)
from initlab.data.dataset import Dataset
from initlab.data.registry import REGISTRY, load, names

__all__ = ["REGISTRY", "Dataset", "load", "names"]
