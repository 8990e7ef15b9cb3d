"""Is the machine busy? Timings on shared cores measure the sharing too, so ``initlab bench`` says
when they cannot be trusted: the load average (runnable processes, 1-minute mean, from
``os.getloadavg``) against the cores it may use, and the spread of each configuration's repeats
(``(slowest − fastest) / median``), which other work widens."""

from __future__ import annotations

import os

#: load per core above which other work is taking a real share of the machine
LOAD_PER_CORE = 0.5
#: spread of repeats above which a configuration's time is not steady
SPREAD = 0.25


def load_average() -> float | None:
    """The 1-minute load average (``None`` where the system has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def spread(seconds: list[float]) -> float:
    """``(max − min) / median`` of the repeats' times."""
    ordered = sorted(seconds)
    median = ordered[len(ordered) // 2]
    return (ordered[-1] - ordered[0]) / median if median > 0 else 0.0


def busy_warnings(loads: list[float | None], cores: int, spreads: dict[str, float]) -> list[str]:
    """One line per reason the timings may be inflated: the highest of ``loads`` (taken before,
    during, after) beyond :data:`LOAD_PER_CORE` per core, and each configuration in ``spreads``
    (name → spread) beyond :data:`SPREAD`."""
    out = []
    known = [x for x in loads if x is not None]
    if known and max(known) > LOAD_PER_CORE * cores:
        out.append(
            f"the machine is busy: load average up to {max(known):.1f} on {cores} cores "
            "(other work shares the cores; times are inflated by it and vary from run to run)"
        )
    unsteady = sorted(name for name, s in spreads.items() if s > SPREAD)
    if unsteady:
        out.append(
            f"{len(unsteady)} of {len(spreads)} configurations varied by more than "
            f"{SPREAD:.0%} between repeats: "
            + ", ".join(unsteady[:6])
            + (" …" if len(unsteady) > 6 else "")
        )
    return out
