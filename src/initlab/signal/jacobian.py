"""The input-output Jacobian of a deep random network and its squared singular values, beside the
free-probability theory of Pennington, Schoenholz & Ganguli 2017.

For ``x_l = φ(h_l)``, ``h_l = W_l x_{l−1} + b_l`` (l = 1..L, every layer ``width`` wide), the
Jacobian of the last activations with respect to the input is ``J = D_L W_L ⋯ D_1 W_1`` with
``D_l = diag φ'(h_l)``. Its squared singular values λ (the eigenvalues of JJᵀ) decide how
gradients travel. Pennington, Schoenholz & Ganguli 2017 ("Resurrecting the sigmoid in deep
learning through dynamical isometry: theory and practice", NeurIPS; arXiv:1711.04735, §2.5 and
the moments they derive from the S-transform) give, for inputs on the fixed point q* and
μ_k = E[φ'(√q* z)^{2k}]:

    m_1 = E[λ]           = (σ_w² μ_1)^L = χ_1^L
    σ²  = E[λ²] − m_1²   = m_1² · L · (μ_2/μ_1² − 1 − s_1)

with s_1 = −1 for i.i.d. (Gaussian) weights and s_1 = 0 for orthogonal ones. At criticality
(χ_1 = 1) the spread grows linearly with depth for Gaussian weights (σ² = L μ_2/μ_1²) and for
orthogonal ones only through μ_2/μ_1² − 1, which vanishes as q* → 0 for tanh (dynamical
isometry) but is 1 for ReLU (μ_1 = μ_2 = 1/2): ReLU networks cannot be isometric.

The moments are those of the ensemble: at finite width one network's mean λ fluctuates around
χ_1^L by roughly √(L/width) (each layer's realized χ differs from its mean by ~1/√width, and q
wanders about q*), so :func:`jacobian_spectrum` draws a fresh network for every input and pools
their spectra.

Inputs "on q*" are ``x_0 = φ(√q* z)``, z ~ N(0, I): then ``h_1`` has second moment q*. Weights
are drawn by an initializer of the registry: variance-based ones (σ_w² = fan_in·Var W, i.i.d.,
s_1 = −1) or ``orthogonal:gain=g`` (σ_w² = g², s_1 = 0); biases ~ N(0, σ_b²).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from initlab import initializers
from initlab.analysis import theory
from initlab.errors import InitlabError
from initlab.initializers.registry import Initializer
from initlab.nn.activations import Activation
from initlab.signal.spectral_density import SpectralDensity, spectral_density

Layers = Sequence[tuple[np.ndarray, np.ndarray]]


def weight_variance(initializer: Initializer, width: int) -> tuple[float, float]:
    """``(σ_w², s_1)`` of a square ``width`` layer drawn by ``initializer``: the orthogonal scheme
    (gain², 0) or a variance-based one (fan_in·Var W, −1); other schemes are refused."""
    if initializer.name == "orthogonal":
        return float(initializer.params["gain"]) ** 2, 0.0
    sw2, _ = theory.weight_variances(initializer, (width, width))
    return float(sw2[0]), -1.0


def draw_layers(
    initializer: Initializer, depth: int, width: int, sigma_b2: float, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``depth`` square layers ``(W (width, width), b (width,))``: W by ``initializer``,
    b ~ N(0, σ_b²)."""
    layers = []
    for _ in range(depth):
        W = np.asarray(initializer((width, width), rng), dtype=float)
        layers.append((W, rng.standard_normal(width) * math.sqrt(sigma_b2)))
    return layers


def network_output(layers: Layers, activation: Activation, x: np.ndarray) -> np.ndarray:
    """``x_L`` for inputs ``x`` of shape ``(width, n)`` (one column per input)."""
    for W, b in layers:
        x = activation.forward(W @ x + b[:, None])
    return x


def input_output_jacobian(layers: Layers, activation: Activation, x: np.ndarray) -> np.ndarray:
    """``J = ∂x_L/∂x_0`` at each input, shape ``(n, width_out, width_in)`` for ``x`` ``(width, n)``:
    accumulated forward, ``J ← D_l W_l J``."""
    J = np.broadcast_to(np.eye(x.shape[0]), (x.shape[1], x.shape[0], x.shape[0]))
    for W, b in layers:
        h = W @ x + b[:, None]
        x = activation.forward(h)
        slope = activation.derivative(h, x)  # (width, n)
        J = slope.T[:, :, None] * (W @ J)
    return J


def squared_singular_values(J: np.ndarray) -> np.ndarray:
    """The eigenvalues of JJᵀ of every Jacobian in ``J`` (n, a, b), pooled and sorted."""
    return np.sort(np.linalg.svd(J, compute_uv=False).ravel() ** 2)


@dataclass(frozen=True)
class SpectrumTheory:
    """Pennington et al.'s first two moments of the spectrum of JJᵀ (see the module docstring)."""

    chi_1: float
    mu_1: float
    mu_2: float
    s_1: float
    depth: int

    @property
    def mean(self) -> float:
        """m_1 = χ_1^L."""
        return self.chi_1**self.depth

    @property
    def variance(self) -> float:
        """σ² = m_1² · L · (μ_2/μ_1² − 1 − s_1)."""
        return self.mean**2 * self.depth * (self.mu_2 / self.mu_1**2 - 1.0 - self.s_1)


def spectrum_theory(
    activation: Activation, q_star: float, sigma_w2: float, s_1: float, depth: int
) -> SpectrumTheory:
    """μ_1, μ_2 at q* (by :func:`initlab.analysis.theory.gaussian_expectation`) and the moments."""

    def slope(h: np.ndarray) -> np.ndarray:
        return activation.derivative(h, activation.forward(h))

    mu_1 = float(theory.gaussian_expectation(lambda h: slope(h) ** 2, q_star))
    mu_2 = float(theory.gaussian_expectation(lambda h: slope(h) ** 4, q_star))
    return SpectrumTheory(sigma_w2 * mu_1, mu_1, mu_2, s_1, depth)


def input_fixed_point(activation: Activation, sigma_w2: float, sigma_b2: float) -> float:
    """q* of the network; 1 where the q-map has no finite fixed point but the Jacobian does not
    depend on the scale of the input (ReLU, linear, whose derivative is scale-free)."""
    q = float(theory.fixed_point(activation, sigma_w2, sigma_b2))
    if math.isfinite(q):
        return q
    if activation.name in ("relu", "leaky_relu", "linear"):
        return 1.0
    raise InitlabError(
        f"{activation.spec} with σ_w² = {sigma_w2:g}, σ_b² = {sigma_b2:g} has no finite fixed "
        "point q*: the signal grows without bound, so there are no inputs on q*; use a smaller σ_w²"
    )


def inputs_on_fixed_point(
    activation: Activation, q_star: float, width: int, n: int, rng: np.random.Generator
) -> np.ndarray:
    """``x_0 = φ(√q* z)``, shape ``(width, n)``: inputs whose first pre-activations have second
    moment q*."""
    return activation.forward(math.sqrt(q_star) * rng.standard_normal((width, n)))


def initializer_for(spec: str | Initializer) -> Initializer:
    """The registry's initializer, refused unless orthogonal or variance-based (the theory's)."""
    initializer = initializers.get(spec)
    if initializer.name != "orthogonal" and initializer.name not in theory.supported():
        raise InitlabError(
            f"the Jacobian-spectrum theory needs orthogonal or i.i.d. variance-based weights; "
            f"{initializer.spec!r} is neither. Use orthogonal:gain=G or one of "
            f"{', '.join(theory.supported())}"
        )
    return initializer


@dataclass(frozen=True)
class JacobianSpectrum:
    """The pooled squared singular values ``eigenvalues`` of ``inputs`` Jacobians (each input
    through its own network) with the :class:`SpectrumTheory` of the same settings."""

    init: str
    activation: str
    depth: int
    width: int
    sigma_w2: float
    sigma_b2: float
    q_star: float
    seed: int
    inputs: int
    eigenvalues: np.ndarray
    theory: SpectrumTheory
    density: SpectralDensity | None = None

    @property
    def mean(self) -> float:
        return float(self.eigenvalues.mean())

    @property
    def variance(self) -> float:
        return float(self.eigenvalues.var())

    def to_dict(self) -> dict[str, object]:
        """The settings, the measured and predicted moments and the spectrum's quantiles."""
        quantiles = (0.01, 0.1, 0.5, 0.9, 0.99)
        return {
            "init": self.init,
            "activation": self.activation,
            "depth": self.depth,
            "width": self.width,
            "sigma_w2": self.sigma_w2,
            "sigma_b2": self.sigma_b2,
            "q_star": self.q_star,
            "seed": self.seed,
            "inputs": self.inputs,
            "measured": {"mean": self.mean, "variance": self.variance},
            "theory": {
                "mean": self.theory.mean,
                "variance": self.theory.variance,
                "chi_1": self.theory.chi_1,
                "mu_1": self.theory.mu_1,
                "mu_2": self.theory.mu_2,
                "s_1": self.theory.s_1,
            },
            "quantiles": {str(q): float(np.quantile(self.eigenvalues, q)) for q in quantiles},
            "density": None if self.density is None else self.density.to_dict(),
            "ks_distance": None
            if self.density is None
            else self.density.distance(self.eigenvalues),
        }


def spectrum(
    initializer: Initializer,
    activation: Activation,
    depth: int,
    width: int,
    sigma_b2: float,
    seed: int,
    inputs: int,
    density: bool = False,
) -> JacobianSpectrum:
    """:func:`jacobian_spectrum` on resolved, checked arguments."""
    sigma_w2, s_1 = weight_variance(initializer, width)
    q_star = input_fixed_point(activation, sigma_w2, sigma_b2)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(inputs):
        layers = draw_layers(initializer, depth, width, sigma_b2, rng)
        x = inputs_on_fixed_point(activation, q_star, width, 1, rng)
        values.append(squared_singular_values(input_output_jacobian(layers, activation, x)))
    theory_ = spectrum_theory(activation, q_star, sigma_w2, s_1, depth)
    free = (
        spectral_density(activation, q_star, theory_.chi_1, depth, s_1 == 0.0) if density else None
    )
    return JacobianSpectrum(
        init=initializer.spec,
        activation=activation.spec,
        depth=depth,
        width=width,
        sigma_w2=sigma_w2,
        sigma_b2=sigma_b2,
        q_star=q_star,
        seed=seed,
        inputs=inputs,
        eigenvalues=np.sort(np.concatenate(values)),
        theory=theory_,
        density=free,
    )


def jacobian_spectrum(
    init: str | Initializer,
    depth: int,
    width: int,
    activation: str | Activation = "tanh",
    sigma_b2: float = 0.0,
    seed: int = 0,
    inputs: int = 8,
    density: bool = False,
) -> JacobianSpectrum:
    """The squared singular values of the input-output Jacobian of ``inputs`` random ``depth``-layer
    networks of ``width`` units (weights by ``init``, biases N(0, σ_b²), generator
    ``numpy.random.default_rng(seed)``), each at an input on the fixed point q*, with Pennington
    et al.'s mean χ_1^L and variance (module docstring); with ``density=True`` also their full
    free-probability density of λ (:mod:`initlab.signal.spectral_density`).

    >>> s = jacobian_spectrum("orthogonal", depth=4, width=16, activation="linear", inputs=1)
    >>> bool(np.allclose(s.eigenvalues, 1.0))
    True
    """
    from initlab.checks import integer_at_least, non_negative
    from initlab.nn import activations

    initializer = initializer_for(init)
    activation_ = activations.get(activation)
    depth = integer_at_least("depth", depth, 1)
    width = integer_at_least("width", width, 1)
    inputs = integer_at_least("inputs", inputs, 1)
    sigma_b2 = non_negative("sigma_b2", sigma_b2)
    seed = integer_at_least("seed", seed, 0)
    if width > MAX_WIDTH:
        raise InitlabError(
            f"width {width:,} is too wide for a dense Jacobian ({width:,}² entries per input, "
            f"and a singular value decomposition of it); use a width of at most {MAX_WIDTH:,}"
        )
    return spectrum(initializer, activation_, depth, width, sigma_b2, seed, inputs, density)


MAX_WIDTH = 2048  # a 2048² float64 Jacobian is 32 MB; its SVD takes seconds
