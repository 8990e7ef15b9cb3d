"""The JAX peer: one model's gradient-descent step from ``jax.grad`` of the binary cross-entropy,
``jax.vmap`` over the K models, ``jax.lax.scan`` over :data:`CHUNK` iterations, all under
``jax.jit`` (float64: ``jax_enable_x64``). The loss is the NumPy peer's,
``mean(−Y·log σ(Z) − (1 − Y)·log(1 − σ(Z)))``, written with ``log_sigmoid`` for stability."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: iterations per compiled scan; a run of n iterations runs ⌈n / CHUNK⌉ scans
CHUNK = 50


def jax_scan_runner(
    params: list, X: np.ndarray, Y: np.ndarray, lr: float, chunk: int = CHUNK
) -> Callable:
    """``run(iterations)`` → the trained ``[(W, b), …]`` as numpy arrays; ``run.step`` is
    ``chunk`` (iterations are rounded up to a multiple of it)."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    last = len(params) - 1
    Xj, Yj = jnp.asarray(X), jnp.asarray(Y)

    def loss(model):
        a = Xj
        for layer, (W, b) in enumerate(model):
            z = W @ a + b
            a = jax.nn.relu(z) if layer < last else z
        return jnp.mean(-Yj * jax.nn.log_sigmoid(a) - (1 - Yj) * jax.nn.log_sigmoid(-a))

    def step(model):
        grads = jax.grad(loss)(model)
        return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(model, grads, strict=True)]

    many = jax.vmap(step)

    @jax.jit
    def scan(models):
        return jax.lax.scan(lambda ms, _: (many(ms), None), models, None, length=chunk)[0]

    start = [(jnp.asarray(W), jnp.asarray(b)) for W, b in params]

    def run(iterations: int) -> Any:
        models = start
        for _ in range(-(-iterations // chunk)):
            models = scan(models)
        jax.block_until_ready(models)
        return [(np.asarray(W), np.asarray(b)) for W, b in models]

    run.step = chunk  # type: ignore[attr-defined]
    return run
