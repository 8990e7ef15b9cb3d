"""Output layers with their losses, computed from the logits.

A saturated output gives a large finite cost (the course printed ``inf``) and no overflow warnings.
An :class:`Output` maps logits ``Z`` of shape ``(..., n_outputs, m)`` and targets ``Y`` of the same
trailing shape to a mean cost per model and to ``dL/dZ``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from initlab.errors import unknown_choice


@dataclass(frozen=True)
class Output:
    """Output nonlinearity + loss: ``predict(Z)`` probabilities, ``cost(Z, Y)`` per model,
    ``grad(Z, Y)`` the gradient of the mean cost with respect to ``Z``."""

    name: str
    predict: Callable[[np.ndarray], np.ndarray]
    cost: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _bce_cost(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy from logits: mean over samples of softplus(z) − y·z.

    −y·log σ(z) − (1−y)·log(1−σ(z)) = log(1 + e^z) − y·z, and ``np.logaddexp(0, z)`` is the
    overflow-free softplus.
    """
    per_sample = np.logaddexp(0.0, Z) - Y * Z
    return per_sample.sum(axis=(-2, -1)) / Z.shape[-1]


def _bce_grad(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """d(mean BCE)/dZ = (σ(Z) − Y) / m, written as the course writes it, ``1/m · (A − Y)``."""
    return 1.0 / Z.shape[-1] * (expit(Z) - Y)


OUTPUTS: dict[str, Output] = {
    "sigmoid": Output("sigmoid", expit, _bce_cost, _bce_grad),
}


def get(name: str | Output) -> Output:
    if isinstance(name, Output):
        return name
    if name not in OUTPUTS:
        raise unknown_choice("output", name, OUTPUTS)
    return OUTPUTS[name]


def targets(y: np.ndarray, output: Output) -> np.ndarray:
    """Integer labels ``y`` of shape ``(m,)`` as the target array the output's loss expects."""
    return np.asarray(y, dtype=float).reshape(1, -1)


def decide(probabilities: np.ndarray) -> np.ndarray:
    """Predicted labels from output probabilities of shape ``(..., n_outputs, m)``."""
    if probabilities.shape[-2] == 1:
        return (probabilities[..., 0, :] > 0.5).astype(np.int64)
    return probabilities.argmax(axis=-2)
