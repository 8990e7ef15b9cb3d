"""Register-blocked SIMD micro-kernels: the compiled engine's three products, its sigmoid output's
gradient and its padded rows.

The inner kernel of every fast matrix multiply (Goto & van de Geijn 2008, "Anatomy of
high-performance matrix multiplication", ACM TOMS 34(3)): a tile of rows × samples is held in
:class:`~initlab.engine.simd.Vec` registers while a sum runs, each term one fused multiply-add,
so every loaded vector feeds several FMAs and nothing goes back to memory until the tile is
done::

    forward   Z[r, :] = Σ_q W[r, q]·A[q, :] + b[r]     2 rows × 4 vectors of samples (8 registers)
    backward  dA[q, :] = Σ_r W[r, q]·dZ[r, :]           the same kernel on Wᵀ (:func:`rows`)
    step      dW[j, i] = Σ_s dZ[j, s]·A[i, s]           2 rows × 4 inputs (8 registers) + 2 for db

Sums over units run in the reference's order (q from 0, then + b), each term fused (one rounding
instead of two); sums over samples (``dW``, ``db``) are kept in lanes and added pairwise at the
end (:func:`~initlab.engine.simd.vhsum`), as BLAS blocks its sums. So results equal the
reference's to rounding (≈1e-16 relative per operation).

Rows are ``M`` long: ``m`` rounded up to whole vectors
(:func:`initlab.engine.layout.padded_columns`), the input zero past column m. The padded columns
carry finite values forward and a zero ``dCost/dZ`` backward (:func:`padded_grad`), so they add
nothing to a gradient; costs, accuracy and the divergence check read the first m columns, copied
compact (:func:`compact_logits`). A tile past the last row or input repeats the last one: the
tile is never ragged, and the repeat is stored again (the same values) or not at all.
"""

from __future__ import annotations

import numpy as np
from numba import literally, njit

from initlab.engine.simd import (
    at,
    vadd,
    vadd_s,
    vdiv,
    vexp,
    vfma,
    vfma_vv,
    vhsum,
    vload,
    vmask,
    vmul,
    vrelu,
    vsplat,
    vstore,
    vsub,
)

__all__ = ["aligned_zeros", "compact_logits", "padded_grad", "rows", "sigmoid_grad", "step"]


@njit(cache=True)
def aligned_zeros(n, like):
    """n zeros of ``like``'s dtype starting on a 64-byte boundary: a vector load then touches one
    cache line, not two (numba's and numpy's allocations are often only 32-byte aligned)."""
    lanes = 64 // like.itemsize
    buf = np.zeros(n + lanes, dtype=like.dtype)
    skip = ((64 - buf.ctypes.data % 64) % 64) // like.itemsize
    return buf[skip : skip + n]


@njit(cache=True, fastmath=False)
def rows(W, rs, cs, V, n_sum, Z, n_rows, M, b, A, mode):
    """Z[r, :] = Σ_q W[r·rs + q·cs]·V[q, :] (q in order, the first a product, the rest fused
    multiply-adds), then by ``mode`` (a literal: one specialization each): 0 + b[r]; 1 + b[r]
    and also A[r, :] = max(0, Z[r, :]) (a ReLU layer's forward); 2 times (A[r, :] > 0) (ReLU's
    derivative applied, backward); 3 nothing more. Rows two at a time (8 accumulators over four
    vectors of samples), then the last vectors one at a time."""
    literally(mode)
    lanes = 64 // Z.itemsize
    for r0 in range(0, n_rows, 2):
        r1 = min(r0 + 1, n_rows - 1)
        s = 0
        while s + 4 * lanes <= M:
            w0, w1 = at(W, r0 * rs), at(W, r1 * rs)
            v0, v1 = vload(V, s), vload(V, s + lanes)
            v2, v3 = vload(V, s + 2 * lanes), vload(V, s + 3 * lanes)
            a00, a01, a02, a03 = vmul(w0, v0), vmul(w0, v1), vmul(w0, v2), vmul(w0, v3)
            a10, a11, a12, a13 = vmul(w1, v0), vmul(w1, v1), vmul(w1, v2), vmul(w1, v3)
            for q in range(1, n_sum):
                w0, w1 = at(W, r0 * rs + q * cs), at(W, r1 * rs + q * cs)
                o = q * M + s
                v0, v1 = vload(V, o), vload(V, o + lanes)
                v2, v3 = vload(V, o + 2 * lanes), vload(V, o + 3 * lanes)
                a00, a10 = vfma(w0, v0, a00), vfma(w1, v0, a10)
                a01, a11 = vfma(w0, v1, a01), vfma(w1, v1, a11)
                a02, a12 = vfma(w0, v2, a02), vfma(w1, v2, a12)
                a03, a13 = vfma(w0, v3, a03), vfma(w1, v3, a13)
            o = r0 * M + s
            _finish(Z, A, b, o, a00, r0, mode)
            _finish(Z, A, b, o + lanes, a01, r0, mode)
            _finish(Z, A, b, o + 2 * lanes, a02, r0, mode)
            _finish(Z, A, b, o + 3 * lanes, a03, r0, mode)
            o = r1 * M + s  # the same values again when r1 = r0
            _finish(Z, A, b, o, a10, r1, mode)
            _finish(Z, A, b, o + lanes, a11, r1, mode)
            _finish(Z, A, b, o + 2 * lanes, a12, r1, mode)
            _finish(Z, A, b, o + 3 * lanes, a13, r1, mode)
            s += 4 * lanes
        while s < M:
            v0 = vload(V, s)
            a00, a10 = vmul(at(W, r0 * rs), v0), vmul(at(W, r1 * rs), v0)
            for q in range(1, n_sum):
                v0 = vload(V, q * M + s)
                a00 = vfma(at(W, r0 * rs + q * cs), v0, a00)
                a10 = vfma(at(W, r1 * rs + q * cs), v0, a10)
            _finish(Z, A, b, r0 * M + s, a00, r0, mode)
            _finish(Z, A, b, r1 * M + s, a10, r1, mode)
            s += lanes


@njit(cache=True, fastmath=False)
def _finish(Z, A, b, o, acc, r, mode):
    """Store one vector of row r at ``o``: acc + b[r] (mode 0); max(0, acc + b[r]) into A (mode 1:
    a ReLU layer's Z is read by nothing, its derivative uses A); acc·(A > 0) (mode 2); acc
    (mode 3)."""
    literally(mode)
    if mode == 2:
        vstore(Z, o, vmask(acc, vload(A, o)))
    elif mode == 3:
        vstore(Z, o, acc)
    elif mode == 1:
        vstore(A, o, vrelu(vadd_s(acc, at(b, r))))
    else:
        vstore(Z, o, vadd_s(acc, at(b, r)))


@njit(cache=True, fastmath=False)
def step(W, b, dZ, A, n_out, n_in, M, lr, lr_b):
    """W ← W − lr·dW, b ← b − lr_b·db: dW[j, i] = Σ_s dZ[j, s]·A[i, s], db[j] = Σ_s dZ[j, s], in
    tiles of 2 rows × 4 inputs held in vectors over the samples, summed across lanes at the end."""
    if n_in <= 2:
        _step_narrow(W, b, dZ, A, n_out, n_in, M, lr, lr_b)
        return
    lanes = 64 // W.itemsize
    zero = vsplat(W[0] - W[0], vload(dZ, 0))
    for j0 in range(0, n_out, 2):
        j1 = min(j0 + 1, n_out - 1)
        for i0 in range(0, n_in, 4):
            i1, i2, i3 = min(i0 + 1, n_in - 1), min(i0 + 2, n_in - 1), min(i0 + 3, n_in - 1)
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = g0s = g1s = zero
            for s in range(0, M, lanes):
                g0, g1 = vload(dZ, j0 * M + s), vload(dZ, j1 * M + s)
                a0, a1 = vload(A, i0 * M + s), vload(A, i1 * M + s)
                a2, a3 = vload(A, i2 * M + s), vload(A, i3 * M + s)
                c00, c10 = vfma_vv(g0, a0, c00), vfma_vv(g1, a0, c10)
                c01, c11 = vfma_vv(g0, a1, c01), vfma_vv(g1, a1, c11)
                c02, c12 = vfma_vv(g0, a2, c02), vfma_vv(g1, a2, c12)
                c03, c13 = vfma_vv(g0, a3, c03), vfma_vv(g1, a3, c13)
                if i0 == 0:
                    g0s, g1s = vadd(g0s, g0), vadd(g1s, g1)
            _update(W, j0 * n_in, i0, n_in, lr, c00, c01, c02, c03)
            if j1 != j0:
                _update(W, j1 * n_in, i0, n_in, lr, c10, c11, c12, c13)
            if i0 == 0:
                b[j0] = b[j0] - lr_b * vhsum(g0s)
                if j1 != j0:
                    b[j1] = b[j1] - lr_b * vhsum(g1s)


@njit(cache=True, fastmath=False)
def _step_narrow(W, b, dZ, A, n_out, n_in, M, lr, lr_b):
    """:func:`step` for one or two inputs (a first layer on 2-D data): tiles of 4 rows × 2 inputs,
    with db, 12 accumulators."""
    lanes = 64 // W.itemsize
    zero = vsplat(W[0] - W[0], vload(dZ, 0))
    i1 = n_in - 1
    for j0 in range(0, n_out, 4):
        j1, j2, j3 = min(j0 + 1, n_out - 1), min(j0 + 2, n_out - 1), min(j0 + 3, n_out - 1)
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = g0s = g1s = g2s = g3s = zero
        for s in range(0, M, lanes):
            a0, a1 = vload(A, s), vload(A, i1 * M + s)
            g0, g1 = vload(dZ, j0 * M + s), vload(dZ, j1 * M + s)
            g2, g3 = vload(dZ, j2 * M + s), vload(dZ, j3 * M + s)
            c00, c01 = vfma_vv(g0, a0, c00), vfma_vv(g0, a1, c01)
            c10, c11 = vfma_vv(g1, a0, c10), vfma_vv(g1, a1, c11)
            c20, c21 = vfma_vv(g2, a0, c20), vfma_vv(g2, a1, c21)
            c30, c31 = vfma_vv(g3, a0, c30), vfma_vv(g3, a1, c31)
            g0s, g1s, g2s, g3s = vadd(g0s, g0), vadd(g1s, g1), vadd(g2s, g2), vadd(g3s, g3)
        _update2(W, b, j0, n_in, lr, lr_b, c00, c01, g0s)
        if j1 > j0:
            _update2(W, b, j1, n_in, lr, lr_b, c10, c11, g1s)
        if j2 > j1:
            _update2(W, b, j2, n_in, lr, lr_b, c20, c21, g2s)
        if j3 > j2:
            _update2(W, b, j3, n_in, lr, lr_b, c30, c31, g3s)


@njit(cache=True, fastmath=False, inline="always")
def _update2(W, b, j, n_in, lr, lr_b, c0, c1, gs):
    """Row j of a one- or two-input layer: W[j, :] −= lr·(lane sums), b[j] −= lr_b·(lane sum)."""
    W[j * n_in] = W[j * n_in] - lr * vhsum(c0)
    if n_in == 2:
        W[j * n_in + 1] = W[j * n_in + 1] - lr * vhsum(c1)
    b[j] = b[j] - lr_b * vhsum(gs)


@njit(cache=True, fastmath=False, inline="always")
def _update(W, row, i0, n_in, lr, c0, c1, c2, c3):
    """W[row + i0 + k] −= lr·(lane sum of c_k) for the k < 4 with i0 + k < n_in."""
    W[row + i0] = W[row + i0] - lr * vhsum(c0)
    if i0 + 1 < n_in:
        W[row + i0 + 1] = W[row + i0 + 1] - lr * vhsum(c1)
    if i0 + 2 < n_in:
        W[row + i0 + 2] = W[row + i0 + 2] - lr * vhsum(c2)
    if i0 + 3 < n_in:
        W[row + i0 + 3] = W[row + i0 + 3] - lr * vhsum(c3)


@njit(cache=True, fastmath=False)
def sigmoid_grad(Z, Y, D, n, inv_m):
    """D = inv_m·(σ(Z) − Y) over the first n elements (rounded up to whole vectors; the buffers
    are that long), σ(z) = 1/(1 + e^(−z)) with :func:`~initlab.engine.simd.vexp`: the formula of
    :func:`initlab.engine.fast_outputs.output_grad`, a vector at a time."""
    lanes = 64 // Z.itemsize
    for s in range(0, n, lanes):
        z = vload(Z, s)
        one = vsplat(Z[0] - Z[0] + 1, z)
        p = vdiv(one, vadd(one, vexp(vsub(vsplat(Z[0] - Z[0], z), z))))
        vstore(D, s, vmul(inv_m, vsub(p, vload(Y, s))))


@njit(cache=True, fastmath=False)
def compact_logits(Zb, top, n_out, m, M, out):
    """The logits' first m columns, compact: out[c, s] = Zb[top + c·M + s]."""
    for c in range(n_out):
        for s in range(m):
            out[c * m + s] = Zb[top + c * M + s]


@njit(cache=True, fastmath=False)
def padded_grad(dzc, n_out, m, M, dz):
    """dz[c, :m] = dzc[c, :], zero past m (the padded columns add nothing to a gradient)."""
    zero = dz[0] - dz[0]
    for c in range(n_out):
        for s in range(m):
            dz[c * M + s] = dzc[c * m + s]
        for s in range(m, M):
            dz[c * M + s] = zero
