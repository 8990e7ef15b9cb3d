"""Numbers as people read them: the one set of formatters of every table, sentence and report.

A number that does not exist (``None``: no theory, a diverged run) or is not finite (NaN, ±inf) is
written as a dash: ``MISSING`` (an em dash, "—") in results and sentences, ``MISSING_STATISTIC``
(an en dash, "–") in the tables of statistics over runs.

>>> number(0.012345), number(1234.56, 4), percent(0.5), percent(1 / 3, 0)
('0.0123', '1235', '50.0%', '33%')
>>> number(None), percent(float("nan")), points(0.875), p_value(3e-6)
('—', '—', '87.5', '<1e-4')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

MISSING = "—"
MISSING_STATISTIC = "–"
SMALLEST_P = 1e-4  # smaller p-values are written "<1e-4"


def is_missing(value: float | None) -> bool:
    """Whether ``value`` is ``None`` or not a finite number."""
    return value is None or not math.isfinite(value)


def _finite(value: float | None) -> float | None:
    """``value`` when it is a finite number, else ``None``."""
    return None if is_missing(value) else value


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits (``"0.0123"``, ``"1.2e+03"``); as is, no dash."""
    return f"{value:.{digits}g}"


def number(value: float | None, digits: int = 3, missing: str = MISSING) -> str:
    """:func:`significant`, or ``missing`` when there is no finite number."""
    finite = _finite(value)
    return missing if finite is None else significant(finite, digits)


def percent(value: float | None, decimals: int = 1, missing: str = MISSING) -> str:
    """A share as a percentage with its sign: ``0.5`` → ``"50.0%"``."""
    finite = _finite(value)
    return missing if finite is None else f"{finite:.{decimals}%}"


def points(value: float | None, missing: str = MISSING_STATISTIC) -> str:
    """A share in percent without its sign, one decimal (under a "%" heading): 0.5 → ``"50.0"``."""
    finite = _finite(value)
    return missing if finite is None else f"{100 * finite:.1f}"


def p_value(value: float | None, missing: str = MISSING_STATISTIC) -> str:
    """A p-value to 2 significant digits, or ``"<1e-4"`` below :data:`SMALLEST_P`."""
    finite = _finite(value)
    if finite is None:
        return missing
    return significant(finite, 2) if finite >= SMALLEST_P else "<1e-4"


def count(value: float | None, missing: str = MISSING_STATISTIC) -> str:
    """A whole number with thousands separators: ``1500.0`` → ``"1,500"``."""
    finite = _finite(value)
    return missing if finite is None else f"{finite:,.0f}"


def diverged_or(value: float | None) -> float | str:
    """A run's number, or ``"diverged"`` when the run has none (it diverged)."""
    return "diverged" if value is None else value


#: the test-cost cell of a run that trained without diverging but whose test logits overflowed
TEST_NOT_FINITE = "not finite (test logits overflowed)"


def test_cost_or(value: float | None, diverged: bool) -> float | str:
    """A run's test cost, ``"diverged"`` when the run diverged, or :data:`TEST_NOT_FINITE` when
    it did not but its test cost is not finite (``None``: data far outside the training range)."""
    if diverged:
        return "diverged"
    return TEST_NOT_FINITE if value is None else value


def format_columns(
    table: pd.DataFrame, formatters: Mapping[str, Callable[[Any], str]]
) -> pd.DataFrame:
    """A copy of ``table`` with each column of ``formatters`` written by its formatter."""
    out = table.copy()
    for column, fmt in formatters.items():
        out[column] = [fmt(v) for v in out[column]]
    return out
