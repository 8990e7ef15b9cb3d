"""IDInit: fully identical initialization (Pan, Wang, Wu, Wang, Zhang & Xu 2025, "IDInit: a
universal and stable initialization method for neural network training", ICLR).

What is implemented here, from the paper's description (its main rules for fully connected
layers; its convolution and momentum parts do not apply to an MLP):

- IDI_τ, a *padded identity-like* matrix for every layer, square or not: a ``(fan_out, fan_in)``
  weight gets ``W[i, j] = τ`` where ``i ≡ j (mod min(fan_out, fan_in))`` and 0 elsewhere, i.e.
  the identity repeated along the longer side, so a non-square layer still has full rank
  ``min(fan_out, fan_in)`` (a plain partial identity would leave units dead);
- IDIZ_ε in a residual network: the last layer of every branch is ``ε`` times that matrix
  (ε = 1e-6, "transit zero" while leaving a gradient path), α = 1 and fixed.

τ = 1 and ε = 1e-6 are the paper's usual settings; biases are 0; nothing is random.
"""

from __future__ import annotations

import numpy as np

from initlab import checks
from initlab.initializers.registry import Layers, NetworkFn, Rng, WeightFn, register


def padded_identity(shape: tuple[int, int], tau: float = 1.0) -> np.ndarray:
    """``W[i, j] = τ`` where ``i ≡ j (mod min(shape))``: the identity repeated along the longer
    side.

    >>> padded_identity((3, 2)).tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    rows, cols = shape
    n = min(rows, cols)
    i, j = np.indices(shape)
    return np.where(i % n == j % n, float(tau), 0.0)


def _rule(tau: float = 1.0, epsilon: float = 1e-6) -> NetworkFn:
    def rule(layers: Layers, sizes: tuple[int, ...], blocks, rng: Rng) -> Layers:
        out = list(layers)
        for start, m in blocks:
            W, b = out[start + m - 1]
            out[start + m - 1] = (padded_identity(W.shape, epsilon), b)
        return out

    return rule


@register(
    "idinit",
    formula="W[i, j] = τ where i ≡ j mod min(fan_out, fan_in); residual branch ends the same "
    "with ε (1e-6)",
    frameworks={"paper": "Pan et al. 2025 (IDInit)"},
    network=_rule,
)
def idinit(tau: float = 1.0, epsilon: float = 1e-6) -> WeightFn:
    """IDInit's padded identity ``τ·I`` for every layer (see the module)."""
    tau = checks.number("tau", tau)
    checks.number("epsilon", epsilon)

    def draw(shape, rng):
        return padded_identity(shape, tau)

    return draw
