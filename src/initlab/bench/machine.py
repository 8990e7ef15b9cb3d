"""The machine a benchmark ran on: cores, CPU model, versions, date."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from typing import Any

import numpy as np


def machine() -> dict[str, Any]:
    """Cores, CPU model (from /proc/cpuinfo), Python, numpy and numba versions, date."""
    try:
        usable: int | None = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    info: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": usable,
        "logical_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    try:
        import numba

        info["numba"] = numba.__version__
        info["numba_threads"] = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
    except ImportError:
        info["numba"] = None
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
