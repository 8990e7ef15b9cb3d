"""The NumPy reference engine: forward, backward and a gradient-descent step for K models at once.

Layout: activations are ``(K, units, m)`` with the m samples last; the input ``X`` is ``(n_in, m)``,
shared by all models. For layer l (1-based, as the course)::

    Z[l] = W[l] @ A[l-1] + b[l]            A[0] = X
    A[l] = φ(Z[l])                          (hidden layers; the last layer's Z is the logits)

and backward, from dZ[L] = dCost/dZ[L] given by the output layer::

    dW[l] = dZ[l] @ A[l-1]ᵀ      db[l] = Σ_samples dZ[l]
    dA[l-1] = W[l]ᵀ @ dZ[l]      dZ[l-1] = dA[l-1] * φ'(Z[l-1])

These are the course's equations, with the model axis in front; each model's numbers are exactly
those of a separate run. :func:`train` is the plain loop over them, the reference the compiled
engine (:mod:`initlab.engine.fast`, same order, same names) is tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from initlab.engine.history import History, empty_records
from initlab.engine.inputs import Progress, learning_rates
from initlab.engine.params import Params, n_models, stack
from initlab.nn.network import Network


@dataclass
class Cache:
    """What the backward pass needs: pre-activations ``Z[1..L]`` and activations ``A[0..L-1]``."""

    Z: list[np.ndarray]
    A: list[np.ndarray]

    @property
    def logits(self) -> np.ndarray:
        return self.Z[-1]


def forward(network: Network, params: Params, X: np.ndarray) -> Cache:
    """Forward pass of every model on ``X`` (shape ``(n_in, m)``); returns the :class:`Cache`."""
    hidden = network.hidden_activations()
    Z: list[np.ndarray] = []
    A: list[np.ndarray] = [X]
    for l, (W, b) in enumerate(params):
        Z.append(W @ A[-1] + b)
        if l < len(hidden):
            A.append(hidden[l].forward(Z[-1]))
    return Cache(Z, A)


def deltas(network: Network, params: Params, cache: Cache, dlogits: np.ndarray) -> list[np.ndarray]:
    """``dZ[l]`` = ∂Cost/∂Z[l] of every weight layer ``(K, units, m)``, given ``dlogits`` = dZ[L]:
    the backward equation ``dZ[l−1] = W[l]ᵀ dZ[l] ⊙ φ'(Z[l−1])`` from the top down."""
    hidden = network.hidden_activations()
    dZ = [dlogits]
    for l in range(len(params) - 1, 0, -1):
        dA = params[l][0].swapaxes(-1, -2) @ dZ[-1]
        dZ.append(dA * hidden[l - 1].derivative(cache.Z[l - 1], cache.A[l]))
    return dZ[::-1]


def backward(network: Network, params: Params, cache: Cache, dlogits: np.ndarray) -> Params:
    """Gradients ``[(dW, db), ...]`` of the cost, given ``dlogits`` = dCost/dZ[L]
    (``dW[l] = dZ[l] A[l−1]ᵀ``, ``db[l]`` = dZ[l] summed over the samples; dZ by
    :func:`deltas`)."""
    return [
        (dZ @ A_prev.swapaxes(-1, -2), dZ.sum(axis=-1, keepdims=True))
        for dZ, A_prev in zip(deltas(network, params, cache, dlogits), cache.A, strict=True)
    ]


def gradients(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, Params]:
    """``(cost per model, gradients)`` on ``(X, Y)``."""
    output = network.output_layer()
    cache = forward(network, params, X)
    return output.cost(cache.logits, Y), backward(
        network, params, cache, output.grad(cache.logits, Y)
    )


def step(params: Params, grads: Params, lr: np.ndarray) -> Params:
    """One gradient-descent step, ``θ ← θ − lr·∇θ``; ``lr`` has shape ``(K, 1, 1)``."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads, strict=True)]


def predict_proba(network: Network, params: Params, X: np.ndarray) -> np.ndarray:
    """Output probabilities, shape ``(K, n_out, m)``."""
    return network.output_layer().predict(forward(network, params, X).logits)


def cost(network: Network, params: Params, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Mean cost per model, shape ``(K,)``."""
    return network.output_layer().cost(forward(network, params, X).logits, Y)


def layer_forward(network: Network, X: np.ndarray) -> Callable[[list, int], np.ndarray]:
    """``forward(layers, l)``: one model's layer-``l`` pre-activation ``(fan_out, m)`` on ``X``
    ``(n_in, m)``, given its layers drawn so far ``[(W, b), ...]`` — what data-dependent
    initializers (LSUV; see
    :func:`initlab.initializers.init_network`) need, without importing the engine.
    """

    def pre_activation(layers: list, index: int) -> np.ndarray:
        return forward(network, stack([layers[: index + 1]]), X).Z[-1][0]

    return pre_activation


# -- the loop -----------------------------------------------------------------------------------


def train(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int = 1000,
    progress: Progress | None = None,
    dtype: str = "float64",
) -> History:
    """:func:`initlab.engine.train` on this engine: the course's loop, one NumPy pass over all K
    models per iteration — :func:`forward`, record the cost when ``i % every == 0``,
    :func:`backward`, :func:`step`. A model whose logits (or recorded cost) stop being finite is
    marked diverged at that iteration and frozen (:func:`_freeze`); ``params`` is not modified.
    Same arguments and same :class:`History` (``engine="numpy"``) as
    :func:`initlab.engine.fast.train`.
    """
    K = n_models(params)
    output = network.output_layer()
    dt = np.dtype(dtype)
    X, Y = np.asarray(X, dtype=dt), np.asarray(Y, dtype=dt)
    lr_k = learning_rates(lr, K, dt).reshape(K, 1, 1).copy()
    recorded, costs, diverged_at = empty_records(K, iterations, every)
    params = [(W.astype(dt, order="C"), b.astype(dt, order="C")) for W, b in params]  # copies
    report_every = max(1, min(every, iterations // 100 or 1))

    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(iterations):
            cache = forward(network, params, X)
            bad = ~np.isfinite(cache.logits).all(axis=(-2, -1))
            if i % every == 0:
                column = costs[:, i // every]
                column[:] = output.cost(cache.logits, Y)
                bad |= ~np.isfinite(column)
            newly = bad & (diverged_at < 0)
            if newly.any():
                _freeze(params, newly, diverged_at, lr_k, i)
                cache = forward(network, params, X)
            if i % every == 0:
                column[diverged_at >= 0] = np.nan
            grads = backward(network, params, cache, output.grad(cache.logits, Y))
            params = step(params, grads, lr_k)
            if progress is not None and (i + 1) % report_every == 0:
                progress(i + 1)
        final = cost(network, params, X, Y)
        newly = ~np.isfinite(final) & (diverged_at < 0)
        if newly.any():
            _freeze(params, newly, diverged_at, lr_k, iterations)
    final = final.astype(float)
    final[diverged_at >= 0] = np.nan
    return History(recorded, costs, final, diverged_at, params, engine="numpy", dtype=dt.name)


def _freeze(
    params: Params, newly: np.ndarray, diverged_at: np.ndarray, lr_k: np.ndarray, i: int
) -> None:
    """Mark models ``newly`` diverged at iteration ``i``; zero their parameters and their lr."""
    diverged_at[newly] = i
    dead = diverged_at >= 0
    lr_k[dead] = 0.0
    for W, b in params:
        W[dead] = 0.0
        b[dead] = 0.0
