"""The mean-field theory's prediction for one initializer on one network, beside what is measured.

For a variance-based initializer (i.i.d. zero-mean weights of variance σ_w²/fan_in, biases of
variance σ_b²; :func:`initlab.analysis.theory.weight_variances`) the theory of wide random networks
(Poole et al. 2016, Schoenholz et al. 2017) runs the pre-activations' second moment forward from
each training sample's mean squared input,

    q_l = σ_w²·E[φ(√q_{l−1} z)²] + σ_b²,   z ~ N(0, 1),

gives the per-layer gradient factor χ_l = σ_w²·E[φ'(√q_l z)²], and predicts the gradient norms
‖∂C/∂z_l‖ by multiplying the measured output gradient by √χ per layer going back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab.analysis import theory
from initlab.analysis.json_numbers import json_numbers
from initlab.analysis.layer_stats import LayerStats
from initlab.initializers.registry import Initializer
from initlab.nn.network import Network


@dataclass
class InitTheory:
    """The theory's numbers for one initializer: per weight layer ``sigma_w2``, ``sigma_b2``,
    ``q`` (mean over samples) and ``pre_std`` = √q; per hidden layer ``chi`` (mean over samples);
    ``grad_z`` the predicted ‖∂C/∂z_l‖ from the measured output gradient at initialization."""

    sigma_w2: np.ndarray
    sigma_b2: np.ndarray
    q: np.ndarray
    chi: np.ndarray
    grad_z: np.ndarray

    @property
    def pre_std(self) -> np.ndarray:
        return np.sqrt(self.q)

    def to_dict(self) -> dict[str, Any]:
        """Every number, JSON-ready (non-finite numbers are ``None``)."""
        return {
            "sigma_w2": json_numbers(self.sigma_w2),
            "sigma_b2": json_numbers(self.sigma_b2),
            "q": json_numbers(self.q),
            "pre_std": json_numbers(self.pre_std),
            "chi": json_numbers(self.chi),
            "grad_z": json_numbers(self.grad_z),
        }


def predict(initializer: Initializer, network: Network, stats: LayerStats, k: int) -> InitTheory:
    """The theory for model ``k`` of ``stats`` (taken at initialization) under ``initializer``.

    Raises :class:`InitlabError` for initializers the theory does not cover. A large random
    start deliberately predicts a q that overflows to ``inf`` a few layers in (that is the
    prediction: the signal explodes), so numpy's floating-point warnings are silenced here.
    """
    sigma_w2, sigma_b2 = theory.weight_variances(initializer, network.sizes)
    hidden = network.hidden_activations()
    with np.errstate(over="ignore", invalid="ignore"):
        q = theory.predicted_q(hidden, sigma_w2, sigma_b2, stats.q_in)  # (L, m)
        chi = theory.predicted_chi(hidden, sigma_w2, q)  # (L-1, m)
        grad_z = theory.gradient_norms(chi, stats.output_grad[k])
        return InitTheory(
            sigma_w2=sigma_w2,
            sigma_b2=sigma_b2,
            q=q.mean(axis=1),
            chi=chi.mean(axis=1),
            grad_z=grad_z,
        )
