"""Reductions compiled with numba that give numpy's results to the bit.

``np.sum`` over a contiguous axis does not add left to right: it sums pairwise, in blocks of up to
128 values with eight accumulators (numpy's ``pairwise_sum``, ``numpy/_core/src/umath/
loops_utils.h.src``), so a plain loop differs from it in the last bits. The cost the compiled
engine records must be the reference's to rounding, so :func:`pairwise_sum` walks numpy's tree
exactly; :func:`column_max` is ``np.max`` over the units of one sample (NaN wins).

Kernels take plain arrays and never validate (stumpy's habit); scalars of the array's dtype are
passed in (``zero``) so a float32 sum stays float32: numba types a literal such as 0.0 as float64.
"""

from __future__ import annotations

import numpy as np
from numba import njit

BLOCK = 128  # numpy's PW_BLOCKSIZE: ranges up to this long are summed in one block


@njit(cache=True, fastmath=False)
def pairwise_block(a, start, n, zero):
    """numpy's ``pairwise_sum`` for n <= 128: 8 accumulators, then the rest."""
    if n < 8:
        res = -zero  # numpy starts from −0.0
        for i in range(n):
            res += a[start + i]
        return res
    r0, r1, r2, r3 = a[start], a[start + 1], a[start + 2], a[start + 3]
    r4, r5, r6, r7 = a[start + 4], a[start + 5], a[start + 6], a[start + 7]
    i = 8
    while i < n - n % 8:
        o = start + i
        r0 += a[o]
        r1 += a[o + 1]
        r2 += a[o + 2]
        r3 += a[o + 3]
        r4 += a[o + 4]
        r5 += a[o + 5]
        r6 += a[o + 6]
        r7 += a[o + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[start + i]
        i += 1
    return res


@njit(cache=True, fastmath=False)
def pairwise_sum(a, start, n, zero):
    """numpy's pairwise summation of ``a[start:start+n]``: blocks of up to 128 values
    (:func:`pairwise_block`); a longer range is split in two at ``n//2`` rounded down to a
    multiple of 8 and the halves' sums added. numpy recurses; this walks the same tree with a
    stack (numba's cache does not keep recursive functions)."""
    if n <= BLOCK:
        return pairwise_block(a, start, n, zero)
    # tasks: (start, n) to sum, or n = −1: add the top two results
    task_start = np.empty(256, dtype=np.int64)
    task_n = np.empty(256, dtype=np.int64)
    results = np.empty(128, dtype=a.dtype)
    task_start[0], task_n[0] = start, n
    tasks, done = 1, 0
    while tasks > 0:
        tasks -= 1
        s0, n0 = task_start[tasks], task_n[tasks]
        if n0 < 0:
            done -= 1
            results[done - 1] = results[done - 1] + results[done]
        elif n0 <= BLOCK:
            results[done] = pairwise_block(a, s0, n0, zero)
            done += 1
        else:
            n2 = n0 // 2
            n2 -= n2 % 8
            task_start[tasks], task_n[tasks] = 0, -1
            task_start[tasks + 1], task_n[tasks + 1] = s0 + n2, n0 - n2
            task_start[tasks + 2], task_n[tasks + 2] = s0, n2
            tasks += 3
    return results[0]


@njit(cache=True, fastmath=False)
def column_max(Z, s, n_out, m):
    """``np.max`` over the units of sample s of ``Z`` (n_out × m, row-major): NaN wins."""
    zmax = Z[s]
    for c in range(1, n_out):
        zc = Z[c * m + s]
        if zc > zmax or zc != zc:
            zmax = zc
    return zmax
