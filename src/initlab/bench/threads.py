"""BLAS threads: how many NumPy's BLAS uses, and a limit for the NumPy loops' timing.

A loop of small products (the seed's loop: one model of 2-10-5-1) gains nothing from BLAS's
threads, and on a busy machine its spinning threads wait for cores other work holds (one run
measured 217,571 µs for a 1,627 µs loop). So the NumPy loops are timed under a stated limit
(threadpoolctl's ``threadpool_limits``, the library scikit-learn uses for the same purpose), and the
number of threads is read back (``threadpool_info``) while it holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_info, threadpool_limits


def blas_threads_now() -> int | None:
    """The most threads any loaded BLAS will use now (``None`` when no BLAS is loaded)."""
    counts = [lib["num_threads"] for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return max(counts) if counts else None


@contextmanager
def blas_threads(limit: int | None) -> Iterator[int | None]:
    """Limit BLAS to ``limit`` threads (``None``: leave it) inside the block; yields the number
    observed inside it."""
    if limit is None:
        yield blas_threads_now()
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield blas_threads_now()
