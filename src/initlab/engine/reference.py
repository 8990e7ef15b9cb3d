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

A residual network (``network.blocks``, :mod:`initlab.nn.residual`) changes one line: the
activation that ends block j, whose branch starts at layer s, becomes its input plus the scaled
branch, and backward sends the gradient down both paths::

    H[l] = φ(Z[l])       A[l] = A[s] + α_j·H[l]        (A[l] = H[l] elsewhere)
    dα_j = Σ dA[l] ⊙ H[l]     dZ[l] = α_j·dA[l] ⊙ φ'(Z[l])     dA[s] = W[s+1]ᵀ dZ[s+1] + dA[l]

The α of a residual network ride at the end of its parameters: ``params[L] = (α (K, B, 1),
trained (K, B, 1))``, ``trained`` 1 where α is trained and 0 where it is fixed.

:func:`train` is the plain loop over them, the reference the compiled engine
(:mod:`initlab.engine.fast`, :mod:`initlab.engine.fast_residual`: same order, same names) is
tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from initlab.engine.history import History, empty_records
from initlab.engine.inputs import Progress, check_shapes, learning_rates
from initlab.engine.params import Params, n_models, stack
from initlab.nn.network import Network
from initlab.nn.residual import branch_ends


@dataclass
class Cache:
    """What the backward pass needs: pre-activations ``Z[1..L]`` and activations ``A[0..L-1]``."""

    Z: list[np.ndarray]
    A: list[np.ndarray]
    H: list[np.ndarray] = field(default_factory=list)
    """φ(Z[l]) of every hidden layer: ``A[l+1]`` but at the end of a residual branch."""

    @property
    def logits(self) -> np.ndarray:
        return self.Z[-1]


def forward(network: Network, params: Params, X: np.ndarray) -> Cache:
    """Forward pass of every model on ``X`` (shape ``(n_in, m)``); returns the :class:`Cache`.
    ``params`` may hold the first layers only (the α then count as 1)."""
    hidden = network.hidden_activations()
    ends = branch_ends(network.blocks)
    alpha = residual_scalars(network, params)
    Z: list[np.ndarray] = []
    A: list[np.ndarray] = [X]
    H: list[np.ndarray] = []
    for l, (W, b) in enumerate(params[: network.depth]):
        Z.append(W @ A[-1] + b)
        if l < len(hidden):
            H.append(hidden[l].forward(Z[-1]))
            if l in ends:
                j, start = ends[l]
                A.append(A[start] + alpha[:, j : j + 1] * H[-1])
            else:
                A.append(H[-1])
    return Cache(Z, A, H)


def residual_scalars(network: Network, params: Params) -> np.ndarray:
    """The α of every block ``(K, B, 1)`` (ones when ``params`` has no α entry)."""
    if len(params) > network.depth:
        return params[network.depth][0]
    return np.ones((params[0][0].shape[0], network.n_blocks, 1))


def backprop(
    network: Network, params: Params, cache: Cache, dlogits: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray]:
    """``(dZ, dα)``: ``dZ[l]`` = ∂Cost/∂Z[l] of every weight layer ``(K, units, m)`` from
    ``dlogits`` = dZ[L] down, ``dZ[l−1] = W[l]ᵀ dZ[l] ⊙ φ'(Z[l−1])``, with the residual
    paths of the module docstring; ``dα`` = ∂Cost/∂α ``(K, B, 1)``."""
    hidden = network.hidden_activations()
    ends = branch_ends(network.blocks)
    alpha = residual_scalars(network, params)
    dalpha = np.zeros_like(alpha)
    dZ = [dlogits]
    skip, skip_to = dlogits, -1  # the gradient a shortcut carries down to A[skip_to]
    for l in range(network.depth - 1, 0, -1):
        dA = params[l][0].swapaxes(-1, -2) @ dZ[-1]
        if l == skip_to:
            dA = dA + skip
        H = cache.H[l - 1] if cache.H else cache.A[l]
        if l - 1 in ends:
            j, start = ends[l - 1]
            dalpha[:, j, 0] = (dA * H).sum(axis=(-2, -1))
            skip, skip_to = dA, start
            dA = alpha[:, j : j + 1] * dA
        dZ.append(dA * hidden[l - 1].derivative(cache.Z[l - 1], H))
    return dZ[::-1], dalpha


def deltas(network: Network, params: Params, cache: Cache, dlogits: np.ndarray) -> list[np.ndarray]:
    """``dZ[l]`` = ∂Cost/∂Z[l] of every weight layer ``(K, units, m)``, given ``dlogits`` = dZ[L]:
    the backward equation ``dZ[l−1] = W[l]ᵀ dZ[l] ⊙ φ'(Z[l−1])`` from the top down."""
    return backprop(network, params, cache, dlogits)[0]


def backward(network: Network, params: Params, cache: Cache, dlogits: np.ndarray) -> Params:
    """Gradients ``[(dW, db), ...]`` of the cost, given ``dlogits`` = dCost/dZ[L]
    (``dW[l] = dZ[l] A[l−1]ᵀ``, ``db[l]`` = dZ[l] summed over the samples; dZ by
    :func:`deltas`). A residual network's last entry is ``(dα·trained, 0)``: a fixed α gets no
    gradient, and the flags none."""
    dZs, dalpha = backprop(network, params, cache, dlogits)
    grads = [
        (dZ @ A_prev.swapaxes(-1, -2), dZ.sum(axis=-1, keepdims=True))
        for dZ, A_prev in zip(dZs, cache.A, strict=True)
    ]
    if len(params) > network.depth:
        trained = params[network.depth][1]
        grads.append((dalpha * trained, np.zeros_like(trained)))
    return grads


def gradients(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, Params]:
    """``(cost per model, gradients)`` on ``(X, Y)``."""
    output = network.output_layer()
    cache = forward(network, params, X)
    return output.cost(cache.logits, Y), backward(
        network, params, cache, output.grad(cache.logits, Y)
    )


def step(params: Params, grads: Params, lr: np.ndarray, network: Network | None = None) -> Params:
    """One gradient-descent step, ``θ ← θ − lr·∇θ``; ``lr`` has shape ``(K, 1, 1)``. With
    ``network``, layer l's W and b step with ``lr`` times its parametrization's multipliers
    (:meth:`~initlab.nn.network.Network.multipliers`; 1 under SP)."""
    if network is None or network.parametrization == "sp":
        pairs = [(lr, lr)] * len(params)
    else:
        m = network.multipliers()
        pairs = [(lr * w, lr * b) for w, b in zip(m.lr, m.bias_lr, strict=True)]
        pairs += [(lr, lr)] * (len(params) - len(pairs))  # a residual network's α
    return [
        (W - lw * dW, b - lb * db)
        for (W, b), (dW, db), (lw, lb) in zip(params, grads, pairs, strict=True)
    ]


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
    X, Y = check_shapes(network, params, X, Y)
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
            params = step(params, grads, lr_k, network)
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
