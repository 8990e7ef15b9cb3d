"""What both engines are given, prepared one way: the shapes every engine checks, the float types
they run, the progress callback, one learning rate per model, and per layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from initlab.errors import InitlabError

if TYPE_CHECKING:
    from initlab.engine.params import Params
    from initlab.nn.network import Network

#: the float types both engines train in (parameters, data and all the arithmetic)
DTYPES = ("float64", "float32")

#: ``progress(i)``, called with the number of finished iterations
Progress = Callable[[int], None]


def check_shapes(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``Y`` as arrays, after checking them and ``params`` against ``network``: X
    ``(n_in, m)`` with m ≥ 1, Y ``(n_out, m)``, and K models' ``(W, b)`` of shapes ``(K, n_out,
    n_in)`` and ``(K, n_out, 1)`` per layer — a residual network's followed by one ``(α, trained)``
    entry of shapes ``(K, blocks, 1)``. :func:`initlab.engine.train` checks here before it chooses
    or compiles anything, and every engine checks here first, so a malformed input is one
    :class:`~initlab.errors.InitlabError` naming what fits and what was given, whichever engine
    runs."""
    X, Y = np.asarray(X), np.asarray(Y)
    sizes, L = network.sizes, network.depth
    if X.ndim != 2 or X.shape[0] != sizes[0] or X.shape[1] < 1:
        raise InitlabError(f"X must have shape ({sizes[0]}, m) with m >= 1; got {X.shape}")
    if Y.shape != (sizes[-1], X.shape[1]):
        raise InitlabError(f"Y must have shape ({sizes[-1]}, {X.shape[1]}); got {Y.shape}")
    first = np.shape(params[0][0]) if len(params) and len(params[0]) == 2 else ()
    K = int(first[0]) if len(first) == 3 else 0
    expected = [((K, o, i), (K, o, 1)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    layers = params[:L] if network.blocks else params  # a residual network's α entry: below
    given = [tuple(np.shape(a) for a in layer) for layer in layers]
    if K < 1 or given != expected:
        raise InitlabError(
            f"params for {network} with K = {K} must have shapes {expected}; got {given}"
        )
    if network.blocks:
        B = network.n_blocks
        last = [np.shape(a) for a in params[-1]]
        if len(params) != L + 1 or last != [(K, B, 1)] * 2:
            raise InitlabError(
                f"params of residual network {network} end with one (alpha, trained) entry of "
                f"shapes ({K}, {B}, 1); got {len(params)} entries for {L} layers, the last of "
                f"shapes {last}"
            )
    return X, Y


def learning_rates(lr: float | np.ndarray, n_models: int, dtype: np.dtype) -> np.ndarray:
    """``lr`` (one learning rate, or one per model) as ``(K,)`` values of ``dtype`` (a read-only
    broadcast view; each engine copies it into the shape its step needs)."""
    return np.broadcast_to(np.asarray(lr, dtype=dtype), (n_models,))


def step_rates(
    network: Network, lr: float | np.ndarray, n_models: int, dtype: np.dtype
) -> np.ndarray:
    """``(K, L + 1, 2)`` values of ``dtype``: model k's η for layer l's W (``[k, l, 0]``) and b
    (``[k, l, 1]``), η times the parametrization's multipliers
    (:meth:`~initlab.nn.network.Network.multipliers`; all 1 under SP, so exactly η), and in row L
    the η of a residual network's α. Computed in ``dtype``, as the reference's ``lr·multiplier``."""
    m = network.multipliers()
    table = np.array([*zip(m.lr, m.bias_lr, strict=True), (1.0, 1.0)], dtype=dtype)
    rates = learning_rates(lr, n_models, dtype)[:, None, None] * table[None]
    return np.ascontiguousarray(rates, dtype=dtype)
