"""Per-layer statistics of K models on a data set: what every layer does at one point of training.

For weight layer l = 1..L of each model, on the data ``X`` ``(n_in, m)`` with targets ``Y``:

- ``pre_mean``, ``pre_std``: mean and standard deviation of the pre-activations
  z_l = W_l a_{l−1} + b_l over units and samples (the last layer's are the logits); ``act_mean``,
  ``act_std`` of the hidden activations a_l = φ(z_l) (a std within rounding of 0, ≤ 1e-12·|mean|,
  is reported as 0: the layer is constant);
- ``dead``: the fraction of hidden units that never pass a gradient, φ'(z) = 0 on every sample, for
  activations with a flat side (ReLU: z ≤ 0 on all the data);
- ``saturated``: for activations without a flat side, the fraction of hidden activations (units ×
  samples) with |φ'(z)| < 0.01 — tanh beyond |z| ≈ 3.0, sigmoid beyond |z| ≈ 4.6, ELU below
  z ≈ −4.6; ReLU's zero-derivative side is counted by ``dead`` instead (0 here);
- ``grad_w``, ``grad_z``: the Frobenius norms of ∂C/∂W_l and of ∂C/∂z_l (over units and samples),
  by the engine's backward equations (see :mod:`initlab.engine.reference`);
- ``distinct``: the number of distinct units per hidden layer (:mod:`initlab.analysis.symmetry`);
- ``output_saturated``: the share of samples whose output is saturated (sigmoid: |logit| > 4.6).

Arrays have the models first: ``(K, L)`` for every layer, ``(K, L−1)`` for the hidden ones.
:meth:`LayerStats.model` gives one model's numbers as JSON-ready lists (non-finite → ``None``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab.analysis.json_numbers import json_number, json_numbers
from initlab.analysis.symmetry import distinct_units
from initlab.engine import reference
from initlab.engine.params import Params
from initlab.nn.activations import Activation
from initlab.nn.network import Network

SATURATED_DERIVATIVE = 0.01
SATURATED_LOGIT = 4.6  # sigmoid'(z) = σ(z)(1 − σ(z)) < 0.01 beyond |z| ≈ 4.6
SATURATED_PROBABILITY = 1 / (1 + math.exp(-SATURATED_LOGIT))  # the same for softmax: p_max > 0.990


@dataclass(frozen=True)
class LayerStats:
    """Per-layer numbers of K models at ``iteration`` (see the module docstring for each field)."""

    iteration: int
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    cost: np.ndarray
    pre_mean: np.ndarray
    pre_std: np.ndarray
    act_mean: np.ndarray
    act_std: np.ndarray
    dead: np.ndarray
    saturated: np.ndarray
    grad_w: np.ndarray
    grad_z: np.ndarray
    distinct: np.ndarray
    output_saturated: np.ndarray
    q_in: np.ndarray
    output_grad: np.ndarray

    @property
    def n_models(self) -> int:
        return int(self.pre_std.shape[0])

    @property
    def depth(self) -> int:
        """Number of weight layers L."""
        return len(self.sizes) - 1

    @property
    def second_moment(self) -> np.ndarray:
        """``mean(z²)`` per model and layer: what the theory's q_l predicts."""
        return self.pre_std**2 + self.pre_mean**2

    def gradient_ratio(self, k: int) -> float:
        """``‖∂C/∂z_1‖ / ‖∂C/∂z_{L−1}‖`` of model k: how much the gradient grew (> 1) or shrank
        (< 1) on its way back from the last hidden layer to the first. 1 with one hidden layer;
        NaN when the last hidden layer's gradient is 0 (nothing flows back at all)."""
        if self.depth < 3:
            return 1.0
        top, bottom = self.grad_z[k, -2], self.grad_z[k, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(bottom / top) if top > 0 else math.nan

    def model(self, k: int) -> dict[str, Any]:
        """Model k's numbers, JSON-ready."""
        return {
            "iteration": self.iteration,
            "cost": json_number(self.cost[k]),
            "pre_mean": json_numbers(self.pre_mean[k]),
            "pre_std": json_numbers(self.pre_std[k]),
            "act_mean": json_numbers(self.act_mean[k]),
            "act_std": json_numbers(self.act_std[k]),
            "dead": json_numbers(self.dead[k]),
            "saturated": json_numbers(self.saturated[k]),
            "grad_w": json_numbers(self.grad_w[k]),
            "grad_z": json_numbers(self.grad_z[k]),
            "distinct": [int(d) for d in self.distinct[k]],
            "output_saturated": json_number(self.output_saturated[k]),
            "gradient_ratio": json_number(self.gradient_ratio(k)),
        }


def has_flat_side(activation: Activation) -> bool:
    """Whether φ' is exactly 0 for negative z (ReLU), so a unit can die."""
    z = np.array([-10.0, -1.0, -1e-3])
    return bool(np.all(activation.derivative(z, activation.forward(z)) == 0))


def layer_stats(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    iteration: int = 0,
    symmetry: bool = True,
) -> LayerStats:
    """The :class:`LayerStats` of the K models in ``params`` on ``X`` ``(n_in, m)``, ``Y``.

    Forward and backward are the reference engine's (``dZ[l−1] = W[l]ᵀ dZ[l] ⊙ φ'(Z[l−1])``,
    ``dW[l] = dZ[l] A[l−1]ᵀ``, residual blocks included), keeping every ``dZ``.
    ``symmetry=False`` skips the distinct-unit count (``distinct`` is then −1).
    """
    hidden = network.hidden_activations()
    output = network.output_layer()
    K, L = int(params[0][0].shape[0]), network.depth
    with np.errstate(all="ignore"):
        cache = reference.forward(network, params, X)
        logits = cache.logits
        dZs = reference.deltas(network, params, cache, output.grad(logits, Y))
        dZ = dZs[-1]
        output_grad = np.sqrt((dZ**2).sum(axis=-2))
        grad_z = [_norm(dZ)]
        grad_w = [_product_norm(dZ, cache.A[-1])]
        dead, saturated = [], []
        branch = cache.H or cache.A[1:]  # φ(Z) of each hidden layer (residual sums apart)
        for i in range(L - 2, -1, -1):  # hidden layer i+1 (0-based i), from the top down
            derivative = hidden[i].derivative(cache.Z[i], branch[i])
            if has_flat_side(hidden[i]):
                dead.append((derivative == 0).all(axis=-1).mean(axis=-1))
                saturated.append(np.zeros(K))
            else:
                dead.append(np.zeros(K))
                saturated.append((np.abs(derivative) < SATURATED_DERIVATIVE).mean(axis=(-2, -1)))
            dZ = dZs[i]
            grad_z.append(_norm(dZ))
            grad_w.append(_product_norm(dZ, cache.A[i]))
        Z = cache.Z
        A = cache.A[1:]
        pre_mean = np.stack([z.mean(axis=(-2, -1)) for z in Z], axis=1)
        pre_std = _spread(np.stack([z.std(axis=(-2, -1)) for z in Z], axis=1), pre_mean)
        act_mean = _stack([a.mean(axis=(-2, -1)) for a in A], K)
        act_std = _spread(_stack([a.std(axis=(-2, -1)) for a in A], K), act_mean)
        cost = output.cost(logits, Y)
        if logits.shape[-2] == 1:
            output_saturated = (np.abs(logits) > SATURATED_LOGIT).mean(axis=(-2, -1))
        else:
            probabilities = output.predict(logits)
            output_saturated = (probabilities.max(axis=-2) > SATURATED_PROBABILITY).mean(axis=-1)
    distinct = np.full((K, L - 1), -1, dtype=np.int64)
    if symmetry:
        for k in range(K):
            for i in range(L - 1):
                distinct[k, i] = distinct_units(params[i][0][k], params[i][1][k, :, 0])
    return LayerStats(
        iteration=int(iteration),
        sizes=tuple(network.sizes),
        activations=tuple(a.spec for a in hidden),
        cost=cost,
        pre_mean=pre_mean,
        pre_std=pre_std,
        act_mean=act_mean,
        act_std=act_std,
        dead=_stack(dead[::-1], K),
        saturated=_stack(saturated[::-1], K),
        grad_w=np.stack(grad_w[::-1], axis=1),
        grad_z=np.stack(grad_z[::-1], axis=1),
        distinct=distinct,
        output_saturated=output_saturated,
        q_in=np.mean(np.asarray(X, dtype=float) ** 2, axis=0),
        output_grad=output_grad,
    )


def _spread(std: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Standard deviations; a constant layer's rounding noise (std ≤ 1e-12·|mean|) becomes 0."""
    return np.where(std <= 1e-12 * np.abs(mean), 0.0, std)


def _norm(a: np.ndarray) -> np.ndarray:
    """Frobenius norm over the last two axes, one per model; scaled by the largest entry first, so
    huge entries (large random weights) do not overflow when squared."""
    scale = np.abs(a).max(axis=(-2, -1), initial=0.0)
    safe = np.where(scale > 0, scale, 1.0)[..., None, None]
    return scale * np.sqrt(((a / safe) ** 2).sum(axis=(-2, -1)))


def _product_norm(dZ: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``‖dZ Aᵀ‖_F`` per model (the norm of ∂C/∂W), without forming the product when the samples
    are fewer than the units: ‖dZ Aᵀ‖² = Σ (dZᵀdZ) ⊙ (AᵀA), Gram matrices of the samples."""
    units_out, m = dZ.shape[-2:]
    units_in = A.shape[-2]
    if m * (units_out + units_in) >= units_out * units_in:
        return _norm(dZ @ A.swapaxes(-1, -2))
    scale_z = np.abs(dZ).max(axis=(-2, -1), keepdims=True)
    scale_a = np.abs(A).max(axis=(-2, -1), keepdims=True)
    dZ = dZ / np.where(scale_z > 0, scale_z, 1.0)
    A = A / np.where(scale_a > 0, scale_a, 1.0)
    gram = (dZ.swapaxes(-1, -2) @ dZ) * (A.swapaxes(-1, -2) @ A)
    return scale_z[..., 0, 0] * scale_a[..., 0, 0] * np.sqrt(np.maximum(gram.sum(axis=(-2, -1)), 0))


def _stack(columns: list[np.ndarray], K: int) -> np.ndarray:
    return np.stack(columns, axis=1) if columns else np.zeros((K, 0))
