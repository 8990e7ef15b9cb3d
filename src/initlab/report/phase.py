"""The prose of the order-to-chaos phase diagram (:func:`initlab.phase_diagram`): each phase named.

After Poole et al. 2016 and Schoenholz et al. 2017: χ(q*) = σ_w²·E[φ'(√q* z)²] is the factor by
which a gradient grows per layer at the fixed point q*; below 1 the network is ordered (gradients
vanish with depth), above 1 chaotic (they explode), at 1 critical.
"""

from __future__ import annotations

from initlab.report.format import MISSING, is_missing


def phase_name(chi: float, critical_band: float) -> str:
    """``"critical (χ = 1)"`` when |χ − 1| ≤ ``critical_band``, else the ordered or chaotic phase
    and what it does to gradients; ``"—"`` when χ is not a finite number."""
    if is_missing(chi):
        return MISSING
    if abs(chi - 1) <= critical_band:
        return "critical (χ = 1)"
    return "ordered: gradients vanish" if chi < 1 else "chaotic: gradients explode"


#: the phase diagram's lead: what χ(q*) says about a deep network
PHASE_LEAD = (
    "χ(q*) = σ_w²·E[φ'(√q* z)²] is the factor by which a gradient's size is multiplied per layer "
    "at the fixed point q* of the signal: below 1 the network is ordered and gradients vanish "
    "with depth, above 1 it is chaotic and they explode; deep networks train near the critical "
    "line χ = 1 (Poole et al. 2016, Schoenholz et al. 2017)."
)
