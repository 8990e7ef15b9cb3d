"""RAI, randomized asymmetric initialization (Lu, Shin, Su & Karniadakis 2020, "Dying ReLU and
initialization: theory and numerical examples", Commun. Comput. Phys. 28(5), arXiv 1903.06733;
its section on the randomized asymmetric initialization, §5 of arXiv v3).

A ReLU network whose weights and biases are all drawn from distributions symmetric around 0 is
likely to be *born dead* when it is deep and narrow (see :mod:`initlab.signal.born_dead`). RAI
breaks the symmetry one entry per unit. For every unit j of layer ℓ with n = N^(ℓ−1) = fan_in
inputs, its row ``V_j = (W[j, :], b[j])`` of n + 1 numbers is drawn as:

1. every entry ``~ N(0, σ_ℓ²)`` with ``σ_ℓ = σ/√n``;
2. one index k_j, uniform over the n + 1 entries, is replaced by ``ξ_j ~ P``, a positive law.

The paper's choice, used here: ``P = Beta(2, 1)`` (density 2x on [0, 1]) with ``σ = 0.6007``,
the value its second-moment condition gives for that P — the constant the public
re-implementations that cite arXiv 1903.06733 use (``σ = 0.6007/√fan_in``, ``P = Beta(2, 1)``).
The paper's full text (the condition and its equation number) could not be read here; the
constant, the law and the row rule are as those sources give them. So a row has second moment
``E‖V_j‖² = n·σ_ℓ² + E[ξ²] = 0.6007² + 1/2 ≈ 0.861`` (not He's 2; earlier versions of initlab
used ``σ_ℓ² = 3/(2n)`` to match He, an own choice now dropped).

Draw order, from one stream: every W (normal) layer by layer, then per layer the biases
(normal), the indices k and the ξ. Every layer, the output layer too, is drawn this way.
"""

from __future__ import annotations

import math

import numpy as np

from initlab.initializers.registry import Layers, NetworkFn, Rng, WeightFn, register
from initlab.initializers.sampling import standard_normal

SIGMA = 0.6007  # Lu et al.'s σ for P = Beta(2, 1) (see the module)


def rai_sigma(fan_in: int) -> float:
    """σ_ℓ of the symmetric entries: ``0.6007/√fan_in``.

    >>> rai_sigma(4)
    0.30035
    """
    return SIGMA / math.sqrt(fan_in)


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
    formula="rows of [W | b] ~ N(0, (0.6007/√fan_in)²), one entry per row ← Beta(2, 1)",
    frameworks={"paper": "Lu, Shin, Su & Karniadakis 2020 (RAI)"},
    network=_rule,
)
def rai() -> WeightFn:
    """RAI's symmetric part of W, ``N(0, σ²)``; :func:`asymmetric_rows` completes each layer."""

    def draw(shape, rng):
        return rai_sigma(shape[1]) * standard_normal(rng, shape)

    return draw
