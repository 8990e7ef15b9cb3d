"""The registry of datasets, addressed by name or ``name:key=value,...`` spec.

Every dataset takes ``standardize=true`` (features to zero mean, unit variance; statistics from the
training split). User files are addressed by a path after the colon, then their parameters:
``csv:data/iris.csv,label=species,standardize=true`` or ``npz:runs/xy.npz``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from initlab import checks
from initlab.data.dataset import Dataset
from initlab.data.standardize import standardize
from initlab.errors import InitlabError
from initlab.registry import Registry
from initlab.specs import Spec, bind_params, format_spec, format_value, parse_spec


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    loader: Callable[..., Dataset]
    summary: str
    takes_path: bool = False


REGISTRY: Registry[DatasetInfo] = Registry("dataset", lambda entry: entry.loader)

# a comma followed by ``key=``: where a path ends and the parameters begin
_PARAMS_START = re.compile(r",(?=\s*[A-Za-z_]\w*\s*=)")


def register(
    name: str, summary: str, takes_path: bool = False
) -> Callable[[Callable[..., Dataset]], Callable[..., Dataset]]:
    """Decorator: register ``loader(spec, /, **params) -> Dataset`` under ``name`` (``spec`` is
    positional-only, so it is not a parameter a spec could set).

    A loader with ``takes_path`` has a first parameter ``path``, written right after the colon.
    """

    def decorate(loader: Callable[..., Dataset]) -> Callable[..., Dataset]:
        REGISTRY.add(name, DatasetInfo(name, loader, summary, takes_path))
        return loader

    return decorate


def names() -> list[str]:
    return REGISTRY.names()


def parse_dataset_spec(text: str) -> Spec:
    """Parse a dataset spec; for ``csv``/``npz`` the first item after the colon is the path.

    >>> parse_dataset_spec("csv:data/my.csv,label=species")
    Spec(name='csv', params={'path': 'data/my.csv', 'label': 'species'})
    """
    text = text.strip()
    name, _, rest = text.partition(":")
    name = name.strip()
    if name not in REGISTRY or not REGISTRY[name].takes_path:
        return parse_spec(text, "dataset")
    path, *more = _PARAMS_START.split(rest, maxsplit=1)
    path = path.strip()
    if path.startswith("path="):
        path = path.removeprefix("path=").strip()
    if not path:
        raise InitlabError(
            f"dataset {name!r} needs a file: write {name}:PATH or {name}:PATH,key=value; "
            f"got {text!r}"
        )
    params = parse_spec(f"{name}:{more[0]}", "dataset").params if more else {}
    if "path" in params:
        raise InitlabError(f"the path of dataset {text!r} is given twice")
    return Spec(name, {"path": path, **params})


def load(spec: str | Spec | Dataset) -> Dataset:
    """Load a dataset from its spec, e.g. ``"circles"``, ``"moons:noise=0.2,standardize=true"`` or
    ``"csv:my.csv,label=species"``.

    Synthetic datasets carry every parameter in their canonical spec; user files their path and the
    parameters given.
    """
    if isinstance(spec, Dataset):
        return spec
    if isinstance(spec, str):
        spec = parse_dataset_spec(spec)
    if not isinstance(spec, Spec):
        raise InitlabError(
            "dataset must be a spec text such as 'circles', 'moons:noise=0.2' or "
            "'csv:my.csv,label=species', or an initlab Dataset; got "
            f"{spec!r} ({type(spec).__name__}). Datasets: {', '.join(REGISTRY.names(False))}"
        )
    name = REGISTRY.canonical(spec.name)
    entry = REGISTRY[name]
    given = dict(spec.params)
    scale = given.pop("standardize", False)
    checks.check(f"standardize of dataset {name!r}", scale, checks.Boolean())
    params = bind_params("dataset", name, entry.loader, given)
    if entry.takes_path:
        if "path" not in given:
            raise InitlabError(f"dataset {name!r} needs a file: write {name}:PATH")
        extra = {k: v for k, v in given.items() if k != "path"}
        text = f"{name}:{given['path']}" + "".join(
            f",{k}={format_value(v)}" for k, v in extra.items()
        )
    else:
        text = format_spec(name, params)
    if scale:
        text += ",standardize=True" if ":" in text else ":standardize=True"
    dataset = entry.loader(text, **params)
    return standardize(dataset) if scale else dataset


def short_spec(text: str) -> str:
    """A canonical spec without the parameters that equal their defaults, for titles and prose.

    >>> short_spec("circles:n_samples=300,n_test=100,noise=0.05,seed=1,test_seed=2")
    'circles'
    """
    spec = parse_dataset_spec(text)
    entry = REGISTRY[spec.name]
    if entry.takes_path:
        return text
    defaults = bind_params("dataset", spec.name, entry.loader, {})
    kept = {k: v for k, v in spec.params.items() if k not in defaults or defaults[k] != v}
    return format_spec(spec.name, kept)


def describe() -> list[tuple[str, str]]:
    """``(name, summary)`` of every dataset, for help texts."""
    return [(name, REGISTRY[name].summary) for name in REGISTRY]
