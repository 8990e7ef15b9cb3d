"""A sweep described in a TOML file: its keys are the ``initlab sweep`` options."""

from __future__ import annotations

import re
import sys
from typing import Any

from initlab.errors import InitlabError, did_you_mean

SPEC_KEYS = {
    "inits": "initializer specs, a list or comma-separated text",
    "seeds": "seeds: a list of integers or text like '0-31'",
    "layers": "one network [2, 10, 5, 1] or several [[2, 10, 5, 1], [2, 32, 1]]",
    "depth": "hidden-layer counts (with width)",
    "width": "hidden-layer widths (with depth)",
    "activation": "hidden activations",
    "lr": "learning rates",
    "dataset": "dataset specs",
    "iterations": "gradient-descent iterations",
    "every": "record cost and accuracy every this many iterations",
    "target": "the test accuracy that counts as success",
    "batch_size": "runs trained together in one engine pass",
    "store": "the results store",
    "backend": "local or dask",
    "scheduler": "the Dask scheduler address",
    "timeout": "seconds to reach the scheduler",
    "engine": "the training engine",
}


def _line_of(text: str, key: str, table: bool = False) -> int | None:
    pattern = (
        rf"^\s*\[\s*{re.escape(key)}\s*\]" if table else rf"^\s*[\"']?{re.escape(key)}[\"']?\s*="
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    return None


def read_spec(path: str | Any) -> dict[str, Any]:
    """The settings of a sweep spec file (TOML), checked for unknown keys.

    Keys are the ``initlab sweep`` options (:data:`SPEC_KEYS`), at the top level or in a
    ``[sweep]`` table. An unknown key raises an :class:`InitlabError` naming it and its line.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InitlabError(f"cannot read the spec file {str(path)!r}: {error.strerror}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InitlabError(f"spec file {str(path)!r} is not valid TOML: {error}") from None
    if set(document) == {"sweep"} and isinstance(document["sweep"], dict):
        document = document["sweep"]
    for key, value in document.items():
        if key not in SPEC_KEYS:
            line = _line_of(text, key, table=isinstance(value, dict))
            where = f" on line {line}" if line else ""
            raise InitlabError(
                f"unknown key {key!r}{where} of spec file {str(path)!r}"
                f"{did_you_mean(key, SPEC_KEYS)}; valid keys: {', '.join(SPEC_KEYS)}"
            )
    return dict(document)
