"""The machine's measured roof: the FLOP rate of a large float64 matrix product (dgemm, through
NumPy's BLAS on all its threads), timed in the same run as the benchmark. ``C = A·B`` with
``n × n`` matrices is ``2n³`` FLOPs (a multiply and an add per term)."""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from initlab.bench.threads import blas_threads_now


def dgemm_roof(n: int = 2048, repeats: int = 5, dtype: str = "float64") -> dict[str, Any]:
    """GFLOP/s of ``n × n`` products (median and best of ``repeats``, after one warm-up)."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((n, n)).astype(dtype)
    B = rng.standard_normal((n, n)).astype(dtype)
    A @ B
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        A @ B
        seconds.append(time.perf_counter() - start)
    flops = 2.0 * n**3
    return {
        "n": n,
        "dtype": dtype,
        "gflops": flops / statistics.median(seconds) / 1e9,
        "best_gflops": flops / min(seconds) / 1e9,
        "blas_threads": blas_threads_now(),
    }
