"""The compiled engine's kernel for wide layers: BLAS and a register-blocked step, per layer.

:mod:`initlab.engine.fast` runs narrow networks on its SIMD micro-kernels
(:mod:`initlab.engine.microkernels`); this kernel's narrow layers use the per-sample row loops of
``fast.py`` (:func:`~initlab.engine.fast._matmul`, …), which on a 64 × 64 layer stream a row of
samples per weight and reach about a third of the machine. Here a layer is *wide* when
both its fan-in and fan-out are at least :data:`WIDE` units (:func:`wide_layers`), and a wide layer
runs what the field uses for dense layers (Goto & van de Geijn, "Anatomy of high-performance matrix
multiplication", ACM TOMS 34(3), 2008: tiles held in registers, each operand loaded once per tile)::

    Z = W @ A                 BLAS gemm (numba's ``np.dot`` on 2-D views: scipy's BLAS)
    dA = Wᵀ @ dZ              BLAS gemm (the transposed view, no copy)
    dW[j, i] = Σ_s dZ[j, s]·A[i, s]  and  W ← W − lr·dW     :func:`_step_blocked`: 4 × 4 tiles

The step is written out here rather than handed to BLAS: dW is small and its sum (over the m
samples) long, a shape gemm libraries serve poorly, while a tile of 4 rows of dZ by 4 rows of A
loads 8 values per sample for 16 fused multiply-adds and is applied to W as it is finished (no
gradient is stored). Everything else — the bias, φ and φ', the cost, the output's gradient, the
divergence rule, the layers that are not wide — is :mod:`initlab.engine.fast`'s code, called here.

Exactness: BLAS and the tiles sum in their own blocked order with fused multiply-adds, so a wide
layer's numbers differ from the reference's in the last bits (≈1e-16 relative per operation), as
the reference's own ``W @ A`` (numpy's BLAS) differs from a loop. A network with no wide layer —
the course's 2-10-5-1 — never reaches this kernel (:func:`initlab.engine.fast.train` runs its own),
so its numbers stay exactly as they were.

Parallel split: the K models are spread over numba's threads (``prange``, as in
:mod:`initlab.engine.fast`) and every BLAS call runs on the thread that makes it (BLAS held to one
thread). With fewer models than threads (K = 1 on a 2-core machine) one model's samples are split
instead (:func:`_train_split`): each iteration, fixed blocks of samples run the forward and
backward passes in parallel, each leaving its weight gradient apart, and one thread checks and
costs the logits whole and steps with the blocks' gradients added in order — one parallel region
per iteration. The blocks depend on the number of samples only, so the numbers do not depend on
the machine; they differ from the unsplit kernel's (and from K > 1's) only in how the sum over
samples is grouped, to rounding. Two other splits were tried on this shared 2-core machine and
dropped: BLAS's own threads (2.6× slower than one thread on 2-64-64-64-1: its threads spin while
they wait for each other; ``benchmarks/wide_kernel.py``), and each layer's rows over the threads
(five parallel regions per iteration: 5 % faster at the median, often slower).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np
from numba import njit, prange
from threadpoolctl import threadpool_limits

from initlab.engine import fast
from initlab.engine.fast import _bias_relu, _matmul, _step, diverges, keep_final
from initlab.engine.fast_activations import RELU, activate, times_derivative
from initlab.engine.fast_outputs import cost, output_grad
from initlab.engine.params import n_models

if TYPE_CHECKING:
    from initlab.engine.history import History
    from initlab.engine.inputs import Progress
    from initlab.engine.params import Params
    from initlab.nn.network import Network

#: a layer is wide when its fan-in and its fan-out are both at least this many units
WIDE = 16


def wide_layers(sizes: tuple[int, ...]) -> np.ndarray:
    """``(L,)`` booleans: which weight layers are wide (fan-in and fan-out ≥ :data:`WIDE`)."""
    return np.array(
        [min(n_in, n_out) >= WIDE for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)],
        dtype=np.bool_,
    )


# -- the wide layer's step -------------------------------------------------------------------


@njit(cache=True, fastmath={"reassoc", "contract"})
def _step_blocked(W, b, dZ, A, n_out, n_in, m, lr, lr_b, zero):
    """W ← W − lr·dW, b ← b − lr_b·db, dW[j, i] = Σ_s dZ[j, s]·A[i, s], db[j] = Σ_s dZ[j, s], in
    tiles of 4 rows j by 4 inputs i: sixteen sums held in registers over one pass of the samples.

    Sums over samples may be reassociated (vectorized partial sums, as in
    :func:`initlab.engine.fast._step`) and contracted into fused multiply-adds; rows or inputs past
    the last full tile (n mod 4) go through :func:`initlab.engine.fast._step`'s loops.
    """
    j4 = n_out - n_out % 4
    i4 = n_in - n_in % 4
    for j in range(0, j4, 4):
        g0, g1 = dZ[j * m : (j + 1) * m], dZ[(j + 1) * m : (j + 2) * m]
        g2, g3 = dZ[(j + 2) * m : (j + 3) * m], dZ[(j + 3) * m : (j + 4) * m]
        for i in range(0, i4, 4):
            a0, a1 = A[i * m : (i + 1) * m], A[(i + 1) * m : (i + 2) * m]
            a2, a3 = A[(i + 2) * m : (i + 3) * m], A[(i + 3) * m : (i + 4) * m]
            t00 = t01 = t02 = t03 = t10 = t11 = t12 = t13 = zero
            t20 = t21 = t22 = t23 = t30 = t31 = t32 = t33 = zero
            for s in range(m):
                x0, x1, x2, x3 = a0[s], a1[s], a2[s], a3[s]
                y = g0[s]
                t00 += y * x0
                t01 += y * x1
                t02 += y * x2
                t03 += y * x3
                y = g1[s]
                t10 += y * x0
                t11 += y * x1
                t12 += y * x2
                t13 += y * x3
                y = g2[s]
                t20 += y * x0
                t21 += y * x1
                t22 += y * x2
                t23 += y * x3
                y = g3[s]
                t30 += y * x0
                t31 += y * x1
                t32 += y * x2
                t33 += y * x3
            _apply4(W, j * n_in + i, lr, t00, t01, t02, t03)
            _apply4(W, (j + 1) * n_in + i, lr, t10, t11, t12, t13)
            _apply4(W, (j + 2) * n_in + i, lr, t20, t21, t22, t23)
            _apply4(W, (j + 3) * n_in + i, lr, t30, t31, t32, t33)
    if i4 < n_in:  # the inputs past the last tile, for the tiled rows
        for j in range(j4):
            g = dZ[j * m : (j + 1) * m]
            for i in range(i4, n_in):
                a = A[i * m : (i + 1) * m]
                t = zero
                for s in range(m):
                    t += g[s] * a[s]
                W[j * n_in + i] = W[j * n_in + i] - lr * t
    for j in range(j4):
        g = dZ[j * m : (j + 1) * m]
        t = zero
        for s in range(m):
            t += g[s]
        b[j] = b[j] - lr_b * t
    if j4 < n_out:  # the rows past the last tile: every input and the bias
        rest = n_out - j4
        _step(W[j4 * n_in :], b[j4:], dZ[j4 * m :], A, rest, n_in, m, lr, lr_b, zero)


@njit(cache=True, fastmath=False)
def _apply4(W, o, lr, t0, t1, t2, t3):
    """W[o + c] ← W[o + c] − lr·t_c for c = 0..3."""
    W[o] = W[o] - lr * t0
    W[o + 1] = W[o + 1] - lr * t1
    W[o + 2] = W[o + 2] - lr * t2
    W[o + 3] = W[o + 3] - lr * t3


# -- forward, backward and step, layer by layer ----------------------------------------------


@njit(cache=True, fastmath=False)
def _forward(th, X, Zb, Ab, net, wide, m, one):
    """:func:`initlab.engine.fast._forward`, with a wide layer's ``W @ A`` on BLAS."""
    sizes, woff, boff, zoff, codes, aparams = net
    L = sizes.size - 1
    for li in range(L):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        Z = Zb[zoff[li] : zoff[li] + n_out * m]
        if wide[li]:
            np.dot(W.reshape(n_out, n_in), A.reshape(n_in, m), Z.reshape(n_out, m))
        else:
            _matmul(W, n_in, 1, A, Z, n_out, n_in, m)
        Ah = Ab[zoff[li] : zoff[li] + n_out * m]
        if li < L - 1 and codes[li] == RELU:  # + b and φ in one pass
            _bias_relu(b, Z, Ah, n_out, m, one)
        else:
            _add_bias(b, Z, n_out, m)
            if li < L - 1:
                activate(codes[li], aparams[li, 0], aparams[li, 1], Z, Ah, one)


@njit(cache=True, fastmath=False)
def _add_bias(b, Z, n_out, m):
    """Z[j, :] += b[j], the + b of ``W @ A + b``."""
    for j in range(n_out):
        z = Z[j * m : (j + 1) * m]
        bj = b[j]
        for s in range(m):
            z[s] += bj


@njit(cache=True, fastmath=False)
def _backward_step(th, G, X, Zb, Ab, dz, da, net, wide, m, lr, one):
    """:func:`initlab.engine.fast._backward_step`, with a wide layer's ``Wᵀ @ dZ`` on BLAS and
    its step in tiles (:func:`_step_blocked`). The products read the old W in ``th``; the step
    is applied to ``G``: ``th`` itself when training, or zeros with ``lr`` −1, which leaves the
    gradient there (0 − (−1)·dW = dW, exactly) for :func:`_train_split` to add up."""
    sizes, woff, boff, zoff, codes, aparams = net
    zero = one - one
    L = sizes.size - 1
    for li in range(L - 1, -1, -1):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        Wg = G[woff[li] : woff[li] + n_out * n_in]
        bg = G[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        if li > 0:  # dA = Wᵀ·dZ with the old W;  dZ_prev = dA·φ'(Z_prev)
            o, n = zoff[li - 1], n_in * m
            if wide[li]:
                Wm = W.reshape(n_out, n_in)
                np.dot(Wm.T, dz[0 : n_out * m].reshape(n_out, m), da[0:n].reshape(n_in, m))
            else:
                _matmul(W, 1, n_in, dz, da, n_in, n_out, m)
            times_derivative(
                codes[li - 1],
                aparams[li - 1, 0],
                aparams[li - 1, 1],
                da[0:n],
                Zb[o : o + n],
                Ab[o : o + n],
                one,
            )
        if wide[li]:
            _step_blocked(Wg, bg, dz, A, n_out, n_in, m, lr[li, 0], lr[li, 1], zero)
        else:
            _step(Wg, bg, dz, A, n_out, n_in, m, lr[li, 0], lr[li, 1], zero)
        if li > 0:
            dz, da = da, dz


# -- the loop ---------------------------------------------------------------------------------


@njit(cache=True, parallel=True, fastmath=False)
def _train_kernel(
    X, Y, theta, flat, wide, lr, start, stop, iterations, every, costs, diverged_at, final_costs
):
    """:func:`initlab.engine.fast._train_kernel` — same arguments, same records, same divergence
    rule — with :func:`_forward` and :func:`_backward_step`, which take ``wide`` (L,) booleans."""
    sizes, woff, boff, zrow, codes, aparams, out_code = flat
    K = theta.shape[0]
    L = sizes.size - 1
    m = X.size // sizes[0]
    n_out = sizes[L]
    zoff = zrow * m
    net = (sizes, woff, boff, zoff, codes, aparams)
    widest = 1
    for li in range(1, L + 1):
        widest = max(widest, sizes[li])
    top = zoff[L - 1]
    one = theta.dtype.type(1)
    m_t = theta.dtype.type(m)
    inv_m = theta.dtype.type(1.0 / m)
    for k in prange(K):
        th = theta[k]
        Zb = np.empty(top + n_out * m, dtype=theta.dtype)
        Ab = np.empty(top + n_out * m, dtype=theta.dtype)
        dz = np.empty(widest * m, dtype=theta.dtype)
        da = np.empty(widest * m, dtype=theta.dtype)
        logits = Zb[top:]
        alive = diverged_at[k] < 0
        for it in range(start, stop if alive else start):
            _forward(th, X, Zb, Ab, net, wide, m, one)
            if diverges(out_code, logits, Y, n_out, m, da, one, m_t, th, costs,
                        diverged_at, k, it, every):  # fmt: skip
                alive = False
                break
            output_grad(out_code, logits, Y, dz, n_out, m, one, inv_m)
            _backward_step(th, th, X, Zb, Ab, dz, da, net, wide, m, lr[k], one)
        if alive and stop == iterations:
            _forward(th, X, Zb, Ab, net, wide, m, one)
            c = cost(out_code, logits, Y, n_out, m, da, one, m_t)
            keep_final(th, final_costs, diverged_at, k, iterations, c)


@njit(cache=True, fastmath=False)
def _train_split(
    X, Y, theta, flat, wide, chunks, lr, start, stop, iterations, every, costs, diverged_at,
    final_costs,
):  # fmt: skip
    """:func:`_train_kernel` for fewer models than threads: the models one after another, each
    iteration's samples in ``chunks`` fixed blocks spread over the threads (:func:`_blocks`, one
    parallel region). A block runs the forward and the backward pass on its samples, its weight
    gradient left in a row of its own; then, on one thread, the
    logits are checked and costed whole, as the reference does, and the step is
    ``θ ← θ − η·(g_0 + g_1 + …)``, the blocks added in order. ``X`` and ``Y`` come block after
    block (:func:`sample_blocks`), each block ``(units, its samples)``; the blocks are set by the
    number of samples alone, so the numbers do not depend on the number of threads."""
    sizes, woff, boff, zrow, codes, aparams, out_code = flat
    K = theta.shape[0]
    L = sizes.size - 1
    n_in0, n_out = sizes[0], sizes[L]
    m = X.size // n_in0
    units = zrow[L - 1] + n_out  # rows of the activation buffers
    widest = 1
    for li in range(1, L + 1):
        widest = max(widest, sizes[li])
    one = theta.dtype.type(1)
    m_t = theta.dtype.type(m)
    inv_m = theta.dtype.type(1.0 / m)
    P = theta.shape[1]
    Zb = np.empty(units * m, dtype=theta.dtype)
    Ab = np.empty(units * m, dtype=theta.dtype)
    dz = np.empty(widest * m, dtype=theta.dtype)
    da = np.empty(widest * m, dtype=theta.dtype)
    grads = np.empty((chunks, P), dtype=theta.dtype)
    logits = np.empty(n_out * m, dtype=theta.dtype)
    targets = _compact(Y, n_out, m, chunks)  # (n_out, m), for the cost
    for k in range(K):
        th = theta[k]
        alive = diverged_at[k] < 0
        for it in range(start, stop if alive else start):
            _blocks(th, X, Y, Zb, Ab, dz, da, grads, logits, flat, wide, chunks, True, one, inv_m)
            if diverges(out_code, logits, targets, n_out, m, da, one, m_t, th, costs,
                        diverged_at, k, it, every):  # fmt: skip
                alive = False
                break
            _apply_sum(th, grads, flat, lr[k])
        if alive and stop == iterations:
            _blocks(th, X, Y, Zb, Ab, dz, da, grads, logits, flat, wide, chunks, False, one, inv_m)
            c = cost(out_code, logits, targets, n_out, m, da, one, m_t)
            keep_final(th, final_costs, diverged_at, k, iterations, c)


@njit(cache=True, parallel=True, fastmath=False)
def _blocks(th, X, Y, Zb, Ab, dz, da, grads, logits, flat, wide, chunks, backward, one, inv_m):
    """Every block of samples on the threads (:func:`_train_split`): its forward pass, its logits
    copied into ``logits`` ``(n_out, m)``, and with ``backward`` its weight gradient into its row
    of ``grads`` (:func:`_backward_step` with ``lr`` −1 on zeros: 0 − (−1)·dW = dW exactly)."""
    sizes, woff, boff, zrow, codes, aparams, out_code = flat
    L = sizes.size - 1
    n_in0, n_out = sizes[0], sizes[L]
    m = X.size // n_in0
    units = zrow[L - 1] + n_out
    widest = dz.size // m
    minus = np.full((L + 1, 2), -one)
    for c in prange(chunks):
        s0, s1 = _block(m, chunks, c)
        mc = s1 - s0
        net = (sizes, woff, boff, zrow * mc, codes, aparams)
        Zc, Ac = Zb[units * s0 : units * s1], Ab[units * s0 : units * s1]
        Xc = X[n_in0 * s0 : n_in0 * s1]
        top = zrow[L - 1] * mc
        _forward(th, Xc, Zc, Ac, net, wide, mc, one)
        for o in range(n_out):
            logits[o * m + s0 : o * m + s1] = Zc[top + o * mc : top + (o + 1) * mc]
        if backward:
            dzc, dac = dz[widest * s0 : widest * s1], da[widest * s0 : widest * s1]
            Yc = Y[n_out * s0 : n_out * s1]
            output_grad(out_code, Zc[top : top + n_out * mc], Yc, dzc, n_out, mc, one, inv_m)
            grads[c, :] = 0
            _backward_step(th, grads[c], Xc, Zc, Ac, dzc, dac, net, wide, mc, minus, one)


@njit(cache=True)
def _block(m, chunks, c):
    """Samples ``s0..s1`` of block c of ``chunks`` near-equal blocks of m."""
    return c * m // chunks, (c + 1) * m // chunks


@njit(cache=True)
def _compact(Yb, n_out, m, chunks):
    """The targets ``(n_out, m)`` from their blocks (:func:`sample_blocks`)."""
    Y = np.empty(n_out * m, dtype=Yb.dtype)
    for c in range(chunks):
        s0, s1 = _block(m, chunks, c)
        for o in range(n_out):
            Y[o * m + s0 : o * m + s1] = Yb[
                n_out * s0 + o * (s1 - s0) : n_out * s0 + (o + 1) * (s1 - s0)
            ]
    return Y


@njit(cache=True, fastmath=False)
def _apply_sum(th, grads, flat, lr):
    """θ ← θ − η·(g_0 + g_1 + …): each layer's W and b with its own η, the blocks in order."""
    sizes, woff, boff = flat[0], flat[1], flat[2]
    for li in range(sizes.size - 1):
        for p in range(woff[li], boff[li] + sizes[li + 1]):
            g = grads[0, p]
            for c in range(1, grads.shape[0]):
                g += grads[c, p]
            th[p] = th[p] - (lr[li, 0] if p < boff[li] else lr[li, 1]) * g


def sample_blocks(A: np.ndarray, rows: int, chunks: int) -> np.ndarray:
    """Flat ``(rows, m)`` ``A`` as :func:`_train_split` reads it: block after block (the blocks of
    :func:`_block`), each ``(rows, its samples)`` row-major."""
    A = A.reshape(rows, -1)
    m = A.shape[1]
    edges = [c * m // chunks for c in range(chunks + 1)]
    pairs = zip(edges[:-1], edges[1:], strict=True)
    return np.concatenate([A[:, a:b].reshape(-1) for a, b in pairs])


def split_chunks(samples: int) -> int:
    """Blocks of samples for :func:`_train_split`: two per 256 samples, at most 8, at least 2 (or
    one per sample, below 2) — set by the samples alone (never by the threads), so a result is
    the same on any machine."""
    return min(samples, 2 * max(1, min(4, samples // 256)))


# -- the public function ----------------------------------------------------------------------


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
    split: bool | None = None,
) -> History:
    """:func:`initlab.engine.fast.train` (same arguments, checks and :class:`History`) on this
    kernel, with BLAS held to one thread; a network with no wide layer
    (:func:`wide_layers`) runs :func:`initlab.engine.fast.train` itself, unchanged. ``split``:
    one model's samples over the threads (:func:`_train_split`); by default when there are
    fewer models than threads."""
    wide = wide_layers(network.sizes)
    if not wide.any():
        return fast.train(network, params, X, Y, lr, iterations, every, progress, dtype)
    K, threads = n_models(params), numba.get_num_threads()
    split = K < threads if split is None else split
    n_in, n_out = network.sizes[0], network.sizes[-1]
    blocked: list[np.ndarray] = []  # X and Y block after block, made on the first call

    def kernel(X: np.ndarray, Y: np.ndarray, theta: np.ndarray, flat: tuple, *rest: object) -> None:
        if not split:
            _train_kernel(X, Y, theta, flat, wide, *rest)
            return
        chunks = split_chunks(X.size // n_in)
        if not blocked:  # X and Y as checked by fast.train, flat; the same on every call
            blocked.extend((sample_blocks(X, n_in, chunks), sample_blocks(Y, n_out, chunks)))
        _train_split(blocked[0], blocked[1], theta, flat, wide, chunks, *rest)

    import scipy.linalg.cython_blas  # noqa: F401  (numba's BLAS, loaded so its threads are held)

    with threadpool_limits(limits=1, user_api="blas"):
        return fast.train(
            network, params, X, Y, lr, iterations, every, progress, dtype, kernel,
            threads=threads if split else None,
        )  # fmt: skip
