"""The PyTorch peer: the same K-model loop as :mod:`initlab.bench.peer_numpy` with ``torch.bmm``
(batched matrix products on the CPU, PyTorch's intra-op threads), no autograd: the gradients are
written out as in the NumPy peer, so no graph is built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def torch_bmm_runner(params: list, X: np.ndarray, Y: np.ndarray, lr: float) -> Callable:
    """``run(iterations)`` → the trained ``[(W, b), …]`` as numpy arrays."""
    import torch

    m, K = X.shape[1], params[0][0].shape[0]
    A0 = torch.from_numpy(np.ascontiguousarray(np.broadcast_to(X, (K, *X.shape))))
    Yt = torch.from_numpy(np.ascontiguousarray(Y))
    last = len(params) - 1

    def run(iterations: int) -> Any:
        Ws = [torch.from_numpy(W.copy()) for W, _ in params]
        bs = [torch.from_numpy(b.copy()) for _, b in params]
        with torch.no_grad():
            for _ in range(iterations):
                A = [A0]
                for layer, (W, b) in enumerate(zip(Ws, bs, strict=True)):
                    Z = torch.baddbmm(b, W, A[-1])
                    A.append(torch.relu(Z) if layer < last else torch.sigmoid(Z))
                dZ = (A[-1] - Yt) / m
                for layer in range(last, -1, -1):
                    dW = torch.bmm(dZ, A[layer].transpose(1, 2))
                    db = dZ.sum(dim=2, keepdim=True)
                    if layer:
                        dZ = torch.bmm(Ws[layer].transpose(1, 2), dZ) * (A[layer] > 0)
                    Ws[layer].sub_(lr * dW)
                    bs[layer].sub_(lr * db)
        return [(W.numpy(), b.numpy()) for W, b in zip(Ws, bs, strict=True)]

    return run
