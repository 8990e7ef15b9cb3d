"""LSUV, layer-sequential unit-variance initialization (Mishkin & Matas 2016, "All you need is a
good init", ICLR; Algorithm 1). The one data-dependent initializer: none of PyTorch, Keras or JAX
ships it.

1. Pre-initialize every weight with an orthogonal matrix (Saxe et al. 2014).
2. From the first layer to the last: pass a batch of training data forward, compute the variance of
   the layer's *output* ``B_l`` — its pre-activation ``Z_l = W_l A_{l-1} + b_l``, the output of the
   fully connected layer before the nonlinearity, as in the paper — over all units and samples, and
   set ``W_l ← W_l / √Var(B_l)``; repeat while ``|Var(B_l) − 1| ≥ tol`` (tol 0.1), at most
   ``max_tries`` (10) times.

Biases stay zero, so one rescaling already makes the variance 1 (Z_l is linear in W_l); the loop is
kept as the paper writes it. LSUV needs the data, so the engine side completes it: it hands
:func:`lsuv_scale` a ``forward(layers, l)`` callable returning layer ``l``'s pre-activation
``(fan_out, m)`` on the batch given the layers so far (see
:func:`initlab.initializers.init_network`); this
module imports nothing from the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from initlab import checks
from initlab.errors import InitlabError
from initlab.initializers.orthogonal import orthogonal_matrix
from initlab.initializers.registry import WeightFn, register

Layers = list[tuple[np.ndarray, np.ndarray]]
Forward = Callable[[Layers, int], np.ndarray]


def lsuv_scale(layers: Layers, forward: Forward, tol: float = 0.1, max_tries: int = 10) -> Layers:
    """LSUV's data step: rescale each ``W_l`` in turn so ``Var(Z_l)`` on the batch is within ``tol``
    of 1. Returns new ``[(W, b), ...]``; ``layers`` is not modified.

    ``forward(layers, l)`` must return layer ``l``'s (0-based) pre-activation on the data batch.

    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((3, 200))
    >>> layers = [(rng.standard_normal((4, 3)), np.zeros(4))]
    >>> out = lsuv_scale(layers, lambda ls, l: ls[0][0] @ X)
    >>> round(float(np.var(out[0][0] @ X)), 6)
    1.0
    """
    layers = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in layers]
    for index in range(len(layers)):
        for _ in range(max_tries):
            variance = float(np.var(forward(layers, index)))
            if abs(variance - 1.0) < tol:
                break
            if not (math.isfinite(variance) and variance > 0):
                raise InitlabError(
                    f"LSUV cannot scale layer {index + 1}: the variance of its output on the data "
                    f"is {variance!r}; it must be finite and > 0 (are the inputs constant?)"
                )
            W, b = layers[index]
            layers[index] = (W / math.sqrt(variance), b)
    return layers


def _refine(tol: float = 0.1, max_tries: int = 10) -> Callable[[Layers, Forward], Layers]:
    return lambda layers, forward: lsuv_scale(layers, forward, tol, max_tries)


@register(
    "lsuv",
    formula="orthogonal, then per layer W ← W/√Var(Z) on a data batch until |Var(Z) − 1| < tol",
    frameworks={"paper": "Mishkin & Matas 2016 (no framework ships it)"},
    refine=_refine,
)
def lsuv(tol: float = 0.1, max_tries: int = 10) -> WeightFn:
    """LSUV: the orthogonal pre-initialization; :func:`lsuv_scale` completes it on the data."""
    checks.positive_number("tol", tol)
    checks.positive_integer("max_tries", max_tries)

    def draw(shape, rng):
        return orthogonal_matrix(rng, shape)

    return draw
