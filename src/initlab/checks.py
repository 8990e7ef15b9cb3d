"""Checks at the boundary, declared once (scikit-learn's ``_param_validation`` is the model).

A *constraint* says what a parameter may be; :func:`check` is the one validator. It returns the
value in its plain Python type or raises an :class:`~initlab.errors.InitlabError` that names the
parameter, what is allowed and the value given::

    >>> check("lr", 0.5, Interval(Real, 0, None, closed="neither"))
    0.5
    >>> check("lr", 0, Interval(Real, 0, None, closed="neither"))
    Traceback (most recent call last):
    ...
    initlab.errors.InitlabError: lr must be a finite number > 0; got 0

The vocabulary:

- :class:`Interval` — a real number or an integer in a range (``closed`` says which ends are in);
  bools are never numbers, NaN and ±inf never in a range;
- :class:`Options` — one of a fixed set of names, with a "did you mean" suggestion;
- :class:`Boolean` — ``True`` or ``False`` (not 1 or 0);
- :class:`Instance` — a value of a type, e.g. a text spec.

Constraints that several modules share are declared here once (:data:`TARGET`, :data:`SEED`,
...); the short helpers (:func:`number`, :func:`positive_number`, ...) are names over :func:`check`
for the common cases.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal, Protocol

from initlab.errors import InitlabError, unknown_choice

Closed = Literal["left", "right", "both", "neither"]


class Constraint(Protocol):
    """What a parameter may be: ``accepts(value)``, ``convert(value)``, and ``str()`` for errors."""

    def accepts(self, value: Any) -> bool: ...

    def convert(self, value: Any) -> Any: ...


def _is_number(value: Any, kind: type) -> bool:
    """A finite ``kind`` (``Real`` or ``Integral``) that is not a bool."""
    if isinstance(value, bool) or not isinstance(value, kind):
        return False
    return isinstance(value, Integral) or (isinstance(value, Real) and math.isfinite(value))


def _bound(value: float) -> str:
    """A bound as written in a message: ``1`` rather than ``1.0``."""
    return str(int(value)) if float(value).is_integer() else repr(value)


@dataclass(frozen=True)
class Interval:
    """A number of ``kind`` (``Real`` or ``Integral``) between ``low`` and ``high`` (``None``: no
    bound); ``closed`` says which bounds are allowed values. ``noun`` replaces the default words
    ("a finite number", "a number" for a bounded range, "an integer") in messages.

    >>> str(Interval(Real, 0, 1, closed="left"))
    'a number in [0, 1)'
    >>> str(Interval(Integral, 1, None, closed="left"))
    'an integer >= 1'
    """

    kind: type
    low: float | None = None
    high: float | None = None
    closed: Closed = "both"
    noun: str | None = None

    def accepts(self, value: Any) -> bool:
        if not _is_number(value, self.kind):
            return False
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.low is not None and not (value >= self.low if left else value > self.low):
            return False
        return self.high is None or (value <= self.high if right else value < self.high)

    def convert(self, value: Any) -> Any:
        return int(value) if self.kind is Integral else float(value)

    def __str__(self) -> str:
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.kind is Integral:
            noun = self.noun or "an integer"
        elif self.low is not None and self.high is not None:
            noun = self.noun or "a number"
        else:
            noun = self.noun or "a finite number"
        if self.low is not None and self.high is not None:
            brackets = ("[" if left else "(", "]" if right else ")")
            return f"{noun} in {brackets[0]}{_bound(self.low)}, {_bound(self.high)}{brackets[1]}"
        if self.low is not None:
            return f"{noun} {'>=' if left else '>'} {_bound(self.low)}"
        if self.high is not None:
            return f"{noun} {'<=' if right else '<'} {_bound(self.high)}"
        return noun


@dataclass(frozen=True)
class Options:
    """One of ``values`` (names); an unknown one is refused with a "did you mean" suggestion."""

    values: tuple[str, ...]

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def convert(self, value: Any) -> str:
        return value

    def __str__(self) -> str:
        return f"one of {', '.join(sorted(self.values))}"


@dataclass(frozen=True)
class Boolean:
    """``True`` or ``False`` (a spec writes ``true``/``false``); 0 and 1 are not booleans."""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)

    def convert(self, value: Any) -> bool:
        return value

    def __str__(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class Instance:
    """A value of type ``kind``, described in messages as ``noun`` (e.g. "a string such as
    'auto'")."""

    kind: type
    noun: str

    def accepts(self, value: Any) -> bool:
        return isinstance(value, self.kind)

    def convert(self, value: Any) -> Any:
        return value

    def __str__(self) -> str:
        return self.noun


def check(name: str, value: Any, constraint: Constraint) -> Any:
    """``value`` converted to its plain type if ``constraint`` accepts it; else an
    :class:`InitlabError` "``name`` must be <what is allowed>; got <value>" (for :class:`Options`,
    "unknown ``name`` <value> (did you mean ...?); valid: ...")."""
    if constraint.accepts(value):
        return constraint.convert(value)
    if isinstance(constraint, Options):
        raise unknown_choice(name, str(value), constraint.values)
    raise InitlabError(f"{name} must be {constraint}; got {value!r}")


# -- constraints shared by several modules ---------------------------------------------------------

NUMBER = Interval(Real)
NON_NEGATIVE = Interval(Real, 0, None, closed="left")
POSITIVE = Interval(Real, 0, None, closed="neither")
# POSITIVE in the words spiral's turns and the dask scheduler's timeout have always used (tests
# hold both wordings): "a number > 0", finite all the same
POSITIVE_AMOUNT = Interval(Real, 0, None, closed="neither", noun="a number")
FRACTION = Interval(Real, 0, 1, closed="left")
POSITIVE_INTEGER = Interval(Integral, 1, None, closed="left")
# numpy's RandomState (and default_rng, which initlab seeds the same way) accepts 0 … 2³² − 1;
# every seed that reaches one is checked against this range at the boundary
MAX_SEED = 2**32 - 1
SEED = Interval(Integral, 0, MAX_SEED, closed="both")
# an accuracy a run must reach to count as a success
TARGET = Interval(Real, 0, 1, closed="both", noun="an accuracy")
# strictly between 0 and 1: the level of a confidence interval, a test set's share of the data
OPEN_FRACTION = Interval(Real, 0, 1, closed="neither")


# -- short names for the common cases ------------------------------------------------------------


def number(name: str, value: Any) -> float:
    """A finite real number (not a bool)."""
    return check(name, value, NUMBER)


def non_negative(name: str, value: Any) -> float:
    """A finite number >= 0."""
    return check(name, value, NON_NEGATIVE)


def positive_number(name: str, value: Any) -> float:
    """A finite number > 0."""
    return check(name, value, POSITIVE)


def integer_at_least(name: str, value: Any, low: int) -> int:
    """An integer >= ``low``."""
    return check(name, value, Interval(Integral, low, None, closed="left"))


def fraction(name: str, value: Any) -> float:
    """A number in [0, 1)."""
    return check(name, value, FRACTION)


def choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """One of ``allowed`` (with a "did you mean" suggestion when it is not)."""
    return check(name, value, Options(tuple(allowed)))


def positive_integer(name: str, value: Any) -> int:
    """An integer >= 1."""
    return check(name, value, POSITIVE_INTEGER)


# -- budgets: sizes that cannot fit are refused before the work ----------------------------------

FLOAT_BYTES = 8  # every array initlab trains on is float64 unless asked otherwise
# the most floating-point operations one command may ask for: about a day at the ~10 GFLOP/s a
# core of this kind of machine sustains on these small matrices (1e15 / 1e10 = 1e5 s ≈ 28 h)
MAX_WORK = 1e15
# what a run costs to list and store in a sweep (its spec, key and row), measured on CPython 3.12
RUN_RECORD_BYTES = 2048


def available_memory() -> int:
    """Bytes of memory this machine can give now: ``MemAvailable`` from ``/proc/meminfo``
    (Linux), else ``os.sysconf``'s available physical pages × page size, else 8 GiB."""
    import os

    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return 8 * 2**30


def _bytes(n: float) -> str:
    """``n`` bytes in binary units: ``'93.1 GiB'``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_budget(what: str, *, memory: float = 0, work: float = 0) -> None:
    """Refuse ``what`` before any work when its estimated ``memory`` (bytes) exceeds what this
    machine has available (:func:`available_memory`) or its ``work`` (floating-point operations)
    exceeds :data:`MAX_WORK`; the message names the estimate and the limit."""
    limit = available_memory()
    if memory > limit:
        raise InitlabError(
            f"{what} needs about {_bytes(memory)} of memory; this machine has {_bytes(limit)} "
            "available; use smaller sizes"
        )
    if work > MAX_WORK:
        raise InitlabError(
            f"{what} is about {work:.1e} floating-point operations; the limit is {MAX_WORK:.0e} "
            "(about a day of computing); use fewer or smaller runs"
        )


def training_budget(
    layers: Iterable[int], n_samples: int, n_models: int, iterations: int, records: int = 0
) -> tuple[float, float]:
    """``(bytes, floating-point operations)`` of full-batch gradient descent for ``n_models``
    networks of sizes ``layers`` on ``n_samples`` samples for ``iterations`` iterations,
    keeping ``records`` numbers per model.

    Memory: parameters, their gradients and a copy (3 × P numbers, P = Σ n_l·n_{l-1} + n_l)
    and the forward cache Z, A and the backward deltas (3 × N·m numbers, N = Σ n_l) per model.
    Work: a forward pass costs 2·m·W operations (W = Σ n_l·n_{l-1}, one multiply and one add
    per weight and sample) and the backward pass twice that (∂W and ∂A), so 6·m·W per model per
    iteration (the usual estimate, Kaplan et al. 2020, "Scaling laws", sec. 2.1).
    """
    sizes = [float(s) for s in layers]
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    params = weights + sum(sizes[1:])
    memory = FLOAT_BYTES * n_models * (3 * params + 3 * sum(sizes) * n_samples + records)
    work = 6.0 * n_models * n_samples * weights * iterations
    return memory, work


def check_training(
    what: str,
    layers: Iterable[int],
    n_samples: int,
    n_models: int,
    iterations: int,
    records: int = 0,
) -> None:
    """:func:`check_budget` of :func:`training_budget`, ``what`` described with its sizes:
    "compare: 3 networks 2-10-5-1 on 300 samples for 15,000 iterations needs about ..."."""
    sizes = list(layers)
    shown = "-".join(str(s) for s in sizes) if len(sizes) <= 8 else f"of {len(sizes)} layers"
    memory, work = training_budget(sizes, n_samples, n_models, iterations, records)
    check_budget(
        f"{what}: {n_models:,} network{'s' if n_models != 1 else ''} {shown} on {n_samples:,} "
        f"samples for {iterations:,} iterations",
        memory=memory,
        work=work,
    )
