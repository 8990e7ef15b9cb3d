"""What ``engine="auto"`` runs: the compiled engine, unless NumPy would finish first.

The compiled kernel costs nothing extra once it is in this process or in numba's on-disk cache
(:func:`initlab.engine.kernel_cache.is_cached`, read without importing numba), but its first
compile takes ≈13 s (:data:`~initlab.engine.kernel_cache.COLD_COMPILE_SECONDS`). So with a cold
cache, a job the NumPy engine finishes sooner — by the estimate
:func:`initlab.engine.flops.numpy_seconds`, from the network's sizes, the samples, the models and
the iterations — runs on NumPy, and the note says so in one line (logged once per process, logger
``initlab.engine``); a longer job compiles (and
:func:`~initlab.engine.kernel_cache.ensure_compiled` says so). The course's comparison (3 models
of 2-10-5-1, 300 points, 15,000 iterations: ≈3 s estimated, ≈2 s measured) is such a job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from initlab.engine.flops import numpy_seconds
from initlab.engine.kernel_cache import COLD_COMPILE_SECONDS, READY, is_cached

LOG = logging.getLogger("initlab.engine")
_told: list[str] = []  # the note is logged once per process


def choose(
    sizes: Sequence[int], samples: int, models: int, iterations: int, dtype: str = "float64"
) -> tuple[str, str]:
    """``(engine, note)``: ``("fast", "")`` when the kernel for ``dtype`` is loaded or cached, or
    when NumPy would take longer than compiling it; else ``("numpy", why)``."""
    if dtype in READY or is_cached(dtype):
        return "fast", ""
    return choose_cold(sizes, samples, models, iterations)


def choose_cold(
    sizes: Sequence[int], samples: int, models: int, iterations: int
) -> tuple[str, str]:
    """:func:`choose` when the kernel would have to be compiled first."""
    estimate = numpy_seconds(sizes, samples, models, iterations)
    if estimate >= COLD_COMPILE_SECONDS:
        return "fast", ""
    note = (
        f"auto: ran numpy (≈{estimate:.1f} s estimated), sooner than compiling the fast engine "
        f"first (≈{COLD_COMPILE_SECONDS:.0f} s, once per install)"
    )
    if not _told:
        _told.append(note)
        LOG.info("%s", note)
    return "numpy", note
