"""Orthogonal initialization (Saxe, McClelland & Ganguli 2014, "Exact solutions to the nonlinear
dynamics of learning in deep linear neural networks").

As PyTorch's ``orthogonal_(gain)``: draw a Gaussian matrix, transpose it if it is wide, take its QR
decomposition and multiply each column of Q by the sign of the matching diagonal entry of R (so Q
is uniformly (Haar) distributed rather than biased by the QR routine's sign convention), transpose
back, scale by ``gain``. A ``(fan_out, fan_in)`` weight with fan_out ≤ fan_in has orthonormal rows,
W Wᵀ = gain²·I; otherwise orthonormal columns, Wᵀ W = gain²·I. Keras's ``Orthogonal(gain)`` and
JAX's ``orthogonal(scale)`` do the same.
"""

from __future__ import annotations

import numpy as np

from initlab import checks
from initlab.initializers.registry import WeightFn, register
from initlab.initializers.sampling import Rng, standard_normal


def orthogonal_matrix(rng: Rng, shape: tuple[int, int], gain: float = 1.0) -> np.ndarray:
    """A ``shape`` matrix with orthonormal rows or columns (whichever fits), times ``gain``."""
    rows, cols = shape
    flat = standard_normal(rng, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
    if rows < cols:
        q = q.T
    return gain * q


@register(
    "orthogonal",
    formula="W = gain · Q, Q from the sign-corrected QR of a Gaussian matrix "
    "(W Wᵀ or Wᵀ W = gain² I)",
    frameworks={
        "pytorch": "orthogonal_(gain)",
        "keras": "Orthogonal(gain)",
        "jax": "orthogonal(scale)",
    },
)
def orthogonal(gain: float = 1.0) -> WeightFn:
    """Orthogonal weights times ``gain`` (see the module docstring)."""
    gain = checks.non_negative("gain", gain)

    def draw(shape, rng):
        return orthogonal_matrix(rng, shape, gain)

    return draw
