"""Signal propagation beyond the mean: depth scales, Jacobian spectra, trainability and width
scaling. One concept per module; the names below are loaded on first use (nothing heavy at
import)."""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "depth_scales": "initlab.signal.depth_scales",
    "DepthScales": "initlab.signal.depth_scales",
    "critical_sigma_w2": "initlab.signal.depth_scales",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'initlab.signal' has no attribute {name!r}")


__all__ = sorted(_LAZY)
