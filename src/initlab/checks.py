"""Checks at the boundary: each names the parameter, what is allowed and the value given."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

from initlab.errors import InitlabError, unknown_choice


def number(name: str, value: Any) -> float:
    """A finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise InitlabError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def _finite_number(name: str, value: Any, condition: str, ok: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or not ok:
        raise InitlabError(f"{name} must be a finite number {condition}; got {value!r}")
    return float(value)


def non_negative(name: str, value: Any) -> float:
    """A finite number >= 0."""
    return _finite_number(name, value, ">= 0", isinstance(value, Real) and value >= 0)


def positive_number(name: str, value: Any) -> float:
    """A finite number > 0."""
    return _finite_number(name, value, "> 0", isinstance(value, Real) and value > 0)


def integer_at_least(name: str, value: Any, low: int) -> int:
    """An integer >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise InitlabError(f"{name} must be an integer >= {low}; got {value!r}")
    return int(value)


def fraction(name: str, value: Any) -> float:
    """A number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value < 1:
        raise InitlabError(f"{name} must be a number in [0, 1); got {value!r}")
    return float(value)


def choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """One of ``allowed`` (with a "did you mean" suggestion when it is not)."""
    allowed = list(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise unknown_choice(name, str(value), allowed)
    return value


def positive_integer(name: str, value: Any) -> int:
    """An integer >= 1."""
    return integer_at_least(name, value, 1)
