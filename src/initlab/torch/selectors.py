"""Which layers get which initializer: selectors by layer type, by name, or by predicate.

A selector is

- a layer type or a tuple of types (``nn.Linear``, ``(nn.Conv1d, nn.Conv2d)``): ``isinstance``;
- a string: a regular expression searched (``re.search``) in the qualified name of the layer's
  weight, as ``module.named_parameters()`` spells it (``r"head\\."`` selects ``"head.weight"``);
- a callable ``(name, layer) -> bool`` (``name`` the layer's qualified module name).

``init_(model, {nn.Linear: "kaiming_normal", r"head\\.": "zeros"})`` applies each entry in order, a
later entry overriding an earlier one on the layers both select (so general entries come first,
exceptions after). Every selector must select at least one layer: one that selects nothing raises
an :class:`InitlabError` naming it and the layers there are (a typo is never a silent no-op).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from torch import nn

from initlab.errors import InitlabError

Selector = type | tuple[type, ...] | str | Callable[[str, nn.Module], bool]
Layer = tuple[str, nn.Module]


def describe(selector: Any) -> str:
    """A selector as an error message shows it."""
    if isinstance(selector, type):
        return selector.__name__
    if isinstance(selector, tuple):
        return "(" + ", ".join(describe(s) for s in selector) + ")"
    if isinstance(selector, str):
        return f"regex {selector!r}"
    return getattr(selector, "__name__", repr(selector))


def selects(selector: Any, name: str, layer: nn.Module) -> bool:
    """Whether ``selector`` selects the layer ``name``."""
    if isinstance(selector, type) or (
        isinstance(selector, tuple) and all(isinstance(s, type) for s in selector)
    ):
        return isinstance(layer, selector)
    if isinstance(selector, str):
        try:
            return re.search(selector, f"{name}.weight" if name else "weight") is not None
        except re.error as error:
            raise InitlabError(f"selector regex {selector!r} is not valid: {error}") from None
    if callable(selector):
        return bool(selector(name, layer))
    raise InitlabError(
        "a selector is a layer type (nn.Linear), a tuple of types, a regex on the parameter "
        f"name (r'head\\.') or a callable (name, layer) -> bool; got {type(selector).__name__}"
    )


def select(layers: list[Layer], selector: Any, role: str = "selector") -> list[Layer]:
    """The layers ``selector`` selects; at least one, else an InitlabError naming it."""
    chosen = [(name, layer) for name, layer in layers if selects(selector, name, layer)]
    if not chosen:
        names = ", ".join(repr(f"{name}.weight" if name else "weight") for name, _ in layers[:12])
        more = ", ..." if len(layers) > 12 else ""
        raise InitlabError(
            f"{role} {describe(selector)} selects none of the module's Linear/Conv layers "
            f"(their weights: {names}{more}; a regex is searched in '<name>.weight')"
        )
    return chosen


def assign(layers: list[Layer], init: Any, include: Any = None) -> list[tuple[str, nn.Module, Any]]:
    """``(name, layer, init)`` for each selected layer, in the module's order.

    ``init`` is one initializer for every layer ``include`` selects (all when ``None``), or a
    mapping ``{selector: init}`` applied in order (later entries override earlier ones).
    """
    if not layers:
        raise InitlabError("the module has no nn.Linear or nn.Conv1d/2d/3d layer to initialize")
    candidates = layers if include is None else select(layers, include, "include=")
    if not isinstance(init, Mapping):
        return [(name, layer, init) for name, layer in candidates]
    if not init:
        raise InitlabError("init is an empty mapping; give {selector: initializer, ...}")
    chosen: dict[str, Any] = {}
    for selector, spec in init.items():
        for name, _ in select(candidates, selector):
            chosen[name] = spec
    return [(name, layer, chosen[name]) for name, layer in candidates if name in chosen]
