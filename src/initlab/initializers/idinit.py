"""IDInit: fully identical initialization (Pan, Wang, Wu, Wang, Zhang & Xu 2025, "IDInit: a
universal and stable initialization method for neural network training", ICLR; arXiv 2503.04626).

What the paper states where it could be read here (its abstract and the caption of its Figure 3,
the overview of the method): IDInit is the *identity-preserving* IDI_τ for the layers of the main
stem and the *zero-preserving* IDIZ_ε for the layers that must start near zero, "τ and ε are
usually set to 1 and 1e-6 to maintain identity and transit zero"; it uses "a padded
identity-like matrix" so that a non-square weight keeps full rank, and it fights dead neurons by
giving specific elements a small value instead of 0. Its convolution ("patch-maintain") and
momentum parts do not apply to an MLP.

initlab's reading of it for fully connected layers:

- IDI_τ for every layer: a ``(fan_out, fan_in)`` weight gets ``W[i, j] = τ`` where
  ``i ≡ j (mod min(fan_out, fan_in))`` and 0 elsewhere — the identity repeated along the longer
  side, rank ``min(fan_out, fan_in)``;
- IDIZ_ε for the last layer of every residual branch: ε times that matrix (small values where the
  identity has its ones, so the branch output starts at ε·f, not exactly 0); α = 1 and fixed;
- biases 0; nothing is random.

Not checked against the paper's text (its method section could not be read here): the exact
index pattern of the padding (repeating the identity, as above, versus other paddings) and that
IDIZ_ε goes on each branch's last layer; both are initlab's reading of "padded identity-like"
and "zero-preserving", and are said to be so in docs/initializers.md.
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
