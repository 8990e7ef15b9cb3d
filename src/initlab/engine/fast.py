"""The compiled engine: the reference engine's training loop as one numba kernel over K models.

The whole of :func:`initlab.engine.reference.train` — forward, cost every ``every`` iterations,
divergence check, backward, gradient-descent step, for every iteration — runs inside one ``@njit``
call, ``prange`` over the model axis (each model is independent, so each thread trains whole models
with its own preallocated buffers and nothing is allocated inside the iteration loop). Within a
model, every array is flat and row-major with the samples as the inner, contiguous axis, the
reference's ``(units, m)`` layout (:mod:`initlab.engine.layout`), each row padded to whole SIMD
vectors (``M`` columns, :func:`~initlab.engine.layout.padded_columns`)::

    Z[j, :] = Σ_i W[j, i]·A[i, :] + b[j]          (i in order, then + b, as ``W @ A + b``)
    dA[i, :] = Σ_j W[j, i]·dZ[j, :]                (j in order, as ``Wᵀ @ dZ``)
    dW[j, i] = Σ_s dZ[j, s]·A[i, s]    db[j] = Σ_s dZ[j, s]
    W ← W − lr·dW                      b ← b − lr·db

The three products are :mod:`initlab.engine.microkernels`' register-blocked tiles (2 rows × 4
vectors of samples in registers, every term a fused multiply-add; ReLU and its derivative applied
as a tile is stored); other activations' φ and φ' (:mod:`initlab.engine.fast_activations`), each
output's cost and dCost/dZ (:mod:`initlab.engine.fast_outputs`; the sigmoid's gradient a vector
at a time with :func:`~initlab.engine.simd.vexp`), numpy's pairwise summation and max
(:mod:`initlab.engine.reductions`) follow the reference term for term. Divergence is the
reference's rule: a model whose logits (or recorded cost) are not finite at iteration i is marked
diverged at i, its parameters zeroed and its later costs NaN.

No ``fastmath``: sums over units keep the reference's order with each term fused (one rounding
instead of two); sums over samples (``dW``, ``db``) are kept in vector lanes and added pairwise at
the end, as BLAS blocks its sums. Results equal the reference's to rounding (≈1e-16 relative per
operation), which stays below 1e-12 on runs that are not chaotic.

One kernel serves every network: the activation of each hidden layer is an integer code with two
parameters (:data:`ACTIVATION_CODES`), the output a code (:data:`OUTPUT_CODES`), so numba compiles
one specialization per dtype (float64, float32), cached on disk next to each module
(``cache=True``; about 18 s of CPU per dtype the first time, a fraction of a second after).
numba checks a cached kernel against its own file only: after editing a kernel in
:mod:`~initlab.engine.microkernels`, :mod:`~initlab.engine.simd`,
:mod:`~initlab.engine.reductions`, :mod:`~initlab.engine.fast_activations` or
:mod:`~initlab.engine.fast_outputs`, delete ``engine/__pycache__/*.nb[ci]`` so
:func:`_train_kernel`, which compiles them in, is rebuilt (touching this file was seen not to be
enough).
Memory: the parameters of the K models plus, per thread, one model's activations (Z and A of every
layer) and two gradient rows of its widest layer.

Layers of 16 units and more in and out are run by :mod:`initlab.engine.fast_wide` (BLAS and a
register-blocked step), residual networks by :mod:`initlab.engine.fast_residual`; both call this
file's row helpers (:func:`_matmul`, :func:`_step`, …, the per-sample scalar loops, unpadded) and
pass their kernel to :func:`train`.

The public function :func:`train` validates and assembles; the private kernels trust their inputs
(stumpy's habit). Reached through :func:`initlab.engine.train` with ``engine="fast"``/``"auto"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numba
import numpy as np
from numba import njit, prange

from initlab.engine import microkernels
from initlab.engine.fast_activations import (
    ACTIVATION_CODES,
    RELU,
    activate,
    activation_codes,
    times_derivative,
)
from initlab.engine.fast_outputs import OUTPUT_CODES, SIGMOID_BCE, cost, output_grad
from initlab.engine.history import History, empty_records
from initlab.engine.inputs import DTYPES, Progress, check_shapes, step_rates
from initlab.engine.layout import layout, pack, padded_rows, unpack
from initlab.engine.params import Params, n_models
from initlab.errors import InitlabError

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from initlab.nn.network import Network

__all__ = ["ACTIVATION_CODES", "OUTPUT_CODES", "layout", "pack", "train", "unpack", "unsupported"]


def unsupported(network: Network, dtype: str = "float64") -> str | None:
    """Why the compiled kernel cannot train ``network`` in ``dtype``, or ``None`` when it can."""
    if network.blocks:
        return "residual networks train in initlab.engine.fast_residual"
    missing = sorted(
        {a.name for a in network.hidden_activations() if a.name not in ACTIVATION_CODES}
    )
    if missing:
        return f"the fast engine has no kernel for activation {', '.join(missing)}"
    if network.output not in OUTPUT_CODES:
        return f"the fast engine has no kernel for output {network.output!r}"
    if str(np.dtype(dtype)) not in DTYPES:
        return f"the fast engine runs float64 or float32, not {dtype}"
    return None


# -- the kernels: forward, backward and step, as the reference -----------------------------------
# Scalars of the model's dtype are passed in (``one``, ``zero``) so a float32 run stays float32:
# numba types a literal such as 0.5 as float64. ``net`` is the network, flat:
# ``(sizes, woff, boff, zoff, codes, aparams)`` (:func:`initlab.engine.layout.layout`, with zoff in
# elements, and :func:`activation_codes`).

# Every helper takes views (``Z[o:o+n]``) and indexes them with the loop counter alone, so numba
# needs no negative-index check and LLVM vectorizes the loops. Hot loops are written out in the
# helper that runs them: a call into another kernel per row costs more than the row.


@njit(cache=True, fastmath=False)
def _matmul(W, row_stride, col_stride, V, out, n_rows, n_sum, m):
    """out[r, :] = Σ_q W[r·row_stride + q·col_stride]·V[q, :], the q in order from 0.

    V is n_sum × m and out n_rows × m, row-major. ``W @ A`` is ``(row_stride, col_stride) =
    (n_in, 1)``, ``Wᵀ @ dZ`` is ``(1, n_in)``. Four terms are added per pass over a row,
    ``(((z + w0·v0) + w1·v1) + w2·v2) + w3·v3``: the same sum in the same order, fewer passes.
    """
    for r in range(n_rows):
        z = out[r * m : (r + 1) * m]
        base = r * row_stride
        w0 = W[base]
        v0 = V[0:m]
        for s in range(m):
            z[s] = w0 * v0[s]
        q = 1
        while q + 4 <= n_sum:
            c = base + q * col_stride
            w0, w1 = W[c], W[c + col_stride]
            w2, w3 = W[c + 2 * col_stride], W[c + 3 * col_stride]
            v0, v1 = V[q * m : (q + 1) * m], V[(q + 1) * m : (q + 2) * m]
            v2, v3 = V[(q + 2) * m : (q + 3) * m], V[(q + 3) * m : (q + 4) * m]
            for s in range(m):
                z[s] = (((z[s] + w0 * v0[s]) + w1 * v1[s]) + w2 * v2[s]) + w3 * v3[s]
            q += 4
        while q < n_sum:
            w0 = W[base + q * col_stride]
            v0 = V[q * m : (q + 1) * m]
            for s in range(m):
                z[s] = z[s] + w0 * v0[s]
            q += 1


@njit(cache=True, fastmath=False)
def _affine(W, b, A, Z, n_out, n_in, m):
    """Z[j, :] = Σ_i W[j, i]·A[i, :] + b[j] (W row-major (n_out, n_in), A (n_in, m), Z (n_out, m)):
    the sum over i in order, then + b, as ``W @ A + b``."""
    _matmul(W, n_in, 1, A, Z, n_out, n_in, m)
    for j in range(n_out):
        z = Z[j * m : (j + 1) * m]
        bj = b[j]
        for s in range(m):
            z[s] += bj


@njit(cache=True, fastmath=False)
def _bias_relu(b, Z, A, n_out, m, one):
    """Z[j, :] += b[j], then A = max(0, Z): the + b of :func:`_affine` and the ReLU of
    :func:`~initlab.engine.fast_activations.activate` in one
    pass."""
    zero = one - one
    for j in range(n_out):
        z = Z[j * m : (j + 1) * m]
        a = A[j * m : (j + 1) * m]
        bj = b[j]
        for s in range(m):
            v = z[s] + bj
            z[s] = v
            a[s] = zero if v <= zero else v


@njit(cache=True, fastmath=False)
def _forward(th, X, Zb, Ab, net, M, one):
    """Every layer's Z into ``Zb`` and every hidden layer's A into ``Ab`` (rows of M)."""
    sizes, woff, boff, zoff, codes, aparams = net
    L = sizes.size - 1
    for li in range(L):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * M]
        Z = Zb[zoff[li] : zoff[li] + n_out * M]
        An = Ab[zoff[li] : zoff[li] + n_out * M]
        relu = li < L - 1 and codes[li] == RELU
        if relu:
            microkernels.rows(W, n_in, 1, A, n_in, Z, n_out, M, b, An, 1)
        else:
            microkernels.rows(W, n_in, 1, A, n_in, Z, n_out, M, b, An, 0)
        if li < L - 1 and not relu:
            activate(codes[li], aparams[li, 0], aparams[li, 1], Z, An, one)


@njit(cache=True, fastmath=False)
def _backward_step(th, X, Zb, Ab, dz, da, net, M, lr, one):
    """From ``dz`` = dCost/dZ_L (rows of M, zero past m) down: each layer's dA (with the old W),
    then its step — the reference's ``backward`` then ``step``, layer by layer, so no gradient is
    kept. ``lr`` ``(L + 1, 2)``: η for each layer's W and b
    (:func:`initlab.engine.inputs.step_rates`); ``one`` is 1 in the model's dtype."""
    sizes, woff, boff, zoff, codes, aparams = net
    L = sizes.size - 1
    for li in range(L - 1, -1, -1):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * M]
        if li > 0:  # dA[q, :] = Σ_r W[r, q]·dZ[r, :];  dZ_prev = dA·φ'(Z_prev)
            o, n = zoff[li - 1], n_in * M
            c, p = codes[li - 1], aparams[li - 1]
            if c == RELU:
                microkernels.rows(W, 1, n_in, dz, n_out, da, n_in, M, b, Ab[o : o + n], 2)
            else:
                microkernels.rows(W, 1, n_in, dz, n_out, da, n_in, M, b, Ab[o : o + n], 3)
            if c != RELU:
                times_derivative(c, p[0], p[1], da[0:n], Zb[o : o + n], Ab[o : o + n], one)
        microkernels.step(W, b, dz, A, n_out, n_in, M, lr[li, 0], lr[li, 1])
        if li > 0:
            dz, da = da, dz


@njit(cache=True, fastmath={"reassoc"})
def _step(W, b, dZ, A, n_out, n_in, m, lr, lr_b, zero):
    """W ← W − lr·dW, b ← b − lr_b·db with dW[j, i] = Σ_s dZ[j, s]·A[i, s], db[j] = Σ_s dZ[j, s].

    The one place with a relaxed float rule: the sums over samples may be reassociated (vectorized
    partial sums, as BLAS blocks its sums); nothing else is relaxed and nothing else happens here.
    Four inputs i share a pass over dZ[j, :].
    """
    for j in range(n_out):
        g = dZ[j * m : (j + 1) * m]
        r = j * n_in
        i = 0
        while i + 4 <= n_in:
            a0, a1 = A[i * m : (i + 1) * m], A[(i + 1) * m : (i + 2) * m]
            a2, a3 = A[(i + 2) * m : (i + 3) * m], A[(i + 3) * m : (i + 4) * m]
            t0 = t1 = t2 = t3 = zero
            for s in range(m):
                v = g[s]
                t0 += v * a0[s]
                t1 += v * a1[s]
                t2 += v * a2[s]
                t3 += v * a3[s]
            W[r + i] = W[r + i] - lr * t0
            W[r + i + 1] = W[r + i + 1] - lr * t1
            W[r + i + 2] = W[r + i + 2] - lr * t2
            W[r + i + 3] = W[r + i + 3] - lr * t3
            i += 4
        while i < n_in:
            a0 = A[i * m : (i + 1) * m]
            t0 = zero
            for s in range(m):
                t0 += g[s] * a0[s]
            W[r + i] = W[r + i] - lr * t0
            i += 1
        t0 = zero
        for s in range(m):
            t0 += g[s]
        b[j] = b[j] - lr_b * t0


@njit(cache=True, fastmath=False)
def _all_finite(Z):
    ok = True
    for s in range(Z.size):
        ok &= math.isfinite(Z[s])
    return ok


@njit(cache=True)
def mark_diverged(th, costs, diverged_at, k, it, every, record):
    """The reference's rule for model ``k`` at iteration ``it``: diverged here, its parameters
    zeroed (nothing non-finite spreads), its cost NaN when this iteration is recorded."""
    diverged_at[k] = it
    th[:] = 0
    if record:
        costs[k, it // every] = np.nan


@njit(cache=True)
def diverges(out_code, logits, Y, n_out, m, tmp, one, m_t, th, costs, diverged_at, k, it, every):
    """The reference's rule for model ``k`` at iteration ``it``, from its logits ``(n_out, m)``:
    the cost is recorded when ``it % every == 0`` (``tmp``: n_out·m scratch); when a logit, or
    that cost, is not finite, the model is marked diverged here (:func:`mark_diverged`) and
    ``True`` returned. Every compiled kernel's loop asks it once per iteration."""
    bad = not _all_finite(logits)
    record = it % every == 0
    if record:
        c = cost(out_code, logits, Y, n_out, m, tmp, one, m_t)
        costs[k, it // every] = c
        bad = bad or not math.isfinite(c)
    if bad:
        mark_diverged(th, costs, diverged_at, k, it, every, record)
    return bad


@njit(cache=True)
def keep_final(th, final_costs, diverged_at, k, iterations, c):
    """Model ``k``'s cost after the last step, ``c``: kept when finite, else diverged at
    ``iterations`` (parameters zeroed)."""
    if math.isfinite(c):
        final_costs[k] = c
    else:
        diverged_at[k] = iterations
        th[:] = 0


@njit(cache=True, parallel=True, fastmath=False)
def _train_kernel(
    X, Y, theta, flat, lr, start, stop, iterations, every, costs, diverged_at, final_costs
):
    """Iterations ``start..stop−1`` of ``iterations`` for the K models of ``theta`` (K, P), in
    place, ``prange`` over models; models already diverged are skipped. ``X`` is the input as rows
    of M (:func:`initlab.engine.layout.padded_rows`), ``Y`` the targets ``(n_out, m)``, compact;
    ``flat`` the network, ``(sizes, woff, boff, zrow, codes, aparams, out_code)``. Fills ``costs``
    (K, ⌈iterations/every⌉), ``diverged_at`` (K,) and, when ``stop == iterations``,
    ``final_costs`` (K,); they come pre-filled with NaN, −1 and NaN. (Arrays the kernel writes are
    passed one by one: numba dropped writes made inside ``prange`` through a tuple of arrays.)"""
    sizes, woff, boff, zrow, codes, aparams, out_code = flat
    K = theta.shape[0]
    L = sizes.size - 1
    n_out = sizes[L]
    m = Y.size // n_out
    M = X.size // sizes[0]
    zoff = zrow * M
    net = (sizes, woff, boff, zoff, codes, aparams)
    widest = 1
    for li in range(1, L + 1):
        widest = max(widest, sizes[li])
    top = zoff[L - 1]
    one = theta.dtype.type(1)
    m_t = theta.dtype.type(m)
    inv_m = theta.dtype.type(1.0 / m)
    lanes = 64 // theta.itemsize
    nm = -(-(n_out * m) // lanes) * lanes  # the compact logits, in whole vectors
    Yp = microkernels.aligned_zeros(nm, theta)
    Yp[: n_out * m] = Y
    for k in prange(K):
        th = theta[k]
        Zb = microkernels.aligned_zeros(top + n_out * M, theta)  # every row on a 64-byte line
        Ab = microkernels.aligned_zeros(top + n_out * M, theta)
        dz = microkernels.aligned_zeros(widest * M, theta)
        da = microkernels.aligned_zeros(widest * M, theta)
        logits = microkernels.aligned_zeros(nm, theta)
        dzc = microkernels.aligned_zeros(nm, theta)
        alive = diverged_at[k] < 0
        for it in range(start, stop if alive else start):
            _forward(th, X, Zb, Ab, net, M, one)
            microkernels.compact_logits(Zb, top, n_out, m, M, logits)
            if diverges(out_code, logits, Y, n_out, m, dzc, one, m_t, th, costs, diverged_at, k,
                        it, every):  # fmt: skip
                alive = False  # the reference's rule: parameters zeroed, later costs NaN
                break
            if out_code == SIGMOID_BCE:
                microkernels.sigmoid_grad(logits, Yp, dzc, n_out * m, inv_m)
            else:
                output_grad(out_code, logits, Y, dzc, n_out, m, one, inv_m)
            microkernels.padded_grad(dzc, n_out, m, M, dz)
            _backward_step(th, X, Zb, Ab, dz, da, net, M, lr[k], one)
        if alive and stop == iterations:
            _forward(th, X, Zb, Ab, net, M, one)
            microkernels.compact_logits(Zb, top, n_out, m, M, logits)
            c = cost(out_code, logits, Y, n_out, m, dzc, one, m_t)
            keep_final(th, final_costs, diverged_at, k, iterations, c)


# -- the loop: the public function -----------------------------------------------------------


def train(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int = 1000,
    progress: Progress | None = None,
    dtype: str = "float64",
    kernel: Callable[..., None] | None = None,
    padded: bool = False,
    threads: int | None = None,
) -> History:
    """:func:`initlab.engine.train` on the compiled kernel: same arguments, same :class:`History`
    (``engine="fast"``). ``params`` is not modified. Raises :class:`InitlabError` for a network the
    kernel does not cover (see :func:`unsupported`) or inconsistent arrays. ``kernel`` replaces
    :func:`_train_kernel` (same arguments; :func:`initlab.engine.fast_wide.train` passes its own);
    ``padded`` says it reads X as this file's kernel does, rows of whole vectors
    (:func:`~initlab.engine.layout.padded_rows`; :mod:`initlab.engine.fused`'s kernels do).
    ``threads``: numba's threads for the kernel (default: one per model, at most all of them).

    With ``progress``, the iterations run in about 100 chunks (one kernel call each) and
    ``progress(i)`` is called after each; without it, in one call.
    """
    reason = unsupported(network, dtype)
    if reason is not None:
        raise InitlabError(reason)
    padded = padded or kernel is None  # this file's kernel reads rows of whole vectors
    dt = np.dtype(dtype)
    K = n_models(params)
    X, Y = _check_arrays(network, params, X, Y, dt)
    if padded:
        X = padded_rows(X, network.sizes[0])
    lr_k = step_rates(network, lr, K, dt)
    out_code = OUTPUT_CODES[network.output]
    flat = (*layout(network.sizes), *activation_codes(network, dt), out_code)
    theta = pack(params, dt)
    recorded, costs, diverged_at, final = run_chunks(
        kernel or _train_kernel, X, Y, theta, flat, lr_k, iterations, every, progress, threads
    )
    return History(
        recorded,
        costs,
        final,
        diverged_at,
        unpack(theta, network.sizes),
        engine="fast",
        dtype=dt.name,
    )


def run_chunks(
    kernel: Callable[..., None],
    X: np.ndarray,
    Y: np.ndarray,
    theta: np.ndarray,
    flat: tuple,
    lr_k: np.ndarray,
    iterations: int,
    every: int,
    progress: Progress | None,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run a compiled training ``kernel`` (:func:`_train_kernel`'s arguments) over the iterations
    on the K models packed in ``theta`` (updated in place), with numba's threads capped at K (no
    idle threads to wake and wait for) unless ``threads`` says how many: in one call, or with
    ``progress`` in about 100 chunks, ``progress(i)`` after each. Returns the records:
    ``recorded, costs, diverged_at, final``."""
    K = theta.shape[0]
    recorded, costs, diverged_at = empty_records(K, iterations, every)
    final = np.full(K, np.nan)
    chunk = iterations if progress is None else -(-iterations // 100)
    stops = list(range(chunk, iterations, chunk)) + [iterations] if iterations > 0 else [0]
    start = 0
    everyone = numba.get_num_threads()
    numba.set_num_threads(threads or max(1, min(K, everyone)))
    try:
        for stop in stops:
            kernel(
                X, Y, theta, flat, lr_k, start, stop, iterations, every, costs, diverged_at, final
            )
            start = stop
            if progress is not None:
                progress(stop)
    finally:
        numba.set_num_threads(everyone)
    return recorded, costs, diverged_at, final


def _check_arrays(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray, dt: DTypeLike
) -> tuple[np.ndarray, np.ndarray]:
    """Flat, contiguous ``X`` and ``Y`` of dtype ``dt``, after checking every shape
    (:func:`~initlab.engine.inputs.check_shapes`)."""
    X, Y = check_shapes(network, params, X, Y)
    return (
        np.ascontiguousarray(X, dtype=dt).reshape(-1),
        np.ascontiguousarray(Y, dtype=dt).reshape(-1),
    )
