"""The second failure mode of deep narrow ReLU networks: the length of the signal fluctuates from
draw to draw, by an amount set by Σ 1/n_l (Hanin & Rolnick 2018, "How to start training: the
effect of initialization and architecture", NeurIPS).

With He's weights (Gaussian, variance 2/fan_in, biases 0) the mean squared activation of a hidden
layer, ``q_l = ‖a_l‖²/n_l``, keeps its mean, ``E[q_l] = q_0 = ‖x‖²/n_0``, but not its spread.
Given the layer below, each pre-activation is ``N(0, 2 q_{l−1})``, and for ``z ~ N(0, s²)``,
``E[relu(z)²] = s²/2`` and ``E[relu(z)⁴] = 3s⁴/2``; so ``E[q_l² | q_{l−1}] = q_{l−1}²·(1 + 5/n_l)``
and, over the whole network,

    Var[q_L] / q_0² = Π_l (1 + 5/n_l) − 1 ≈ exp(5·Σ_l 1/n_l) − 1,

Hanin & Rolnick's result (the variance grows with Σ 1/n_l, not with depth alone: a deep network is
as stable as a shallow one if it is wide enough) with its constant for Gaussian weights.
:func:`length_variance` measures it over many draws through the batched reference forward pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from initlab import checks, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.errors import InitlabError
from initlab.nn.network import Network

CHUNK = 2000


@dataclass(frozen=True)
class LengthVariance:
    """Measured ``Var[q_L]/q_0²`` over ``trials`` draws, and the Gaussian He formula."""

    widths: tuple[int, ...]
    init: str
    trials: int
    mean: float
    variance: float

    @property
    def inverse_width_sum(self) -> float:
        """Σ_l 1/n_l over the hidden layers."""
        return sum(1.0 / n for n in self.widths)

    @property
    def theory(self) -> float:
        """``Π_l (1 + 5/n_l) − 1``, exact for He's Gaussian weights and zero biases."""
        return math.prod(1.0 + 5.0 / n for n in self.widths) - 1.0


def length_variance(
    widths: Sequence[int], init: str = "he", n_in: int = 4, trials: int = 10_000, seed: int = 0
) -> LengthVariance:
    """``q_L / q_0`` of the last hidden layer for ``trials`` networks ``n_in → widths → 1`` (ReLU,
    network t drawn from ``RandomState(seed + t)``) on one fixed input of ones: its mean and
    variance (see the module).

    >>> round(length_variance([5] * 4, trials=400).theory, 3)   # (1 + 1)^4 − 1
    15.0
    """
    widths_ = tuple(checks.positive_integer("width", w) for w in widths)
    if not widths_:
        raise InitlabError("give at least one hidden-layer width")
    trials = checks.positive_integer("trials", trials)
    n_in = checks.positive_integer("n_in", n_in)
    initializer = initializers.get(init)
    network = Network((n_in, *widths_, 1), "relu", "sigmoid")
    x = np.ones((n_in, 1))
    ratios = []
    for start in range(0, trials, CHUNK):
        stop = min(trials, start + CHUNK)
        params = initial_batch(network, [(initializer, seed + t) for t in range(start, stop)])
        last = reference.forward(network, params, x).A[-1]
        ratios.append((last**2).mean(axis=(-2, -1)))  # q_L / q_0, q_0 = 1
    q = np.concatenate(ratios)
    return LengthVariance(widths_, initializer.spec, trials, float(q.mean()), float(q.var()))
