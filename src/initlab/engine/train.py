"""Full-batch gradient descent for K models of one shape, in one pass per iteration."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from initlab.engine import reference
from initlab.engine.history import History
from initlab.engine.params import Params, copy, n_models
from initlab.nn.network import Network

Progress = Callable[[int], None]


def train(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int = 1000,
    progress: Progress | None = None,
) -> History:
    """Train the K models in ``params`` (not modified) on ``X`` ``(n_in, m)``, ``Y`` ``(n_out, m)``.

    ``lr`` is one learning rate or one per model. Each iteration: forward, record the cost when
    ``i % every == 0``, backward, step — the course's loop. A model whose logits stop being finite
    is marked diverged at that iteration and frozen (its parameters zeroed, so nothing non-finite
    spreads); the others train on. ``progress(i)`` is called with the number of finished iterations.
    """
    K = n_models(params)
    output = network.output_layer()
    lr_k = np.broadcast_to(np.asarray(lr, dtype=float), (K,)).reshape(K, 1, 1).copy()
    recorded = np.arange(0, iterations, every)
    costs = np.full((K, recorded.size), np.nan)
    diverged_at = np.full(K, -1, dtype=np.int64)
    params = copy(params)
    report_every = max(1, min(every, iterations // 100 or 1))

    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(iterations):
            cache = reference.forward(network, params, X)
            bad = ~np.isfinite(cache.logits).all(axis=(-2, -1))
            if i % every == 0:
                column = costs[:, i // every]
                column[:] = output.cost(cache.logits, Y)
                bad |= ~np.isfinite(column)
            newly = bad & (diverged_at < 0)
            if newly.any():
                _freeze(params, newly, diverged_at, lr_k, i)
                cache = reference.forward(network, params, X)
            if i % every == 0:
                column[diverged_at >= 0] = np.nan
            grads = reference.backward(network, params, cache, output.grad(cache.logits, Y))
            params = reference.step(params, grads, lr_k)
            if progress is not None and (i + 1) % report_every == 0:
                progress(i + 1)
        final = reference.cost(network, params, X, Y)
        newly = ~np.isfinite(final) & (diverged_at < 0)
        if newly.any():
            _freeze(params, newly, diverged_at, lr_k, iterations)
    final[diverged_at >= 0] = np.nan
    return History(recorded, costs, final, diverged_at, params)


def _freeze(
    params: Params, newly: np.ndarray, diverged_at: np.ndarray, lr_k: np.ndarray, i: int
) -> None:
    """Mark models ``newly`` diverged at iteration ``i``; zero their parameters and learning rate."""
    diverged_at[newly] = i
    dead = diverged_at >= 0
    lr_k[dead] = 0.0
    for W, b in params:
        W[dead] = 0.0
        b[dead] = 0.0
