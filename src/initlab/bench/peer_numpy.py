"""The NumPy peer: K models trained as one stack of matrix products, the plain way.

What a practitioner writes first for many small MLPs in NumPy: parameters ``W (K, out, in)``,
``b (K, out, 1)``, ``np.matmul`` over the stack, ReLU hidden layers, a sigmoid output with the
binary cross-entropy, full-batch gradient descent::

    Z_l = W_l·A_{l-1} + b_l,  A_l = relu(Z_l) (σ(Z_L) last)
    dZ_L = (A_L − Y)/m,  dW_l = dZ_l·A_{l-1}ᵀ,  db_l = Σ_s dZ_l
    dZ_{l-1} = (W_lᵀ·dZ_l)·[Z_{l-1} > 0]

No cost recording, no divergence check: the least work a loop can do, as a yardstick.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def numpy_stacked_runner(params: list, X: np.ndarray, Y: np.ndarray, lr: float) -> Callable:
    """``run(iterations)`` → the trained ``[(W, b), …]`` (copies of ``params``; X ``(n, m)``)."""
    m, K = X.shape[1], params[0][0].shape[0]
    A0 = np.ascontiguousarray(np.broadcast_to(X, (K, *X.shape)))
    last = len(params) - 1

    def run(iterations: int) -> Any:
        Ws = [W.copy() for W, _ in params]
        bs = [b.copy() for _, b in params]
        for _ in range(iterations):
            A = [A0]
            for layer, (W, b) in enumerate(zip(Ws, bs, strict=True)):
                Z = W @ A[-1] + b
                A.append(np.maximum(Z, 0.0) if layer < last else 1.0 / (1.0 + np.exp(-Z)))
            dZ = (A[-1] - Y) / m
            for layer in range(last, -1, -1):
                dW = dZ @ A[layer].transpose(0, 2, 1)
                db = dZ.sum(axis=2, keepdims=True)
                if layer:
                    dZ = (Ws[layer].transpose(0, 2, 1) @ dZ) * (A[layer] > 0)
                Ws[layer] -= lr * dW
                bs[layer] -= lr * db
        return list(zip(Ws, bs, strict=True))

    return run
