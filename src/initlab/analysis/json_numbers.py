"""Numbers made JSON-ready: a non-finite float (NaN, ±inf) becomes ``None`` (JSON ``null``).

JSON has no NaN or infinity, so every result writes them as ``null`` and dumps with
``allow_nan=False``: a number that slipped through unconverted is an error, never invalid JSON.

>>> json_numbers([1.0, float("nan"), float("inf")])
[1.0, None, None]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def json_number(value: Any) -> float | None:
    """``float(value)``, or ``None`` when it is not finite."""
    value = float(value)
    return value if math.isfinite(value) else None


def json_numbers(values: Any) -> list[float | None]:
    """:func:`json_number` of every element of ``values`` (any shape, flattened in C order)."""
    return [json_number(v) for v in np.ravel(np.asarray(values, dtype=float))]
