"""A sweep described in a TOML file: its keys are the ``initlab sweep`` options."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
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
    "parametrization": "sp, ntk and/or mup",
    "base_width": "the hidden width at which ntk and mup equal sp",
}


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _listed(value: Any, item: Callable[[Any], bool]) -> bool:
    """A non-empty TOML array whose items all pass ``item``."""
    return isinstance(value, list) and bool(value) and all(item(v) for v in value)


def _size(value: Any) -> bool:
    return _integer(value) or _text(value)


def _one_or_list(item: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: item(v) or _listed(v, item)


_TEXTS = "text or a non-empty list of texts"
# what each key may be in TOML: (words for messages, test); text is always what the command line
# takes, so a spec can write any key as it would be typed
SPEC_TYPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "inits": (_TEXTS, _one_or_list(_text)),
    "seeds": (
        "an integer, text like '0-31' or a non-empty list of integers",
        lambda v: _integer(v) or _text(v) or _listed(v, _integer),
    ),
    "layers": (
        "text like 'auto,10,5,auto', a non-empty list of sizes [2, 10, 1] or a non-empty list "
        "of such lists",
        lambda v: _text(v) or _listed(v, _size) or _listed(v, lambda n: _listed(n, _size)),
    ),
    "depth": ("an integer, text or a non-empty list of integers", _one_or_list(_size)),
    "width": ("an integer, text or a non-empty list of integers", _one_or_list(_size)),
    "activation": (_TEXTS, _one_or_list(_text)),
    "lr": (
        "a number, text or a non-empty list of numbers",
        lambda v: _number(v) or _text(v) or _listed(v, _number),
    ),
    "dataset": (_TEXTS, _one_or_list(_text)),
    "iterations": ("an integer, text or a non-empty list of integers", _one_or_list(_size)),
    "every": ("an integer", _integer),
    "target": ("a number", _number),
    "batch_size": ("an integer", _integer),
    "store": ("text (a file name)", _text),
    "backend": ("text: local or dask", _text),
    "scheduler": ("text like 'tcp://HOST:PORT'", _text),
    "timeout": ("a number", _number),
    "engine": ("text", _text),
    "parametrization": (_TEXTS, _one_or_list(_text)),
    "base_width": ("an integer", _integer),
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
    except UnicodeDecodeError as error:
        raise InitlabError(
            f"spec file {str(path)!r} is not UTF-8 text (byte {error.object[error.start]:#04x} at "
            f"position {error.start}); TOML files are UTF-8: save it as UTF-8"
        ) from None
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
        allowed, test = SPEC_TYPES[key]
        if not test(value):
            line = _line_of(text, key)
            where = f" on line {line}" if line else ""
            raise InitlabError(
                f"{key}{where} of spec file {str(path)!r} must be {allowed}; got {value!r}"
            )
    return dict(document)
