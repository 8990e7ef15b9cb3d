"""Drawing from a numpy ``Generator`` or a legacy ``RandomState`` alike.

Both kinds have ``standard_normal(size)``, ``uniform(low, high, size)`` and ``permutation(n)``, and
initlab draws only through these (``random_sample``/``random`` differ between them). The truncated
normal is drawn by inverse CDF with :func:`scipy.stats.truncnorm` (``random_state=`` accepts both
kinds): one ``uniform`` draw per value mapped through the truncated normal's quantile function,
which scipy computes in log space, so even cut-offs far in a tail are sampled accurately.
"""

from __future__ import annotations

import numpy as np

Rng = np.random.Generator | np.random.RandomState

# Standard deviation of N(0, 1) truncated to [-2, 2] (Keras's and JAX's constant): dividing a
# ±2-truncated draw's scale by it keeps the variance of the untruncated normal.
TRUNCATED_STD = 0.87962566103423978


def standard_normal(rng: Rng, shape: tuple[int, ...]) -> np.ndarray:
    """``N(0, 1)`` values of ``shape``: ``rng.standard_normal(shape)`` (the course's stream)."""
    return rng.standard_normal(shape)


def uniform(rng: Rng, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
    """``U[low, high)`` values of ``shape``."""
    return rng.uniform(low, high, size=shape)


def truncated_standard_normal(
    rng: Rng, low: float, high: float, shape: tuple[int, ...]
) -> np.ndarray:
    """``N(0, 1)`` conditioned on ``low <= x <= high`` (standard units), by inverse CDF."""
    from scipy.stats import truncnorm  # loaded on first use: import initlab pulls no scipy

    return np.clip(truncnorm.rvs(low, high, size=shape, random_state=rng), low, high)
