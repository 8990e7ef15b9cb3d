"""What titles call a dataset: the registry's name, or for a user's file the file's name.

>>> dataset_name("circles:noise=0.1"), dataset_name("csv:data/iris.csv,label=species")
('circles', 'iris.csv')
"""

from __future__ import annotations

from pathlib import PurePath

from initlab.data.registry import REGISTRY, parse_dataset_spec
from initlab.errors import InitlabError


def dataset_name(spec: str) -> str:
    """``circles`` for ``circles:…``; the file's name (``iris.csv``) for ``csv:``/``npz:`` specs,
    whose registry name says only the format."""
    try:
        parsed = parse_dataset_spec(spec)
    except InitlabError:  # a dataset built by hand may carry a bare name such as "csv"
        return spec.partition(":")[0]
    takes_path = parsed.name in REGISTRY and REGISTRY[parsed.name].takes_path
    if takes_path and "path" in parsed.params:
        return PurePath(str(parsed.params["path"])).name
    return parsed.name
