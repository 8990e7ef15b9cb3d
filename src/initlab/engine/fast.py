"""The compiled engine: the reference engine's training loop as one numba kernel over K models.

The whole of :func:`initlab.engine.train` — forward, cost every ``every`` iterations, divergence
check, backward, gradient-descent step, for every iteration — runs inside one ``@njit`` call,
``prange`` over the model axis (each model is independent, so each thread trains whole models with
its own preallocated buffers and nothing is allocated inside the iteration loop). Within a model,
every array is flat and row-major with the m samples as the inner, contiguous axis, exactly the
reference's ``(units, m)`` layout, so every inner loop runs over samples and is vectorized::

    Z[j, :] = Σ_i W[j, i]·A[i, :] + b[j]          (i in order, then + b, as ``W @ A + b``)
    dA[i, :] = Σ_j W[j, i]·dZ[j, :]                (j in order, as ``Wᵀ @ dZ``)
    dW[j, i] = Σ_s dZ[j, s]·A[i, s]    db[j] = Σ_s dZ[j, s]
    W ← W − lr·dW                      b ← b − lr·db

The formulas are the reference's, term for term: expit as ``1/(1 + e^(−z))`` (scipy), the BCE cost
as ``mean(logaddexp(0, z) − y·z)`` with numpy's ``logaddexp`` and numpy's pairwise summation, the
softmax/CE cost as scipy's ``logsumexp`` (ties to the maximum counted apart) minus ``Σ_c y_c·z_c``,
``dZ_L = (1/m)·(p − y)``, and each activation's φ and φ' as written in
:mod:`initlab.nn.activations`. Divergence is the reference's rule: a model whose logits (or
recorded cost) are not finite at iteration i is marked diverged at i, its parameters zeroed and its
later costs NaN.

No ``fastmath`` anywhere but in :func:`_step`, whose sums over samples (``dW``, ``db``) may be
reassociated (``fastmath={"reassoc"}``: vectorized partial sums, as BLAS blocks its sums; no
assumption about NaN or infinity, no approximate functions, no contraction): a sum over samples
that keeps its order cannot be vectorized, and it is half the arithmetic. The sums over units
keep the reference's order (four terms a pass, :func:`_matmul`). Results equal the reference's to
rounding (≈1e-16 relative per operation), which stays below 1e-12 on runs that are not chaotic;
``exp``, ``log1p``, ``tanh``, ``erfc`` are the C library's, as numpy and scipy call them.

One kernel serves every network: the activation of each hidden layer is an integer code with two
parameters (:data:`ACTIVATION_CODES`), the output a code (:data:`OUTPUT_CODES`), so numba compiles
one specialization per dtype (float64, float32), cached on disk next to this file
(``cache=True``; about 12 s of CPU per dtype the first time, a fraction of a second after).
Memory: the parameters of the K models plus, per thread, one model's activations (Z and A of every
layer) and two gradient rows of its widest layer.

The public function :func:`train` validates and assembles; the private kernels trust their inputs
(stumpy's habit). Reached through :func:`initlab.engine.train` with ``engine="fast"``/``"auto"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numba
import numpy as np
from numba import njit, prange

from initlab.engine.history import History, empty_records
from initlab.engine.params import Params, n_models
from initlab.errors import InitlabError
from initlab.nn import activations as _activations
from initlab.nn.network import Network
from initlab.specs import parse_spec

Progress = Callable[[int], None]

# -- what the kernel covers --------------------------------------------------------------------

RELU, SIGMOID, LEAKY_RELU, SCALED_ELU, GELU, TANH, SOFTPLUS, LINEAR = range(8)
SIGMOID_BCE, SOFTMAX_CE = range(2)

_SQRT_HALF = math.sqrt(0.5)  # 1/√2, as nn.activations.gelu
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # 1/√(2π)


def _selu_params(params: dict) -> tuple[float, float]:
    scale = _activations.SELU_SCALE
    return scale, scale * _activations.SELU_ALPHA


#: activation name → (code, function of the spec's params giving the kernel's two parameters)
ACTIVATION_CODES = {
    "relu": (RELU, lambda p: (0.0, 0.0)),
    "sigmoid": (SIGMOID, lambda p: (0.0, 0.0)),
    "leaky_relu": (LEAKY_RELU, lambda p: (float(p.get("slope", 0.01)), 0.0)),
    # ELU and SELU are one family: φ(z) = p0·z for z > 0, p1·(e^z − 1) otherwise
    "elu": (SCALED_ELU, lambda p: (1.0, float(p.get("alpha", 1.0)))),
    "selu": (SCALED_ELU, _selu_params),
    "gelu": (GELU, lambda p: (_SQRT_HALF, _INV_SQRT_2PI)),
    "tanh": (TANH, lambda p: (0.0, 0.0)),
    "softplus": (SOFTPLUS, lambda p: (0.0, 0.0)),
    "linear": (LINEAR, lambda p: (0.0, 0.0)),
}

#: output name → code
OUTPUT_CODES = {"sigmoid": SIGMOID_BCE, "softmax": SOFTMAX_CE}

DTYPES = ("float64", "float32")


def unsupported(network: Network, dtype: str = "float64") -> str | None:
    """Why the compiled kernel cannot train ``network`` in ``dtype``, or ``None`` when it can."""
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


def activation_codes(network: Network, dtype) -> tuple[np.ndarray, np.ndarray]:
    """``(codes (L−1,), params (L−1, 2))`` of the hidden layers, for the kernel."""
    codes, params = [], []
    for activation in network.hidden_activations():
        code, make = ACTIVATION_CODES[activation.name]
        codes.append(code)
        params.append(make(dict(parse_spec(activation.spec).params)))
    return (
        np.array(codes, dtype=np.int64),
        np.array(params, dtype=dtype).reshape(len(codes), 2),
    )


# -- the kernels ------------------------------------------------------------------------------
# Scalars of the model's dtype are passed in (``one``, ``zero``) so a float32 run stays float32:
# numba types a literal such as 0.5 as float64.


@njit(cache=True, fastmath=False)
def _logaddexp0(z, one):
    """numpy's ``logaddexp(0, z)`` = log(1 + e^z), overflow-free (``npy_logaddexp`` with x = 0)."""
    if z == 0:
        return math.log(one + one)
    if z < 0:  # 0 − z > 0: 0 + log1p(e^z)
        return math.log1p(math.exp(z))
    if z > 0:  # 0 − z <= 0: z + log1p(e^(−z))
        return z + math.log1p(math.exp(-z))
    return z  # NaN


@njit(cache=True, fastmath=False)
def _pairwise_block(a, start, n, zero):
    """numpy's ``pairwise_sum`` (loops_utils.h) for n <= 128: 8 accumulators, then the rest."""
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
def _pairwise_sum(a, start, n, zero):
    """numpy's pairwise summation of ``a[start:start+n]``: blocks of up to 128 values
    (:func:`_pairwise_block`); a longer range is split in two at ``n//2`` rounded down to a
    multiple of 8 and the halves' sums added. numpy recurses; this walks the same tree with a
    stack (numba's cache does not keep recursive functions)."""
    if n <= 128:
        return _pairwise_block(a, start, n, zero)
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
        elif n0 <= 128:
            results[done] = _pairwise_block(a, s0, n0, zero)
            done += 1
        else:
            n2 = n0 // 2
            n2 -= n2 % 8
            task_start[tasks], task_n[tasks] = 0, -1
            task_start[tasks + 1], task_n[tasks + 1] = s0 + n2, n0 - n2
            task_start[tasks + 2], task_n[tasks + 2] = s0, n2
            tasks += 3
    return results[0]


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


@njit(cache=True, fastmath={"reassoc"})
def _step(W, b, dZ, A, n_out, n_in, m, lr, zero):
    """W ← W − lr·dW, b ← b − lr·db with dW[j, i] = Σ_s dZ[j, s]·A[i, s], db[j] = Σ_s dZ[j, s].

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
        b[j] = b[j] - lr * t0


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
    :func:`_activate` in one pass."""
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
def _activate(code, p0, p1, Z, A, one):
    """A = φ(Z) elementwise; φ by ``code``, written as in :mod:`initlab.nn.activations`."""
    zero = one - one
    half = one / (one + one)
    if code == RELU:  # np.maximum(0, z), which passes NaN through
        for s in range(Z.size):
            z = Z[s]
            A[s] = zero if z <= zero else z
    elif code == SIGMOID:  # expit
        for s in range(Z.size):
            A[s] = one / (one + math.exp(-Z[s]))
    elif code == LEAKY_RELU:  # where(z > 0, z, slope·z)
        for s in range(Z.size):
            z = Z[s]
            A[s] = z if z > zero else p0 * z
    elif code == SCALED_ELU:  # where(z > 0, p0·z, p1·expm1(min(z, 0)))
        for s in range(Z.size):
            z = Z[s]
            A[s] = p0 * z if z > zero else p1 * math.expm1(z)
    elif code == GELU:  # z·(½·erfc(−z·(1/√2)))
        for s in range(Z.size):
            z = Z[s]
            A[s] = z * (half * math.erfc(-z * p0))
    elif code == TANH:
        for s in range(Z.size):
            A[s] = math.tanh(Z[s])
    elif code == SOFTPLUS:  # logaddexp(0, z)
        for s in range(Z.size):
            A[s] = _logaddexp0(Z[s], one)
    else:  # LINEAR
        for s in range(Z.size):
            A[s] = Z[s]


@njit(cache=True, fastmath=False)
def _times_derivative(code, p0, p1, D, Z, A, one):
    """D ← D·φ'(Z, A) elementwise; φ' as in :mod:`initlab.nn.activations`."""
    zero = one - one
    half = one / (one + one)
    if code == RELU:  # (a > 0)
        for s in range(D.size):
            D[s] = D[s] * (one if A[s] > zero else zero)
    elif code == SIGMOID:  # a·(1 − a)
        for s in range(D.size):
            a = A[s]
            D[s] = D[s] * (a * (one - a))
    elif code == LEAKY_RELU:  # where(z > 0, 1, slope)
        for s in range(D.size):
            D[s] = D[s] * (one if Z[s] > zero else p0)
    elif code == SCALED_ELU:  # where(z > 0, p0, a + p1)
        for s in range(D.size):
            D[s] = D[s] * (p0 if Z[s] > zero else A[s] + p1)
    elif code == GELU:  # ½·erfc(−z·(1/√2)) + z·(1/√(2π))·e^(−½·z·z)
        for s in range(D.size):
            z = Z[s]
            D[s] = D[s] * (half * math.erfc(-z * p0) + z * p1 * math.exp(-half * z * z))
    elif code == TANH:  # 1 − a·a
        for s in range(D.size):
            a = A[s]
            D[s] = D[s] * (one - a * a)
    elif code == SOFTPLUS:  # expit(z)
        for s in range(D.size):
            D[s] = D[s] * (one / (one + math.exp(-Z[s])))
    else:  # LINEAR: × ones_like(z)
        for s in range(D.size):
            D[s] = D[s] * one


@njit(cache=True, fastmath=False)
def _all_finite(Z):
    ok = True
    for s in range(Z.size):
        ok &= math.isfinite(Z[s])
    return ok


@njit(cache=True, fastmath=False)
def _column_max(Z, s, n_out, m):
    """max over the units of sample s (NaN wins, as ``np.max``)."""
    zmax = Z[s]
    for c in range(1, n_out):
        zc = Z[c * m + s]
        if zc > zmax or zc != zc:
            zmax = zc
    return zmax


@njit(cache=True, fastmath=False)
def _cost(out_code, Z, Y, n_out, m, tmp, one, m_t):
    """The mean cost of the logits Z (n_out × m) as :mod:`initlab.nn.outputs` computes it; ``tmp``
    (≥ m) holds the per-sample losses, summed pairwise as numpy sums them."""
    zero = one - one
    if out_code == SIGMOID_BCE:  # logaddexp(0, z) − y·z
        for s in range(m):
            z = Z[s]
            tmp[s] = _logaddexp0(z, one) - Y[s] * z
        return _pairwise_sum(tmp, 0, m, zero) / m_t
    for s in range(m):  # scipy's logsumexp (ties to the max counted apart) − Σ_c y_c·z_c
        zmax = _column_max(Z, s, n_out, m)
        count = zero
        total = zero
        dot = zero
        for c in range(n_out):
            zc = Z[c * m + s]
            if zc == zmax:
                count += one
            else:
                total += math.exp(zc - zmax)
            dot += Y[c * m + s] * zc
        if total != zero:
            total = total / count
        tmp[s] = (math.log1p(total) + math.log(count) + zmax) - dot
    return _pairwise_sum(tmp, 0, m, zero) / m_t


@njit(cache=True, fastmath=False)
def _output_grad(out_code, Z, Y, D, n_out, m, one, inv_m):
    """D = dCost/dZ_L = (1/m)·(p − y), p = σ(z) or the softmax over the units."""
    if out_code == SIGMOID_BCE:
        for s in range(m):
            D[s] = inv_m * (one / (one + math.exp(-Z[s])) - Y[s])
        return
    for s in range(m):  # scipy.special.softmax: e^(z − max z) / Σ_c e^(z_c − max z)
        zmax = _column_max(Z, s, n_out, m)
        denom = one - one
        for c in range(n_out):
            e = math.exp(Z[c * m + s] - zmax)
            D[c * m + s] = e
            denom += e
        for c in range(n_out):
            D[c * m + s] = inv_m * (D[c * m + s] / denom - Y[c * m + s])


@njit(cache=True, fastmath=False)
def _forward(th, X, Zb, Ab, sizes, woff, boff, zoff, codes, aparams, m, one):
    """Every layer's Z into ``Zb`` and every hidden layer's A into ``Ab`` (same offsets)."""
    L = sizes.size - 1
    for li in range(L):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        Z = Zb[zoff[li] : zoff[li] + n_out * m]
        if li < L - 1 and codes[li] == RELU:  # the common case, + b and φ in one pass
            _matmul(W, n_in, 1, A, Z, n_out, n_in, m)
            _bias_relu(b, Z, Ab[zoff[li] : zoff[li] + n_out * m], n_out, m, one)
        else:
            _affine(W, b, A, Z, n_out, n_in, m)
            if li < L - 1:
                _activate(
                    codes[li],
                    aparams[li, 0],
                    aparams[li, 1],
                    Z,
                    Ab[zoff[li] : zoff[li] + n_out * m],
                    one,
                )


@njit(cache=True, fastmath=False)
def _backward_step(th, X, Zb, Ab, dz, da, sizes, woff, boff, zoff, codes, aparams, m, lr, one):
    """From ``dz`` = dCost/dZ_L down: each layer's dA (with the old W), then its step."""
    zero = one - one
    L = sizes.size - 1
    for li in range(L - 1, -1, -1):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        if li > 0:  # dA[i, :] = Σ_j W[j, i]·dZ[j, :];  dZ_prev = dA·φ'(Z_prev)
            _matmul(W, 1, n_in, dz, da, n_in, n_out, m)
            o, n = zoff[li - 1], n_in * m
            _times_derivative(
                codes[li - 1],
                aparams[li - 1, 0],
                aparams[li - 1, 1],
                da[0:n],
                Zb[o : o + n],
                Ab[o : o + n],
                one,
            )
        _step(W, b, dz, A, n_out, n_in, m, lr, zero)
        if li > 0:
            dz, da = da, dz


@njit(cache=True, parallel=True, fastmath=False)
def _train_kernel(
    X,
    Y,
    theta,
    sizes,
    woff,
    boff,
    zrow,
    codes,
    aparams,
    out_code,
    lr,
    start,
    stop,
    iterations,
    every,
    costs,
    diverged_at,
    final_costs,
):
    """Iterations ``start..stop−1`` of ``iterations`` for the K models of ``theta`` (K, P), in
    place, ``prange`` over models; models already diverged are skipped. Fills ``costs``
    (K, ⌈iterations/every⌉), ``diverged_at`` (K,) and, when ``stop == iterations``, ``final_costs``
    (K,); they come pre-filled with NaN, −1 and NaN."""
    K = theta.shape[0]
    L = sizes.size - 1
    m = X.size // sizes[0]
    n_out = sizes[L]
    zoff = zrow * m  # where each layer's Z rows start, in elements
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
            _forward(th, X, Zb, Ab, sizes, woff, boff, zoff, codes, aparams, m, one)
            bad = not _all_finite(logits)
            record = it % every == 0
            if record:
                c = _cost(out_code, logits, Y, n_out, m, da, one, m_t)
                costs[k, it // every] = c
                bad = bad or not math.isfinite(c)
            if bad:  # the reference's rule: diverged here, parameters zeroed, later costs NaN
                diverged_at[k] = it
                th[:] = 0
                if record:
                    costs[k, it // every] = np.nan
                alive = False
                break
            _output_grad(out_code, logits, Y, dz, n_out, m, one, inv_m)
            _backward_step(
                th, X, Zb, Ab, dz, da, sizes, woff, boff, zoff, codes, aparams, m, lr[k], one
            )
        if alive and stop == iterations:
            _forward(th, X, Zb, Ab, sizes, woff, boff, zoff, codes, aparams, m, one)
            c = _cost(out_code, logits, Y, n_out, m, da, one, m_t)
            if math.isfinite(c):
                final_costs[k] = c
            else:
                diverged_at[k] = iterations
                th[:] = 0


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
) -> History:
    """:func:`initlab.engine.train` on the compiled kernel: same arguments, same :class:`History`
    (``engine="fast"``). ``params`` is not modified. Raises :class:`InitlabError` for a network the
    kernel does not cover (see :func:`unsupported`) or inconsistent arrays.

    With ``progress``, the iterations run in about 100 chunks (one kernel call each) and
    ``progress(i)`` is called after each; without it, in one call.
    """
    reason = unsupported(network, dtype)
    if reason is not None:
        raise InitlabError(reason)
    dt = np.dtype(dtype)
    K = n_models(params)
    X, Y = _check_arrays(network, params, X, Y, dt)
    lr_k = np.ascontiguousarray(np.broadcast_to(np.asarray(lr, dtype=dt), (K,)))
    sizes, woff, boff, zrow = layout(network.sizes)
    codes, aparams = activation_codes(network, dt)
    theta = pack(params, dt)
    recorded, costs, diverged_at = empty_records(K, iterations, every)
    final = np.full(K, np.nan)
    out_code = OUTPUT_CODES[network.output]
    chunk = iterations if progress is None else -(-iterations // 100)
    stops = list(range(chunk, iterations, chunk)) + [iterations] if iterations > 0 else [0]
    start = 0
    threads = numba.get_num_threads()
    numba.set_num_threads(max(1, min(K, threads)))  # no idle threads to wake and wait for
    try:
        for stop in stops:
            _train_kernel(
                X,
                Y,
                theta,
                sizes,
                woff,
                boff,
                zrow,
                codes,
                aparams,
                out_code,
                lr_k,
                start,
                stop,
                iterations,
                every,
                costs,
                diverged_at,
                final,
            )
            start = stop
            if progress is not None:
                progress(stop)
    finally:
        numba.set_num_threads(threads)
    return History(
        recorded,
        costs,
        final,
        diverged_at,
        unpack(theta, network.sizes),
        engine="fast",
        dtype=dt.name,
    )


def _check_arrays(network: Network, params: Params, X, Y, dt) -> tuple[np.ndarray, np.ndarray]:
    """Flat, contiguous ``X`` and ``Y`` of dtype ``dt``, after checking every shape."""
    X, Y = np.asarray(X), np.asarray(Y)
    sizes = network.sizes
    if X.ndim != 2 or X.shape[0] != sizes[0] or X.shape[1] < 1:
        raise InitlabError(f"X must have shape ({sizes[0]}, m) with m >= 1; got {X.shape}")
    if Y.shape != (sizes[-1], X.shape[1]):
        raise InitlabError(f"Y must have shape ({sizes[-1]}, {X.shape[1]}); got {Y.shape}")
    K = n_models(params)
    expected = [((K, o, i), (K, o, 1)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    given = [(W.shape, b.shape) for W, b in params]
    if given != expected:
        raise InitlabError(
            f"params for {network} with K = {K} must have shapes {expected}; got {given}"
        )
    return (
        np.ascontiguousarray(X, dtype=dt).reshape(-1),
        np.ascontiguousarray(Y, dtype=dt).reshape(-1),
    )


def layout(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(sizes, woff, boff, zrow)``: where layer l's W (row-major) and b start in a model's flat
    parameter vector, and the first row of its Z (and A) in the activation buffers."""
    woff, boff, zoff = [], [], []
    p = z = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        woff.append(p)
        p += n_out * n_in
        boff.append(p)
        p += n_out
        zoff.append(z)
        z += n_out
    return tuple(np.array(v, dtype=np.int64) for v in (sizes, woff, boff, zoff))


def pack(params: Params, dtype) -> np.ndarray:
    """Batched ``[(W (K, out, in), b (K, out, 1)), ...]`` → ``theta`` (K, P), each model's
    W1, b1, W2, b2, ... in a row."""
    K = n_models(params)
    parts = [part.reshape(K, -1) for W, b in params for part in (W, b)]
    return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=dtype)


def unpack(theta: np.ndarray, sizes: tuple[int, ...]) -> Params:
    """``theta`` (K, P) → batched ``[(W, b), ...]`` (copies); the inverse of :func:`pack`."""
    K = theta.shape[0]
    out, p = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = theta[:, p : p + n_out * n_in].reshape(K, n_out, n_in).copy()
        p += n_out * n_in
        b = theta[:, p : p + n_out].reshape(K, n_out, 1).copy()
        p += n_out
        out.append((W, b))
    return out
