"""The registry of datasets, addressed by name or ``name:key=value,...`` spec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from initlab.data.dataset import Dataset
from initlab.registry import Registry
from initlab.specs import Spec, format_spec


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    loader: Callable[..., Dataset]
    summary: str


REGISTRY: Registry[DatasetInfo] = Registry("dataset", lambda entry: entry.loader)


def register(name: str, summary: str) -> Callable[[Callable[..., Dataset]], Callable[..., Dataset]]:
    """Decorator: register ``loader(spec, **params) -> Dataset`` under ``name``."""

    def decorate(loader: Callable[..., Dataset]) -> Callable[..., Dataset]:
        REGISTRY.add(name, DatasetInfo(name, loader, summary))
        return loader

    return decorate


def names() -> list[str]:
    return REGISTRY.names()


def load(spec: str | Spec | Dataset) -> Dataset:
    """Load a dataset from its spec, e.g. ``"circles"`` or ``"circles:noise=0.1"``."""
    if isinstance(spec, Dataset):
        return spec
    name, entry, params = REGISTRY.resolve(spec)
    return entry.loader(format_spec(name, params), **params)
