"""Spec strings: a name with optional parameters, ``name:key=value,key=value``.

Initializers, datasets and activations are all addressed this way, e.g.
``variance_scaling:scale=2,mode=fan_avg`` or ``moons:noise=0.2,n_samples=500``. Values are read as
int, float, bool or str, in that order of preference. A list of specs (``--inits``) is separated by
commas; a comma-separated piece holding ``=`` but no ``:`` continues the previous spec's parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from initlab.errors import InitlabError


@dataclass(frozen=True)
class Spec:
    """A parsed spec: ``name`` and ``params`` as given (not yet checked against a registry)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return format_spec(self.name, self.params)


def parse_value(text: str) -> Any:
    """Read ``text`` as an int, float, bool or, failing those, a string."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    return text


def parse_spec(text: str, what: str = "spec") -> Spec:
    """Parse ``name:key=value,...`` into a :class:`Spec`.

    >>> parse_spec("random:scale=5")
    Spec(name='random', params={'scale': 5})
    """
    text = text.strip()
    name, _, rest = text.partition(":")
    name = name.strip()
    if not name:
        raise InitlabError(f"empty {what} name in {text!r}; write name or name:key=value,...")
    params: dict[str, Any] = {}
    if rest.strip():
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            key = key.strip()
            if not eq or not key:
                raise InitlabError(
                    f"bad parameter {item!r} in {what} {text!r}; write {name}:key=value,key=value"
                )
            if key in params:
                raise InitlabError(f"parameter {key!r} given twice in {what} {text!r}")
            params[key] = parse_value(value.strip())
    return Spec(name, params)


def split_spec_list(text: str) -> list[str]:
    """Split a comma-separated list of specs, keeping each spec's own ``key=value`` parameters.

    >>> split_spec_list("he,variance_scaling:scale=2,mode=fan_avg,zeros")
    ['he', 'variance_scaling:scale=2,mode=fan_avg', 'zeros']
    """
    out: list[str] = []
    for piece in text.split(","):
        piece = piece.strip()
        if not piece:
            continue
        if "=" in piece and ":" not in piece and out and ":" in out[-1]:
            out[-1] += "," + piece
        else:
            out.append(piece)
    return out


def format_value(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def format_spec(name: str, params: Mapping[str, Any]) -> str:
    """The canonical text of a spec: ``name`` alone, or ``name:k=v,...`` in the given order."""
    if not params:
        return name
    return name + ":" + ",".join(f"{k}={format_value(v)}" for k, v in params.items())


def bind_params(
    what: str, name: str, func: Callable[..., Any], params: Mapping[str, Any]
) -> dict[str, Any]:
    """Check ``params`` against ``func``'s keyword parameters; return all of them, defaults filled.

    Unknown keys raise an :class:`InitlabError` naming the valid ones.
    """
    signature = inspect.signature(func)
    allowed = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    for key in params:
        if key not in allowed:
            valid = ", ".join(allowed) if allowed else "none"
            raise InitlabError(f"unknown parameter {key!r} for {what} {name!r}; valid: {valid}")
    bound: dict[str, Any] = {}
    for p in signature.parameters.values():
        if p.name in params:
            bound[p.name] = params[p.name]
        elif p.default is not inspect.Parameter.empty:
            bound[p.name] = p.default
    return bound
