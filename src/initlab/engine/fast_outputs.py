"""The output layers' cost and dCost/dZ for the compiled engine, one kernel each.

The output is a code (:data:`OUTPUT_CODES`). The formulas are :mod:`initlab.nn.outputs`', term for
term: the BCE cost as ``mean(logaddexp(0, z) − y·z)`` with numpy's ``logaddexp`` and numpy's
pairwise summation (:mod:`initlab.engine.reductions`), the softmax/CE cost as scipy's
``logsumexp`` (ties to the maximum counted apart) minus ``Σ_c y_c·z_c`` (NaN for a sample with a
NaN logit, as scipy gives, so the model diverges as in the reference), and
``dZ_L = (1/m)·(p − y)``. Logits are ``(n_out, m)``, flat and row-major.
"""

from __future__ import annotations

import math

from numba import njit

from initlab.engine.fast_activations import logaddexp0
from initlab.engine.reductions import column_max, pairwise_sum

SIGMOID_BCE, SOFTMAX_CE = range(2)

#: output name → code
OUTPUT_CODES = {"sigmoid": SIGMOID_BCE, "softmax": SOFTMAX_CE}


@njit(cache=True, fastmath=False)
def cost(out_code, Z, Y, n_out, m, tmp, one, m_t):
    """The mean cost of the logits Z (n_out × m) as :mod:`initlab.nn.outputs` computes it; ``tmp``
    (≥ n_out·m) holds the losses, summed pairwise as numpy sums them (for sigmoid, over every unit
    and sample, the (n_out, m) block as one run, as ``sum(axis=(-2, -1))`` does)."""
    zero = one - one
    if out_code == SIGMOID_BCE:  # logaddexp(0, z) − y·z
        for s in range(n_out * m):
            z = Z[s]
            tmp[s] = logaddexp0(z, one) - Y[s] * z
        return pairwise_sum(tmp, 0, n_out * m, zero) / m_t
    for s in range(m):  # scipy's logsumexp (ties to the max counted apart) − Σ_c y_c·z_c
        zmax = column_max(Z, s, n_out, m)
        if zmax != zmax:  # a NaN logit: no logit ties the max (count 0); scipy's answer is NaN
            tmp[s] = zmax
            continue
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
    return pairwise_sum(tmp, 0, m, zero) / m_t


@njit(cache=True, fastmath=False)
def output_grad(out_code, Z, Y, D, n_out, m, one, inv_m):
    """D = dCost/dZ_L = (1/m)·(p − y), p = σ(z) or the softmax over the units."""
    if out_code == SIGMOID_BCE:  # every unit its own sigmoid
        for s in range(n_out * m):
            D[s] = inv_m * (one / (one + math.exp(-Z[s])) - Y[s])
        return
    for s in range(m):  # scipy.special.softmax: e^(z − max z) / Σ_c e^(z_c − max z)
        zmax = column_max(Z, s, n_out, m)
        denom = one - one
        for c in range(n_out):
            e = math.exp(Z[c * m + s] - zmax)
            D[c * m + s] = e
            denom += e
        for c in range(n_out):
            D[c * m + s] = inv_m * (D[c * m + s] / denom - Y[c * m + s])
