"""Small residual networks, their parameters and data, shared by the residual engine tests."""

from __future__ import annotations

import numpy as np

from initlab.engine.params import Params
from initlab.nn.network import Network


def residual_network(m: int, activation: str = "tanh", output: str = "sigmoid") -> Network:
    """2 → 3 → [3 blocks of width 3, m layers each] → 2 → n_out."""
    n_out = 1 if output == "sigmoid" else 3
    blocks = tuple((1 + j * m, m) for j in range(3))
    return Network((2, 3, *([3] * (3 * m)), 2, n_out), activation, output, blocks)


def draw(network: Network, K: int, seed: int, trained: float = 1.0) -> Params:
    rng = np.random.default_rng(seed)
    params: Params = [
        (rng.normal(0, 0.8, (K, o, i)), rng.normal(0, 0.3, (K, o, 1)))
        for i, o in zip(network.sizes[:-1], network.sizes[1:], strict=True)
    ]
    B = network.n_blocks
    params.append((rng.uniform(0.2, 1.5, (K, B, 1)), np.full((K, B, 1), trained)))
    return params


def data(n_out: int, m: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(2, m))
    if n_out == 1:
        return X, (rng.random((1, m)) < 0.5).astype(float)
    return X, np.eye(n_out)[rng.integers(0, n_out, m)].T
