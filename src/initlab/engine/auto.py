"""What ``engine="auto"`` runs: the compiled engine, unless NumPy would finish first.

The compiled engine has three kernels (:data:`initlab.engine.kernel_cache.KERNELS`: ``fast`` for
the course-size networks, ``wide`` for layers of 16 units and more, ``residual``), each compiled
on its own the first time it runs; :func:`~initlab.engine.kernel_cache.kernel_for` says which one
a network needs. A kernel costs nothing extra once it is in this process or in numba's on-disk
cache (:func:`initlab.engine.kernel_cache.is_cached`, read without importing numba), but its
first compile takes ≈13-18 s (:data:`~initlab.engine.kernel_cache.COLD_COMPILE_SECONDS`). So when
the kernel the job needs is cold, a job the NumPy engine finishes sooner — by the estimate
:func:`initlab.engine.flops.numpy_seconds`, from the network's sizes, the samples, the models and
the iterations — runs on NumPy, and the note says so in one line naming the kernel (logged once
per process and kernel, logger ``initlab.engine``); a longer job compiles (and
:func:`~initlab.engine.kernel_cache.ensure_compiled` says so). The course's comparison (3 models
of 2-10-5-1, 300 points, 15,000 iterations: ≈3 s estimated, ≈2 s measured) is such a job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from initlab.engine.flops import numpy_seconds
from initlab.engine.kernel_cache import COLD_COMPILE_SECONDS, KERNELS, READY, is_cached, is_wide

LOG = logging.getLogger("initlab.engine")
_told: list[str] = []  # the kernels whose note was logged (once per process and kernel)


def choose(
    sizes: Sequence[int],
    samples: int,
    models: int,
    iterations: int,
    dtype: str = "float64",
    kernel: str | None = None,
) -> tuple[str, str]:
    """``(engine, note)``: ``("fast", "")`` when ``kernel`` (a key of
    :data:`~initlab.engine.kernel_cache.KERNELS`: pass
    :func:`~initlab.engine.kernel_cache.kernel_for` of the network) is loaded or cached for
    ``dtype``, or when NumPy would take longer than compiling it; else ``("numpy", why)``.
    Without ``kernel``, the sizes say ``"wide"`` or ``"fast"`` (a residual network must pass
    ``"residual"``)."""
    kernel = _named(kernel, sizes)
    if (kernel, dtype) in READY or is_cached(dtype, kernel):
        return "fast", ""
    return choose_cold(sizes, samples, models, iterations, kernel)


def choose_cold(
    sizes: Sequence[int], samples: int, models: int, iterations: int, kernel: str | None = None
) -> tuple[str, str]:
    """:func:`choose` when ``kernel`` would have to be compiled first."""
    kernel = _named(kernel, sizes)
    estimate = numpy_seconds(sizes, samples, models, iterations)
    compile_seconds = COLD_COMPILE_SECONDS[kernel]
    if estimate >= compile_seconds:
        return "fast", ""
    note = (
        f"auto: ran numpy (≈{estimate:.1f} s estimated), sooner than compiling "
        f"{KERNELS[kernel].words} first (≈{compile_seconds:.0f} s, once per install)"
    )
    if kernel not in _told:
        _told.append(kernel)
        LOG.info("%s", note)
    return "numpy", note


def _named(kernel: str | None, sizes: Sequence[int]) -> str:
    """``kernel``, or when it is not given the one ``sizes`` need if the network is not residual."""
    return kernel or ("wide" if is_wide(sizes) else "fast")
