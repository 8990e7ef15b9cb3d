"""Initial parameters of a whole network from one initializer and one random stream."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from initlab.errors import InitlabError
from initlab.initializers.registry import Forward, Initializer, Rng


def init_network(
    sizes: Sequence[int],
    initializer: Initializer,
    rng: Rng,
    *,
    forward: Forward | None = None,
    blocks: Sequence[tuple[int, int]] = (),
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(W1, b1), (W2, b2), ...]`` with ``W_l`` of shape ``(sizes[l], sizes[l-1])``.

    Draws in order W1, (b1), W2, (b2), ... from ``rng``; a bias is drawn only when the initializer
    has a bias rule, else it is zero. So ``RandomState(3)`` with ``he`` is the course's
    ``np.random.seed(3)`` procedure.

    A data-dependent initializer (``initializer.needs_data``, e.g. LSUV) is then completed on the
    data through ``forward(layers, l)``, which returns layer ``l``'s (0-based) pre-activation
    ``(sizes[l+1], m)`` on a data batch given the layers so far; the engine side provides it
    (:func:`initlab.compare` does), so ``init`` needs nothing from the engine. Other initializers
    ignore ``forward``.

    ``blocks`` are a residual network's ``(start, m)`` blocks (:mod:`initlab.nn.residual`): the
    layers then end with one ``(α (B, 1), trained (B,))`` entry, α = 1 and fixed unless the
    initializer's rule over the whole network (``initializer.network``: Fixup, SkipInit, ReZero,
    ZerO, IDInit, RAI) sets them; that rule runs after the layer-by-layer draw.
    """
    sizes, blocks = tuple(sizes), tuple((int(s), int(m)) for s, m in blocks)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        weight = np.asarray(initializer((fan_out, fan_in), rng), dtype=float)
        if initializer.bias is not None:
            bias = np.asarray(initializer.bias((fan_out,), fan_in, rng), dtype=float)
        else:
            bias = np.zeros(fan_out)
        layers.append((weight, bias))
    if initializer.needs_data:
        if initializer.refine is None:
            raise InitlabError(
                f"initializer {initializer.spec!r} says it needs data but has no data step "
                f"(refine); give it one, or needs_data=False"
            )
        if forward is None:
            raise InitlabError(
                f"initializer {initializer.spec!r} is data-dependent: it needs forward=, a "
                f"function giving a layer's output on the training data (initlab.compare passes "
                f"one)"
            )
        layers = initializer.refine(layers, forward)
    if initializer.network is not None:
        layers = initializer.network(layers, sizes, blocks, rng)
    if blocks and len(layers) == len(sizes) - 1:
        layers.append((np.ones((len(blocks), 1)), np.zeros(len(blocks))))
    return layers
