"""Born dead: the share of deep, narrow ReLU networks that are constant at initialization.

Lu, Shin, Su & Karniadakis (2020, "Dying ReLU and initialization: theory and numerical examples",
Commun. Comput. Phys. 28(5)) prove that a ReLU network whose weights and biases are drawn from
distributions symmetric around 0 is *born dead* — every path from input to output blocked at some
layer, so the output is constant — with a probability that tends to 1 as the depth grows, and
that, they report, grows with depth and falls with width at finite size; randomized asymmetric
initialization (``rai``) lowers it. The network here is theirs: 1 input, ``depth`` hidden ReLU
layers of ``width`` units, 1 output, on ``n_inputs`` points evenly spread over [−1, 1].

A network is counted dead when some hidden layer outputs 0 in every unit on every data point.
:func:`born_dead_probability` draws ``trials`` networks (network t from ``RandomState(seed + t)``,
as everywhere in initlab) and runs them through the reference engine's batched forward pass.

What the paper is cited for here is the result its abstract states ("a deep ReLU network will
eventually die in probability as the depth goes to infinite"): with weights and biases from
symmetric laws, the probability of being born dead tends to 1 with depth. Its quantitative bounds
in L and N could not be read here (the paper's theorem text was not reachable through the sources
available when this was written), so no formula of theirs is used.

The bound beside the measurement, :func:`dead_at_a_point`, is initlab's own derivation, not the
paper's theorem: for biases 0 and weights from a continuous symmetric law (He), given a non-zero
input each unit of a layer is inactive with probability 1/2, independently (its pre-activation
``w·a`` is symmetric around 0 given the layer's non-negative, non-zero input ``a``), so the layer
is all zero with probability ``2^(−width)``, and the network is dead at that input with
probability ``1 − (1 − 2^(−width))^depth`` (exact). A network dead on the data is dead at each of
its points, so the measured share lies at or below this value (equal to it for one input): an
upper bound, which tends to 1 with depth as the paper's result says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from initlab import checks, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network

CHUNK = 2000  # networks per batched forward pass


@dataclass(frozen=True)
class BornDead:
    """The measured share of born-dead networks, its standard error and the bound (``None`` when
    the initializer draws non-zero biases, where the bound does not apply)."""

    depth: int
    width: int
    init: str
    n_inputs: int
    trials: int
    dead: int
    bound: float | None

    @property
    def probability(self) -> float:
        return self.dead / self.trials

    @property
    def stderr(self) -> float:
        """Binomial standard error of :attr:`probability`."""
        p = self.probability
        return math.sqrt(p * (1 - p) / self.trials)


def dead_at_a_point(depth: int, width: int) -> float:
    """``1 − (1 − 2^(−width))^depth``: the probability that a zero-bias ReLU network with weights
    from a continuous symmetric law is dead at one non-zero input (see the module).

    >>> round(dead_at_a_point(10, 2), 4)
    0.9437
    """
    return 1.0 - (1.0 - 2.0**-width) ** depth


def inputs(n_inputs: int) -> np.ndarray:
    """The data ``(1, n_inputs)``: evenly spread over [−1, 1] (the point 1 alone when 1)."""
    return np.linspace(-1.0, 1.0, n_inputs).reshape(1, -1) if n_inputs > 1 else np.ones((1, 1))


def narrow_network(depth: int, width: int) -> Network:
    """1 → ``depth`` × ``width`` ReLU → 1, Lu et al.'s network."""
    return Network((1, *([width] * depth), 1), "relu", "sigmoid")


def dead_mask(network: Network, params: list, X: np.ndarray) -> np.ndarray:
    """``(K,)``: whether some hidden layer of each model is 0 in every unit on every point."""
    cache = reference.forward(network, params, X)
    dead = np.zeros(params[0][0].shape[0], dtype=bool)
    for A in cache.A[1:]:
        dead |= ~(A != 0).any(axis=(-2, -1))
    return dead


def born_dead_probability(
    depth: int,
    width: int,
    init: str = "he",
    n_inputs: int = 100,
    trials: int = 10_000,
    seed: int = 0,
) -> BornDead:
    """The share of ``trials`` initial networks (1 → ``depth`` × ``width`` ReLU → 1, drawn by
    ``init``) that are born dead on ``n_inputs`` points of [−1, 1], with the bound of
    :func:`dead_at_a_point` when ``init`` draws zero biases and no zero weight (a continuous
    draw; the bound assumes it symmetric too, as He's).

    >>> born_dead_probability(10, 2, trials=2000).probability > 0.5      # doctest: +SKIP
    True
    """
    depth = checks.positive_integer("depth", depth)
    width = checks.positive_integer("width", width)
    n_inputs = checks.positive_integer("n_inputs", n_inputs)
    trials = checks.positive_integer("trials", trials)
    seed = checks.check("seed", seed, checks.SEED)
    initializer = initializers.get(init)
    network = narrow_network(depth, width)
    X = inputs(n_inputs)
    dead = 0
    zero_bias = True
    for start in range(0, trials, CHUNK):
        stop = min(trials, start + CHUNK)
        params = initial_batch(network, [(initializer, seed + t) for t in range(start, stop)])
        zero_bias &= all(not b.any() and W.all() for W, b in params)
        dead += int(dead_mask(network, params, X).sum())
    bound = dead_at_a_point(depth, width) if zero_bias else None
    return BornDead(depth, width, initializer.spec, n_inputs, trials, dead, bound)
