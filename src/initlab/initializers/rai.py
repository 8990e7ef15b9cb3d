"""RAI, randomized asymmetric initialization (Lu, Shin, Su & Karniadakis 2020, "Dying ReLU and
initialization: theory and numerical examples", Commun. Comput. Phys. 28(5); §5).

A ReLU network whose weights and biases are all drawn from distributions symmetric around 0 is
likely to be *born dead* when it is deep and narrow (see :mod:`initlab.signal.born_dead`). RAI
breaks the symmetry one entry per unit. For every unit j of a layer with n = fan_in inputs, its
row ``V_j = (W[j, :], b[j])`` of n + 1 numbers is drawn as:

1. every entry ``~ N(0, σ²)``;
2. one index k, uniform over the n + 1 entries, is replaced by ``ξ ~ Beta(2, 1)`` (positive:
   density 2x on [0, 1], E[ξ²] = 1/2).

σ² is chosen here so that a row keeps He's second moment, ``E‖V_j‖² = n·σ² + E[ξ²] = 2``:
``σ² = 3/(2n)`` — the paper's asymmetric Beta(2, 1) entry with a He-like scale (the paper derives
its own σ from a second-moment condition; this is the variant implemented). Draw order, from one
stream: every W (normal) layer by layer, then per layer the biases (normal), the indices k and
the ξ.
"""

from __future__ import annotations

import math

import numpy as np

from initlab.initializers.registry import Layers, NetworkFn, Rng, WeightFn, register
from initlab.initializers.sampling import standard_normal

E_XI2 = 0.5  # E[ξ²] of Beta(2, 1)


def rai_sigma(fan_in: int) -> float:
    """σ of the symmetric entries: ``√((2 − E[ξ²])/fan_in)`` = ``√(3/(2·fan_in))``."""
    return math.sqrt((2.0 - E_XI2) / fan_in)


def asymmetric_rows(W: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """Steps 1–2 for one layer given its drawn ``W`` (``N(0, σ²)``): the biases, and one entry
    per row of ``[W | b]`` replaced by ``ξ ~ Beta(2, 1)``."""
    fan_out, fan_in = W.shape
    V = np.concatenate([W, rai_sigma(fan_in) * standard_normal(rng, (fan_out, 1))], axis=1)
    k = (
        rng.randint(0, fan_in + 1, size=fan_out)
        if isinstance(rng, np.random.RandomState)
        else (rng.integers(0, fan_in + 1, size=fan_out))
    )
    V[np.arange(fan_out), k] = rng.beta(2.0, 1.0, size=fan_out)
    return V[:, :fan_in], V[:, fan_in]


def _rule() -> NetworkFn:
    def rule(layers: Layers, sizes: tuple[int, ...], blocks, rng: Rng) -> Layers:
        return [asymmetric_rows(np.asarray(W, dtype=float), rng) for W, _ in layers]

    return rule


@register(
    "rai",
    formula="rows of [W | b] ~ N(0, 3/(2·fan_in)), one entry per row ← Beta(2, 1)",
    frameworks={"paper": "Lu, Shin, Su & Karniadakis 2020 (RAI)"},
    network=_rule,
)
def rai() -> WeightFn:
    """RAI's symmetric part of W, ``N(0, σ²)``; :func:`asymmetric_rows` completes each layer."""

    def draw(shape, rng):
        return rai_sigma(shape[1]) * standard_normal(rng, shape)

    return draw
