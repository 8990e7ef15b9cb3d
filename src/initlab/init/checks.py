"""Parameter checks used by the initializers, run once when an initializer is built.

They are :mod:`initlab.validate`'s, under the short names the initializers use; each names the
parameter, what is allowed and the value given, and :func:`initlab.init.get` adds which initializer
spec it came from.
"""

from __future__ import annotations

from typing import Any

from initlab.validate import choice, fraction, integer_at_least, non_negative, number
from initlab.validate import positive_number as positive


def positive_integer(name: str, value: Any) -> int:
    """An integer >= 1."""
    return integer_at_least(name, value, 1)


__all__ = ["choice", "fraction", "non_negative", "number", "positive", "positive_integer"]
