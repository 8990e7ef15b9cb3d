"""Mean-field signal propagation: what the theory predicts for a wide random network.

Poole et al. 2016 ("Exponential expressivity in deep neural networks through transient chaos") and
Schoenholz et al. 2017 ("Deep information propagation"). Take weights with variance σ_w²/fan_in and
biases with variance σ_b², all independent with mean 0. In the limit of wide layers the
pre-activations ``z`` of layer l are Gaussian across units with second moment ``q_l``, and::

    q_1 = σ_w²·mean(x²) + σ_b²                       (mean over the input features)
    q_l = σ_w² · E_z[φ(√q_{l−1} z)²] + σ_b²            (z ~ N(0, 1))
        = σ_w²·q_{l−1}/2 + σ_b²                       (ReLU, closed form)

Backwards, the gradient of the cost with respect to the pre-activations shrinks or grows by the
factor ``χ_l = σ_w² · E_z[φ'(√q_l z)²]`` per layer (σ_w² of the weights above layer l), so
``‖∂C/∂z_l‖² ≈ ‖∂C/∂z_L‖² · Π_{k=l}^{L−1} χ_k``: χ > 1 explodes, χ < 1 vanishes, χ = 1 is the
edge of chaos. The fixed point q* = q_map(q*) and χ(q*) = 1 draw the critical line in the
(σ_w², σ_b²) plane that separates the ordered phase (χ < 1) from the chaotic one (χ > 1).

Every function is written over an activation's ``forward``/``derivative`` from
:mod:`initlab.nn.activations`, so each registered activation works; ReLU also has its closed form.
:func:`weight_variances` reads σ_w², σ_b² of every layer off the variance rule a variance-based
initializer declares in the registry (:mod:`initlab.initializers.variance`).

>>> from initlab.nn import activations
>>> relu = activations.get("relu")
>>> predicted_q([relu, relu], sigma_w2=[2.0, 2.0, 2.0], sigma_b2=[0.0, 0.0, 0.0], q_in=0.5).tolist()
[1.0, 1.0, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.polynomial.legendre import leggauss

from initlab.errors import InitlabError
from initlab.initializers.registry import variance_rules

if TYPE_CHECKING:
    from initlab.initializers.registry import Initializer
    from initlab.nn.activations import Activation

ArrayLike = float | np.ndarray | Sequence[float]

# -- Gaussian expectations ---------------------------------------------------------------------
#
# E_z[f(√q z)] = ∫ f(√q z) N(z) dz. Every activation has its kink (ReLU, ELU) or its transition
# (tanh, sigmoid) at z = 0, and for large q the transition is only 1/√q wide in z. A global
# Gauss–Hermite rule (numpy's ``hermegauss``) is exact for polynomials but blind to both: with 100
# nodes it is off by 4 % for E[tanh²] and 50 % for E[tanh'²] at q = 100, and only gets ReLU right
# because its nodes are symmetric about 0. Large random weights live exactly at such q. So the
# line is split at 0 and each half integrated by Gauss–Legendre on panels that shrink by decades
# toward 0: smooth on every panel; relative error ~1e-15 for q of order 1 and below 1e-8 up to
# q = 1e14 (tested against Gauss–Hermite for smooth integrands, the ReLU closed form and scipy's
# adaptive quad).

_EDGES = np.concatenate(
    [[0.0], 10.0 ** np.arange(-7, 0), [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.5, 7.0, 8.5, 10.5]]
)
_NODES = 16


def _half_line_rule() -> tuple[np.ndarray, np.ndarray]:
    """Nodes t > 0 and weights w with Σ w·g(t) ≈ ∫_0^∞ g(t) N(t) dt, N the standard normal pdf."""
    x, w = leggauss(_NODES)
    lo, hi = _EDGES[:-1, None], _EDGES[1:, None]
    t = (lo + (hi - lo) * (x + 1) / 2).ravel()
    weights = ((hi - lo) / 2 * w).ravel() * np.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
    return t, weights


_T, _W = _half_line_rule()


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], q: ArrayLike) -> np.ndarray:
    """``E_z[f(√q z)]`` for z ~ N(0, 1), elementwise over ``q`` (≥ 0).

    Computed as ∫_0^∞ [f(√q t) + f(−√q t)] N(t) dt by composite Gauss–Legendre (see above).

    >>> float(gaussian_expectation(lambda h: h**2, 3.0))
    3.0000000000000004
    """
    q = np.asarray(q, dtype=float)
    h = np.sqrt(q)[..., None] * _T
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        values = f(h) + f(-h)
    return (values * _W).sum(axis=-1)


def _is_relu(activation: Activation) -> bool:
    return activation.name == "relu"


def mean_square(activation: Activation, q: ArrayLike) -> np.ndarray:
    """``E_z[φ(√q z)²]``; for ReLU the closed form q/2."""
    q = np.asarray(q, dtype=float)
    if _is_relu(activation):
        return q / 2
    return gaussian_expectation(lambda h: activation.forward(h) ** 2, q)


def mean_square_derivative(activation: Activation, q: ArrayLike) -> np.ndarray:
    """``E_z[φ'(√q z)²]``; for ReLU the closed form 1/2 (0 at q = 0, where φ'(0) = 0)."""
    q = np.asarray(q, dtype=float)
    if _is_relu(activation):
        return np.where(q > 0, 0.5, 0.0)
    return gaussian_expectation(lambda h: activation.derivative(h, activation.forward(h)) ** 2, q)


def q_map(activation: Activation, q: ArrayLike, sigma_w2: ArrayLike, sigma_b2: ArrayLike):
    """One layer of the forward recursion: ``σ_w² · E_z[φ(√q z)²] + σ_b²``."""
    return np.asarray(sigma_w2) * mean_square(activation, q) + np.asarray(sigma_b2)


def chi(activation: Activation, q: ArrayLike, sigma_w2: ArrayLike) -> np.ndarray:
    """The backward factor ``χ = σ_w² · E_z[φ'(√q z)²]`` of a layer with pre-activation second
    moment ``q`` feeding weights of variance σ_w²/fan_in."""
    return np.asarray(sigma_w2) * mean_square_derivative(activation, q)


# -- Through a network ---------------------------------------------------------------------------


def predicted_q(
    activations: Sequence[Activation],
    sigma_w2: Sequence[float] | np.ndarray,
    sigma_b2: Sequence[float] | np.ndarray,
    q_in: ArrayLike,
) -> np.ndarray:
    """``q_l`` of every layer's pre-activation, l = 1..L (the last is the output's logits).

    ``activations`` are the L−1 hidden activations, ``sigma_w2``/``sigma_b2`` one per weight layer,
    ``q_in`` the mean squared input feature ``mean_j x_j²`` — one number, or one per sample (then
    the result has a trailing sample axis: the recursion is run for each sample).
    """
    q = np.asarray(sigma_w2[0]) * np.asarray(q_in, dtype=float) + sigma_b2[0]
    out = [q]
    for activation, sw2, sb2 in zip(activations, sigma_w2[1:], sigma_b2[1:], strict=True):
        q = q_map(activation, q, sw2, sb2)
        out.append(q)
    return np.stack(out)


def predicted_chi(
    activations: Sequence[Activation], sigma_w2: Sequence[float] | np.ndarray, q: np.ndarray
) -> np.ndarray:
    """``χ_l`` of every hidden layer l = 1..L−1, from its ``q_l`` and the σ_w² of layer l+1."""
    out = [chi(a, q[i], sigma_w2[i + 1]) for i, a in enumerate(activations)]
    return np.stack(out) if out else np.zeros((0, *np.shape(q)[1:]))


def gradient_norms(chis: np.ndarray, top: ArrayLike) -> np.ndarray:
    """Predicted ``‖∂C/∂z_l‖`` for l = 1..L from the norm at the output, ``top`` = ‖∂C/∂z_L‖.

    ``‖∂C/∂z_l‖² = ‖∂C/∂z_L‖² · Π_{k=l}^{L−1} χ_k``. With per-sample ``chis`` (shape (L−1, m)) give
    ``top`` per sample (the output gradient's norm for each sample); the norms are then summed
    over the samples as the measured ‖∂C/∂z_l‖ is.
    """
    chis = np.asarray(chis, dtype=float)
    top2 = np.asarray(top, dtype=float) ** 2
    with np.errstate(over="ignore", invalid="ignore"):
        below = np.cumprod(chis[::-1], axis=0)[::-1]
        squares = np.concatenate([below * top2, top2[None]])
    squares = squares.reshape(len(squares), -1).sum(axis=1)
    return np.sqrt(squares)


# -- Fixed point and critical line -------------------------------------------------------------

Q_MIN, Q_MAX = 1e-12, 1e12


def fixed_point(
    activation: Activation, sigma_w2: ArrayLike, sigma_b2: ArrayLike, iterations: int = 60
) -> np.ndarray:
    """The fixed point ``q* = σ_w²·E[φ(√q* z)²] + σ_b²`` (elementwise over the σ's).

    Found by bisection in log q on [1e-12, 1e12] for the sign change of ``q_map(q) − q``: 0 when the
    map pulls every q down (tanh with σ_w² ≤ 1, σ_b² = 0), ``inf`` when it pushes every q up (ReLU
    with σ_w² > 2). For ReLU the closed form σ_b²/(1 − σ_w²/2). Assumes one stable fixed point, as
    for the odd saturating activations (tanh) and the monotone ones this library ships.
    """
    sw2, sb2 = np.broadcast_arrays(np.asarray(sigma_w2, float), np.asarray(sigma_b2, float))
    if _is_relu(activation):
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(sw2 < 2, sb2 / (1 - sw2 / 2), np.inf)
        return np.where((sw2 == 2) & (sb2 == 0), np.nan, q)
    lo = np.full(sw2.shape, math.log(Q_MIN))
    hi = np.full(sw2.shape, math.log(Q_MAX))

    def rises(log_q):
        q = np.exp(log_q)
        return q_map(activation, q, sw2, sb2) > q

    up_at_lo, up_at_hi = rises(lo), rises(hi)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        up = rises(mid)
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    q = np.exp((lo + hi) / 2)
    q = np.where(~up_at_lo, 0.0, q)
    return np.where(up_at_hi, np.inf, q)


def chi_at_fixed_point(activation: Activation, sigma_w2: ArrayLike, sigma_b2: ArrayLike):
    """``χ(q*)`` over the (σ_w², σ_b²) plane: < 1 ordered, > 1 chaotic."""
    q = fixed_point(activation, sigma_w2, sigma_b2)
    q = np.where(np.isnan(q), 1.0, np.clip(q, Q_MIN, Q_MAX))  # q* = 0: the limit q → 0
    return chi(activation, q, sigma_w2)


def critical_line(activation: Activation, sigma_b2: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``(σ_w², q*)`` on the critical line χ(q*) = 1 for each σ_b² given.

    At the critical point both q* = σ_w²·E[φ²] + σ_b² and σ_w²·E[φ'²] = 1 hold, so
    σ_w² = 1/E[φ'(√q* z)²] and σ_b² = q* − E[φ²]/E[φ'²] (Schoenholz et al. 2017, §3): a curve
    parametrized by q*. For each σ_b² the q* with that σ_b² is found on a log grid and refined by
    bisection; where the curve reaches σ_b² more than once (SELU: at q* → 0 and at q* = 1 for
    σ_b² = 0) the largest q* is taken, the stable fixed point. Where no q* ≤ 1e12 reaches σ_b²
    (ReLU, for which E[φ²]/E[φ'²] = q), the line is the limit q* → ∞: σ_w² = 1/E[φ'²] there (2 for
    ReLU).

    >>> from initlab.nn import activations
    >>> sw2, q = critical_line(activations.get("tanh"), [0.0])
    >>> round(float(sw2[0]), 6)
    1.0
    """
    target = np.atleast_1d(np.asarray(sigma_b2, dtype=float))

    def bias_of(log_q):
        q = np.exp(log_q)
        return q - mean_square(activation, q) / mean_square_derivative(activation, q)

    grid = np.linspace(math.log(Q_MIN), math.log(Q_MAX), 481)
    with np.errstate(divide="ignore", invalid="ignore"):
        along = bias_of(grid)
    log_q = np.full(target.shape, np.inf)
    for i, b in enumerate(target):
        reach = along >= b - 1e-13 * np.maximum(max(1.0, abs(b)), np.exp(grid))
        crossings = np.nonzero(reach[1:] & ~reach[:-1])[0]
        if crossings.size:  # the largest q* (the stable fixed point when there are several)
            lo, hi = grid[crossings[-1]], grid[crossings[-1] + 1]
            for _ in range(60):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if bias_of(mid) < b else (lo, mid)
            log_q[i] = (lo + hi) / 2
        elif reach[0]:
            log_q[i] = grid[0]
    q = np.exp(log_q)
    q_eval = np.where(np.isfinite(q), q, Q_MAX)
    return 1.0 / mean_square_derivative(activation, q_eval), q


# -- σ_w², σ_b² of an initializer ------------------------------------------------------------------
#
# Each registered initializer declares its rule (``variance=`` in
# :func:`initlab.initializers.registry.register`): Var(W) from its parameters and fans, Var(b) when
# it draws a bias, and which parameters give zero-mean weights. For the truncated normals of
# Keras/JAX the std is divided by 0.8796 precisely so the kept variance is scale/n.


def supported() -> list[str]:
    """The initializers the theory can read σ_w², σ_b² from (variance-based, zero-mean, i.i.d.):
    every registered one that declares a variance rule."""
    return sorted(variance_rules())


def weight_variances(
    initializer: Initializer, sizes: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """``(σ_w², σ_b²)`` of every weight layer of a network ``sizes`` under ``initializer``.

    ``σ_w² = fan_in · Var(W)`` and ``σ_b² = Var(b)``, Var from the initializer's registered rule.
    For the width-free schemes (he: 2, lecun: 1, glorot: 2·fan_in/(fan_in+fan_out),
    variance_scaling: scale·fan_in/n) it does not depend on the width; for those with an absolute
    spread — the course's ``random`` (std = scale, not scale/√fan_in), ``normal``, ``uniform`` —
    σ_w² = std²·fan_in grows with the layer's width. Orthogonal, identity, sparse, LSUV, ``ones``
    and custom callables are not i.i.d. zero-mean draws: they raise an :class:`InitlabError` naming
    the supported ones.
    """
    name, params = initializer.name, dict(initializer.params)
    rule = variance_rules().get(name)
    if rule is None or (initializer.bias is not None and rule.bias is None):
        raise InitlabError(
            f"the signal-propagation theory needs an initializer drawing i.i.d. zero-mean weights "
            f"of known variance; {initializer.spec!r} is not one. "
            f"Supported: {', '.join(supported())}"
        )
    if not rule.zero_mean(params):
        raise InitlabError(
            f"the signal-propagation theory needs zero-mean weights; {name} with "
            f"{', '.join(f'{k}={v}' for k, v in params.items())} has a non-zero mean"
        )
    sw2, sb2 = [], []
    try:
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            sw2.append(fan_in * rule.weight(params, fan_in, fan_out))
            sb2.append(rule.bias(params, fan_in) if rule.bias is not None else 0.0)
    except OverflowError:  # e.g. random:scale=1e200, whose variance 1e400 is no float
        raise InitlabError(
            f"the signal-propagation theory cannot compute {initializer.spec!r}: its weight "
            "variance is beyond the largest float (about 1.8e308)"
        ) from None
    return np.array(sw2), np.array(sb2)
