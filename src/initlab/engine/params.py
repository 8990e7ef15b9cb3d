"""Parameters of K models of one shape, trained together.

``Params`` is a list with one ``(W, b)`` pair per layer: ``W`` of shape ``(K, fan_out, fan_in)``
(PyTorch's layout with a leading model axis), ``b`` of shape ``(K, fan_out, 1)`` so it broadcasts
over the samples, which are the last, contiguous axis of every activation array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Layer = tuple[np.ndarray, np.ndarray]
Params = list[Layer]


def stack(models: Sequence[Sequence[tuple[np.ndarray, np.ndarray]]]) -> Params:
    """Stack per-model ``[(W (out, in), b (out,)), ...]`` lists into batched :data:`Params`."""
    depth = len(models[0])
    return [
        (
            np.stack([np.asarray(m[l][0], dtype=float) for m in models]),
            np.stack([np.asarray(m[l][1], dtype=float).reshape(-1, 1) for m in models]),
        )
        for l in range(depth)
    ]


def unstack(params: Params, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Model ``k``'s layers as ``[(W (out, in), b (out,)), ...]`` copies."""
    return [(W[k].copy(), b[k, :, 0].copy()) for W, b in params]


def copy(params: Params) -> Params:
    return [(W.copy(), b.copy()) for W, b in params]


def n_models(params: Params) -> int:
    return int(params[0][0].shape[0])
