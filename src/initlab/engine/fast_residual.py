"""The compiled engine for residual MLPs: :mod:`initlab.engine.fast`'s kernel with residual blocks.

Same loop, same layout, same helpers (:func:`~initlab.engine.fast._matmul`, ``_affine``,
``_step``, the activations and outputs) as :mod:`initlab.engine.fast`; what changes is the
residual block of :mod:`initlab.engine.reference`, term for term::

    H[l] = φ(Z[l])        A[l] = A[s] + α_j·H[l]          (the activation that ends block j)
    dA[s] = W[s+1]ᵀ dZ[s+1] + dA[l]                        (the shortcut's gradient, added last)
    dα_j = Σ dA[l] ⊙ H[l]        dZ[l] = (α_j·dA[l]) ⊙ φ'(Z[l])
    α_j ← α_j − lr·(dα_j·trained_j)

A model's row of ``theta`` is the plain layout (:mod:`initlab.engine.layout`) followed by the B
scalars α and the B flags ``trained``, as the reference's last parameter entry. Per thread: Z, A
and H (the branch activations) of every layer, and three rows of the widest layer (dZ, dA and the
gradient a shortcut carries down). The sum of dα may be reassociated, as ``_step``'s sums.

Reached through :func:`initlab.engine.train` (``engine="fast"``/``"auto"``) for a network with
``blocks``; after editing this kernel or those it calls, delete ``engine/__pycache__/*.nb[ci]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from initlab.engine import fast
from initlab.engine.fast import (
    _affine,
    _check_arrays,
    _matmul,
    _step,
    diverges,
    keep_final,
)
from initlab.engine.fast_activations import activate, activation_codes, times_derivative
from initlab.engine.fast_outputs import OUTPUT_CODES, cost, output_grad
from initlab.engine.history import History
from initlab.engine.inputs import Progress, step_rates
from initlab.engine.layout import layout, pack, unpack
from initlab.engine.params import Params, n_models
from initlab.errors import InitlabError
from initlab.nn.network import Network
from initlab.nn.residual import branch_ends


def unsupported(network: Network, dtype: str = "float64") -> str | None:
    """Why the compiled kernel cannot train ``network`` in ``dtype``, or ``None`` when it can."""
    plain = Network(network.sizes, network.activation, network.output)
    return fast.unsupported(plain, dtype)


def block_tables(network: Network) -> tuple[np.ndarray, np.ndarray]:
    """``(ends (L−1,), starts (B,))``: the block each hidden layer ends (−1: none) and the weight
    layer each block starts at."""
    ends = np.full(max(network.depth - 1, 0), -1, dtype=np.int64)
    for layer, (j, _) in branch_ends(network.blocks).items():
        ends[layer] = j
    starts = np.array([start for start, _ in network.blocks], dtype=np.int64)
    return ends, starts


@njit(cache=True, fastmath=False)
def _forward(th, X, Zb, Ab, Hb, net, m, one):
    """Every layer's Z into ``Zb``, A into ``Ab``, and the branch activations φ(Z) that end a
    block into ``Hb`` (same offsets)."""
    sizes, woff, boff, zoff, codes, aparams, ends, starts, aoff = net
    L = sizes.size - 1
    for li in range(L):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        o, n = zoff[li], n_out * m
        _affine(W, b, A, Zb[o : o + n], n_out, n_in, m)
        if li == L - 1:
            break
        j = ends[li]
        if j < 0:
            activate(codes[li], aparams[li, 0], aparams[li, 1], Zb[o : o + n], Ab[o : o + n], one)
            continue
        H = Hb[o : o + n]
        activate(codes[li], aparams[li, 0], aparams[li, 1], Zb[o : o + n], H, one)
        s = zoff[starts[j] - 1]
        x = Ab[s : s + n]
        out = Ab[o : o + n]
        a = th[aoff + j]
        for t in range(n):
            out[t] = x[t] + a * H[t]


@njit(cache=True, fastmath={"reassoc"})
def _dot(u, v, zero):
    """Σ u ⊙ v (the sum may be reassociated, as :func:`~initlab.engine.fast._step`'s)."""
    t = zero
    for i in range(u.size):
        t += u[i] * v[i]
    return t


@njit(cache=True, fastmath=False)
def _backward_step(th, X, Zb, Ab, Hb, dz, da, skip, net, m, lr, one):
    """From ``dz`` = dCost/dZ_L down: each layer's dA (old W, plus a shortcut's gradient), the
    residual scaling and its α step, then the layer's step."""
    sizes, woff, boff, zoff, codes, aparams, ends, starts, aoff = net
    zero = one - one
    L = sizes.size - 1
    B = starts.size
    skip_to = -1
    for li in range(L - 1, -1, -1):
        n_in, n_out = sizes[li], sizes[li + 1]
        W = th[woff[li] : woff[li] + n_out * n_in]
        b = th[boff[li] : boff[li] + n_out]
        A = X if li == 0 else Ab[zoff[li - 1] : zoff[li - 1] + n_in * m]
        if li > 0:
            _matmul(W, 1, n_in, dz, da, n_in, n_out, m)
            o, n = zoff[li - 1], n_in * m
            if li == skip_to:
                for t in range(n):
                    da[t] = da[t] + skip[t]
            j = ends[li - 1]
            if j < 0:
                H = Ab[o : o + n]
            else:
                H = Hb[o : o + n]
                dalpha = _dot(da[0:n], H, zero)
                a = th[aoff + j]
                for t in range(n):
                    skip[t] = da[t]
                    da[t] = a * da[t]
                skip_to = starts[j]
                th[aoff + j] = a - lr[L, 0] * (dalpha * th[aoff + B + j])
            times_derivative(
                codes[li - 1],
                aparams[li - 1, 0],
                aparams[li - 1, 1],
                da[0:n],
                Zb[o : o + n],
                H,
                one,
            )
        _step(W, b, dz, A, n_out, n_in, m, lr[li, 0], lr[li, 1], zero)
        if li > 0:
            dz, da = da, dz


@njit(cache=True, parallel=True, fastmath=False)
def _train_kernel(
    X, Y, theta, flat, lr, start, stop, iterations, every, costs, diverged_at, final_costs
):
    """:func:`initlab.engine.fast._train_kernel` with the residual forward and backward."""
    sizes, woff, boff, zrow, codes, aparams, ends, starts, aoff, out_code = flat
    K = theta.shape[0]
    L = sizes.size - 1
    m = X.size // sizes[0]
    n_out = sizes[L]
    zoff = zrow * m
    net = (sizes, woff, boff, zoff, codes, aparams, ends, starts, aoff)
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
        Hb = np.empty(top + n_out * m, dtype=theta.dtype)
        dz = np.empty(widest * m, dtype=theta.dtype)
        da = np.empty(widest * m, dtype=theta.dtype)
        skip = np.empty(widest * m, dtype=theta.dtype)
        logits = Zb[top:]
        alive = diverged_at[k] < 0
        for it in range(start, stop if alive else start):
            _forward(th, X, Zb, Ab, Hb, net, m, one)
            if diverges(out_code, logits, Y, n_out, m, da, one, m_t, th, costs,
                        diverged_at, k, it, every):  # fmt: skip
                alive = False
                break
            output_grad(out_code, logits, Y, dz, n_out, m, one, inv_m)
            _backward_step(th, X, Zb, Ab, Hb, dz, da, skip, net, m, lr[k], one)
        if alive and stop == iterations:
            _forward(th, X, Zb, Ab, Hb, net, m, one)
            c = cost(out_code, logits, Y, n_out, m, da, one, m_t)
            keep_final(th, final_costs, diverged_at, k, iterations, c)


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
    """:func:`initlab.engine.fast.train` for a residual network (``params`` ends with its
    ``(α, trained)`` entry): same arguments, same :class:`History` (``engine="fast"``)."""
    reason = unsupported(network, dtype)
    if reason is not None:
        raise InitlabError(reason)
    dt = np.dtype(dtype)
    X, Y = _check_arrays(network, params, X, Y, dt)
    K, B = n_models(params), network.n_blocks
    lr_k = step_rates(network, lr, K, dt)
    sizes, woff, boff, zrow = layout(network.sizes)
    aoff = int(boff[-1] + network.sizes[-1])
    ends, starts = block_tables(network)
    codes, aparams = activation_codes(network, dt)
    flat = (
        sizes,
        woff,
        boff,
        zrow,
        codes,
        aparams,
        ends,
        starts,
        aoff,
        OUTPUT_CODES[network.output],
    )
    theta = pack(params, dt)
    recorded, costs, diverged_at, final = fast.run_chunks(
        _train_kernel, X, Y, theta, flat, lr_k, iterations, every, progress
    )
    layers = unpack(theta[:, :aoff], network.sizes)
    alpha = theta[:, aoff : aoff + B].reshape(K, B, 1).copy()
    trained = theta[:, aoff + B :].reshape(K, B, 1).copy()
    return History(
        recorded,
        costs,
        final,
        diverged_at,
        [*layers, (alpha, trained)],
        engine="fast",
        dtype=dt.name,
    )
