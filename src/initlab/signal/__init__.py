"""Signal propagation and the failure modes of deep networks at initialization. One concept per
module; the names below are loaded on first use (nothing heavy at import)."""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "born_dead_probability": "initlab.signal.born_dead",
    "BornDead": "initlab.signal.born_dead",
    "dead_at_a_point": "initlab.signal.born_dead",
    "length_variance": "initlab.signal.output_length",
    "LengthVariance": "initlab.signal.output_length",
    "collapse_map": "initlab.signal.collapse",
    "CollapseMap": "initlab.signal.collapse",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'initlab.signal' has no attribute {name!r}")


__all__ = sorted(_LAZY)
