"""The frames a session sends: compact JSON the page draws from.

A ``frame`` carries, for iteration N (N updates done), each model's training cost of the parameters
after N updates at full float precision (JSON numbers are written with Python's shortest round-trip
``repr``, so the page reads back the very same double), its train and test accuracy, its decision
boundary on the configuration's grid (one byte per cell, base64) and its per-layer statistics.
Non-finite numbers travel as ``null``.

Boundary bytes: for a sigmoid output, ``round(255·p)`` with p the probability of class 1; for a
softmax output, two bytes per cell, the predicted class and ``round(255·p_max)``.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

from initlab.explore import lab
from initlab.explore.configuration import Configuration


def dumps(message: dict[str, Any]) -> str:
    """Compact JSON; refuses NaN so that a non-finite number is a bug here, not a parse error in
    the browser."""
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


def number(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def numbers(values: Any) -> list[float | None]:
    return [number(v) for v in np.asarray(values, dtype=float).ravel()]


def error(message: str, *, about: str | None = None) -> dict[str, Any]:
    return {"type": "error", "message": message, "about": about}


def boundary(config: Configuration, params: lab.Params) -> list[str | None]:
    """Each model's boundary on the grid as base64 bytes (``None`` without a grid)."""
    if config.grid is None:
        return [None] * config.n_models
    probabilities = lab.predict_proba(config.network, params, config.grid)  # (K, n_out, cells²)
    probabilities = np.nan_to_num(probabilities, nan=0.5)
    out: list[str | None] = []
    for p in probabilities:
        if p.shape[0] == 1:
            raw = np.rint(255 * np.clip(p[0], 0, 1)).astype(np.uint8)
        else:
            raw = np.empty(2 * p.shape[1], dtype=np.uint8)
            raw[0::2] = p.argmax(axis=0)
            raw[1::2] = np.rint(255 * np.clip(p.max(axis=0), 0, 1))
        out.append(base64.b64encode(raw.tobytes()).decode("ascii"))
    return out


def accuracies(config: Configuration, params: lab.Params) -> tuple[np.ndarray, np.ndarray]:
    """Train and test accuracy of each model, as :func:`initlab.compare` computes them."""
    ds = config.dataset
    train = lab.decide(lab.predict_proba(config.network, params, config.X))
    test = lab.decide(lab.predict_proba(config.network, params, config.X_test))
    return (train == ds.y_train).mean(axis=-1), (test == ds.y_test).mean(axis=-1)


HISTOGRAM_BINS = 24
HISTOGRAM_SPAN = 3.0  # a layer's histogram covers ±3 of its current standard deviations


def histograms(
    config: Configuration, params: lab.Params
) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """Per model, per weight layer: the histograms of the pre-activations z and of the gradient of
    the training cost with respect to them, ∂C/∂z (the engine's backward pass), each over units
    and samples (see :func:`histogram`)."""
    Z, dZ = lab.pre_activations_and_gradients(config.network, params, config.X, config.Y)
    z_hist = [[histogram(z[k]) for z in Z] for k in range(config.n_models)]
    dz_hist = [[histogram(dz[k]) for dz in dZ] for k in range(config.n_models)]
    return z_hist, dz_hist


def histogram(values: np.ndarray) -> dict[str, Any]:
    """The finite ``values``' histogram on ``±HISTOGRAM_SPAN`` of their spread around their mean,
    ``{"lo", "hi", "counts", "zeros"}`` (values beyond the span count in the end bins; all values
    equal: one full bin around their value; none finite: all counts 0). ``zeros`` is how many of
    the counted values are exactly 0 (ReLU's inactive units pass no gradient), so the page can
    draw them apart from the bins."""
    values = values.ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {"lo": -1.0, "hi": 1.0, "counts": [0] * HISTOGRAM_BINS, "zeros": 0}
    center, spread = float(values.mean()), float(values.std())
    half = HISTOGRAM_SPAN * spread if spread > 1e-12 * max(abs(center), 1e-300) else 1.0
    lo, hi = center - half, center + half
    counts, _ = np.histogram(np.clip(values, lo, hi), bins=HISTOGRAM_BINS, range=(lo, hi))
    zeros = int(np.count_nonzero(values == 0))
    return {"lo": lo, "hi": hi, "counts": counts.tolist(), "zeros": zeros}


def layers(stats: lab.LayerStats, k: int) -> dict[str, Any]:
    """What the "why" panel draws for model k: per weight layer the spread of z and ‖∂C/∂z‖,
    per hidden layer the dead and saturated shares and the distinct units."""
    return {
        "pre_std": numbers(stats.pre_std[k]),
        "grad_z": numbers(stats.grad_z[k]),
        "dead": numbers(stats.dead[k]),
        "saturated": numbers(stats.saturated[k]),
        "distinct": [int(d) for d in stats.distinct[k]],
        "output_saturated": number(stats.output_saturated[k]),
    }
