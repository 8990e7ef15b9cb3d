"""The NumPy reference engine: forward, backward and a gradient-descent step for K models at once.

Layout: activations are ``(K, units, m)`` with the m samples last; the input ``X`` is ``(n_in, m)``,
shared by all models. For layer l (1-based, as the course)::

    Z[l] = W[l] @ A[l-1] + b[l]            A[0] = X
    A[l] = φ(Z[l])                          (hidden layers; the last layer's Z is the logits)

and backward, from dZ[L] = dCost/dZ[L] given by the output layer::

    dW[l] = dZ[l] @ A[l-1]ᵀ      db[l] = Σ_samples dZ[l]
    dA[l-1] = W[l]ᵀ @ dZ[l]      dZ[l-1] = dA[l-1] * φ'(Z[l-1])

These are the course's equations, with the model axis in front; each model's numbers are exactly
those of a separate run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from initlab.engine.params import Params, stack
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


def backward(network: Network, params: Params, cache: Cache, dlogits: np.ndarray) -> Params:
    """Gradients ``[(dW, db), ...]`` of the cost, given ``dlogits`` = dCost/dZ[L]."""
    hidden = network.hidden_activations()
    grads: Params = []
    dZ = dlogits
    for l in range(len(params) - 1, -1, -1):
        A_prev = cache.A[l]
        dW = dZ @ A_prev.swapaxes(-1, -2)
        db = dZ.sum(axis=-1, keepdims=True)
        grads.append((dW, db))
        if l > 0:
            dA = params[l][0].swapaxes(-1, -2) @ dZ
            dZ = dA * hidden[l - 1].derivative(cache.Z[l - 1], cache.A[l])
    return grads[::-1]


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
