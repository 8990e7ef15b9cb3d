"""ZerO: deterministic initialization with zeros, ones and Hadamard matrices (Zhao, Jia, Ding &
Anandkumar 2022, "ZerO initialization: initializing neural networks with only zeros and ones",
TMLR; Algorithm 1).

For a ``(fan_out, fan_in)`` weight (initlab's layout; the paper's P×Q with P the output):

- square, fan_out = fan_in: the identity, ``W = I``;
- shrinking, fan_out < fan_in: the partial identity ``W = I*`` (``W[i, i] = 1``, the rest 0);
- growing, fan_out > fan_in: ``W = c · I*_(fan_out×2^k) H_k I*_(2^k×fan_in)`` with the Hadamard
  matrix ``H_k`` of order ``2^k``, ``k = ⌈log2 fan_out⌉``, ``c = 2^(−(k−1)/2)``: the first fan_in
  columns and fan_out rows of ``c·H_k``, so the new units are not copies of each other.

Biases are 0. In a residual network the last layer of every branch is 0 (the paper's rule for
residual blocks), the others as above, α = 1 and fixed. Nothing is random: every seed gives the
same network.
"""

from __future__ import annotations

import math

import numpy as np

from initlab.initializers.registry import Layers, NetworkFn, Rng, WeightFn, register


def hadamard_block(shape: tuple[int, int]) -> np.ndarray:
    """``c · I* H_k I*`` for a growing ``(fan_out, fan_in)`` weight (fan_out > fan_in)."""
    from scipy.linalg import hadamard

    fan_out, fan_in = shape
    k = max(1, math.ceil(math.log2(fan_out)))
    c = 2.0 ** (-(k - 1) / 2)
    return c * hadamard(2**k).astype(float)[:fan_out, :fan_in]


def zero_matrix(shape: tuple[int, int]) -> np.ndarray:
    """ZerO's weight for ``shape`` = (fan_out, fan_in): identity, partial identity or Hadamard."""
    fan_out, fan_in = shape
    if fan_out > fan_in:
        return hadamard_block(shape)
    return np.eye(fan_out, fan_in)


def zero_branch_ends(layers: Layers, blocks: tuple[tuple[int, int], ...]) -> Layers:
    """``layers`` with the last layer of every residual branch set to 0."""
    out = list(layers)
    for start, m in blocks:
        W, b = out[start + m - 1]
        out[start + m - 1] = (np.zeros_like(W), b)
    return out


def _rule() -> NetworkFn:
    def rule(layers: Layers, sizes: tuple[int, ...], blocks, rng: Rng) -> Layers:
        return zero_branch_ends(layers, blocks)

    return rule


@register(
    "zero",
    aliases=("zero_init",),
    formula="W = I (square), partial I (shrinking), c·I*H_kI* with c = 2^(−(k−1)/2), "
    "k = ⌈log2 fan_out⌉ (growing); residual branch ends 0",
    frameworks={"paper": "Zhao et al. 2022 (ZerO)"},
    network=_rule,
)
def zero() -> WeightFn:
    """ZerO: identity, partial identity or a scaled Hadamard block (see the module)."""

    def draw(shape, rng):
        return zero_matrix(shape)

    return draw
