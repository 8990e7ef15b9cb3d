"""The compiled engine's flat layout of K models: one row of parameters per model.

A model's parameters are one contiguous row ``W1, b1, W2, b2, …`` with each ``W`` row-major
``(fan_out, fan_in)`` (PyTorch's layout) and each ``b`` ``(fan_out,)``; the K rows make ``theta``
``(K, P)``, so each thread of the kernel trains whole models from its own row. Activations of one
model are flat too: layer l's Z (and A) rows start at row ``zrow[l]`` of one ``(Σ units, m)``
buffer, the m samples the inner, contiguous axis, as the reference's ``(units, m)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from initlab.engine.params import Params, n_models

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def layout(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(sizes, woff, boff, zrow)``: where layer l's W (row-major) and b start in a model's flat
    parameter vector, and the first row of its Z (and A) in the activation buffers."""
    woff, boff, zoff = [], [], []
    p = z = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        woff.append(p)
        p += n_out * n_in
        boff.append(p)
        p += n_out
        zoff.append(z)
        z += n_out
    sizes_, woff_, boff_, zoff_ = (np.array(v, dtype=np.int64) for v in (sizes, woff, boff, zoff))
    return sizes_, woff_, boff_, zoff_


def pack(params: Params, dtype: DTypeLike) -> np.ndarray:
    """Batched ``[(W (K, out, in), b (K, out, 1)), ...]`` → ``theta`` (K, P), each model's
    W1, b1, W2, b2, ... in a row."""
    K = n_models(params)
    parts = [part.reshape(K, -1) for W, b in params for part in (W, b)]
    return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=dtype)


def unpack(theta: np.ndarray, sizes: tuple[int, ...]) -> Params:
    """``theta`` (K, P) → batched ``[(W, b), ...]`` (copies); the inverse of :func:`pack`."""
    K = theta.shape[0]
    out, p = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = theta[:, p : p + n_out * n_in].reshape(K, n_out, n_in).copy()
        p += n_out * n_in
        b = theta[:, p : p + n_out].reshape(K, n_out, 1).copy()
        p += n_out
        out.append((W, b))
    return out


def padded_columns(m: int, itemsize: int) -> int:
    """``M``: ``m`` rounded up to a whole number of 64-byte vectors of ``itemsize``-byte floats
    (the row length of the compiled engine's activations, :mod:`initlab.engine.microkernels`)."""
    lanes = 64 // itemsize
    return -(-m // lanes) * lanes


def padded_rows(X: np.ndarray, n_in: int) -> np.ndarray:
    """Flat ``X`` (n_in·m) as flat ``(n_in, M)`` rows (:func:`padded_columns`), zero past m,
    starting on a 64-byte boundary (so every row does: M is whole 64-byte vectors)."""
    m = X.size // n_in
    M = padded_columns(m, X.itemsize)
    buf = np.zeros(n_in * M + 64 // X.itemsize, dtype=X.dtype)  # room to start on 64 bytes
    skip = (-buf.ctypes.data % 64) // X.itemsize
    out = buf[skip : skip + n_in * M].reshape(n_in, M)
    out[:, :m] = X.reshape(n_in, m)
    return out.reshape(-1)
