"""Checks at the boundary: each names the parameter, what is allowed and the value given."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from initlab.errors import InitlabError


def positive_number(name: str, value: Any) -> float:
    """A finite number > 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InitlabError(f"{name} must be a finite number > 0; got {value!r}")
    return float(value)


def integer_at_least(name: str, value: Any, low: int) -> int:
    """An integer >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise InitlabError(f"{name} must be an integer >= {low}; got {value!r}")
    return int(value)
