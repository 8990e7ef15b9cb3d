"""Output layers with their losses, computed from the logits.

A saturated output gives a large finite cost (the course printed ``inf``) and no overflow warnings.
An :class:`Output` maps logits ``Z`` of shape ``(..., n_outputs, m)`` and targets ``Y`` of the same
trailing shape to a mean cost per model and to ``dL/dZ``. :data:`OUTPUTS` is the one list of names:

- ``sigmoid``: 1 output unit, σ(z), binary cross-entropy — for 2 classes (the course's);
- ``softmax``: K output units, softmax(z), categorical cross-entropy — for K ≥ 2 classes.

:func:`for_classes` picks one from the number of classes (2 → sigmoid, ≥ 3 → softmax) unless told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from initlab.errors import InitlabError, unknown_choice


@dataclass(frozen=True)
class Output:
    """Output nonlinearity + loss: ``predict(Z)`` probabilities, ``cost(Z, Y)`` per model,
    ``grad(Z, Y)`` the gradient of the mean cost with respect to ``Z``; ``loss`` names the loss."""

    name: str
    predict: Callable[[np.ndarray], np.ndarray]
    cost: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    loss: str = "binary cross-entropy"

    def units(self, n_classes: int) -> int:
        """Output units for ``n_classes`` classes: 1 for sigmoid, one per class for softmax."""
        return 1 if self.name == "sigmoid" else int(n_classes)


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^(−z)), scipy's ``expit`` (SciPy loads on first use, not at import)."""
    from scipy.special import expit

    return expit(Z)


def _bce_cost(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy from logits: mean over samples of softplus(z) − y·z.

    −y·log σ(z) − (1−y)·log(1−σ(z)) = log(1 + e^z) − y·z, and ``np.logaddexp(0, z)`` is the
    overflow-free softplus.
    """
    per_sample = np.logaddexp(0.0, Z) - Y * Z
    return per_sample.sum(axis=(-2, -1)) / Z.shape[-1]


def _bce_grad(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """d(mean BCE)/dZ = (σ(Z) − Y) / m, written as the course writes it, ``1/m · (A − Y)``."""
    return 1.0 / Z.shape[-1] * (_sigmoid(Z) - Y)


def _softmax(Z: np.ndarray) -> np.ndarray:
    """softmax over the class axis (−2): p_c = e^(z_c − max z) / Σ_j e^(z_j − max z)."""
    from scipy.special import softmax

    return softmax(Z, axis=-2)


def _ce_cost(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Categorical cross-entropy from logits (``torch.nn.CrossEntropyLoss``): mean over samples of
    −Σ_c y_c·log softmax(z)_c = logsumexp(z) − Σ_c y_c·z_c for one-hot ``Y`` (classes on axis −2).

    ``logsumexp`` subtracts the largest logit first, so no logit overflows.
    """
    from scipy.special import logsumexp

    per_sample = logsumexp(Z, axis=-2) - (Y * Z).sum(axis=-2)
    return per_sample.sum(axis=-1) / Z.shape[-1]


def _ce_grad(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """d(mean CE)/dZ = (softmax(Z) − Y) / m (Σ_c y_c = 1)."""
    return 1.0 / Z.shape[-1] * (_softmax(Z) - Y)


OUTPUTS: dict[str, Output] = {
    "sigmoid": Output("sigmoid", _sigmoid, _bce_cost, _bce_grad, "binary cross-entropy"),
    "softmax": Output("softmax", _softmax, _ce_cost, _ce_grad, "categorical cross-entropy"),
}

AUTO = "auto"


def get(name: str | Output) -> Output:
    if isinstance(name, Output):
        return name
    if name not in OUTPUTS:
        raise unknown_choice("output", name, OUTPUTS)
    return OUTPUTS[name]


def for_classes(n_classes: int, output: str | Output = AUTO) -> Output:
    """The output for ``n_classes`` labels: ``auto`` gives sigmoid for 2 and softmax for ≥ 3.

    ``sigmoid`` needs exactly 2 classes; ``softmax`` works for any number ≥ 2.
    """
    if isinstance(output, str) and output == AUTO:
        return OUTPUTS["sigmoid" if n_classes == 2 else "softmax"]
    if isinstance(output, str) and output not in OUTPUTS:
        raise unknown_choice("output", output, [*OUTPUTS, AUTO])
    chosen = get(output)
    if chosen.name == "sigmoid" and n_classes != 2:
        raise InitlabError(
            f"the sigmoid output separates 2 classes; the data has {n_classes}: use "
            "output softmax (or auto)"
        )
    return chosen


def targets(y: np.ndarray, output: Output, n_classes: int | None = None) -> np.ndarray:
    """Integer labels ``y`` of shape ``(m,)`` as the target array the output's loss expects:
    ``(1, m)`` of 0/1 for sigmoid, one-hot ``(n_classes, m)`` for softmax (``n_classes`` defaults
    to ``max(y) + 1``)."""
    y = np.asarray(y)
    if output.name != "softmax":
        return np.asarray(y, dtype=float).reshape(1, -1)
    n = int(y.max()) + 1 if n_classes is None else int(n_classes)
    return (np.arange(n).reshape(-1, 1) == y.reshape(1, -1)).astype(float)


def decide(probabilities: np.ndarray) -> np.ndarray:
    """Predicted labels from output probabilities of shape ``(..., n_outputs, m)``."""
    if probabilities.shape[-2] == 1:
        return (probabilities[..., 0, :] > 0.5).astype(np.int64)
    return probabilities.argmax(axis=-2)
