"""Initial parameters: one network drawn by one initializer, completed on the data when it needs it.

The one place that hands a data-dependent initializer (LSUV, Mishkin & Matas 2016) its forward
function: :func:`initlab.initializers.init_network` draws ``W1, (b1), W2, ...`` in order from the
random stream, and an initializer with ``needs_data`` is then completed on ``X`` through
:func:`initlab.engine.reference.layer_forward` (layer ``l``'s pre-activation on ``X`` given the
layers drawn so far). This lives apart from :mod:`initlab.engine.params` because the reference
engine imports that module.

A network in the ntk or μP parametrization (:mod:`initlab.nn.parametrization`) has its drawn
weights scaled by each layer's factor (μP: the output layer's by 1/√m_in) after the draw, so the
random stream, and the network at its base width, are SP's exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from initlab import initializers
from initlab.engine.params import Params, stack
from initlab.engine.reference import layer_forward
from initlab.initializers.registry import Initializer, Rng
from initlab.nn.network import Network


def initial_params(
    network: Network, initializer: Initializer, rng: Rng, X: np.ndarray | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One model's initial layers ``[(W (out, in), b (out,)), ...]`` drawn from ``rng``.

    ``X`` ``(n_in, m)`` is the data a data-dependent initializer (``initializer.needs_data``, LSUV)
    is completed on; other initializers ignore it, and may be drawn without it.

    >>> from initlab.initializers import get
    >>> layers = initial_params(Network((2, 3, 1)), get("he"), np.random.RandomState(3))
    >>> [W.shape for W, _ in layers]
    [(3, 2), (1, 3)]
    """
    blocks = network.blocks
    if not initializer.needs_data or X is None:
        layers = initializers.init_network(network.sizes, initializer, rng, blocks=blocks)
    else:
        forward = layer_forward(network, X)
        layers = initializers.init_network(
            network.sizes, initializer, rng, forward=forward, blocks=blocks
        )
    for l, factor in enumerate(network.multipliers().init):
        if factor != 1.0:
            W, b = layers[l]
            layers[l] = (W * factor, b)
    return layers


def initial_batch(
    network: Network,
    draws: Iterable[tuple[Initializer, int]],
    X: np.ndarray | None = None,
) -> Params:
    """K models stacked as :data:`~initlab.engine.params.Params`, model k drawn by its
    ``(initializer, seed)`` from numpy's legacy ``RandomState(seed)`` (the generator the course's
    numbers need: ``he`` with seed 3 is the course's ``np.random.seed(3)`` run)."""
    return stack(
        [initial_params(network, ini, np.random.RandomState(seed), X) for ini, seed in draws]
    )
