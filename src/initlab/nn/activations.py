"""Hidden-layer activations: name → (forward, derivative), the derivative reusing the forward
output.

Each :class:`Activation` has ``forward(z) -> a`` and ``derivative(z, a) -> φ'(z)`` (elementwise), so
backpropagation computes ``dZ = dA * derivative(Z, A)`` without recomputing the forward pass.
:data:`REGISTRY` is the one list of names (the compiled engine covers exactly these); each factory's
docstring gives φ and φ'. At a kink (z = 0 for relu, leaky_relu) the derivative takes the value
of the ``z <= 0`` branch, as the course does for ReLU.

>>> get("leaky_relu:slope=0.1").forward(np.array([-2.0, 3.0])).tolist()
[-0.2, 3.0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from initlab.errors import InitlabError
from initlab.registry import Registry
from initlab.specs import Spec, format_spec


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity φ with its derivative φ'(z), given z and a = φ(z)."""

    spec: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]

    @property
    def name(self) -> str:
        return self.spec.partition(":")[0]


REGISTRY: Registry[Callable[..., Activation]] = Registry("activation", lambda factory: factory)


def register(name: str, aliases: tuple[str, ...] = ()):
    """Decorator: register ``factory(spec, /, **params) -> Activation`` under ``name``."""

    def decorate(factory):
        REGISTRY.add(name, factory, aliases)
        return factory

    return decorate


def get(spec: str | Spec | Activation) -> Activation:
    """The activation for a spec such as ``"relu"``."""
    if isinstance(spec, Activation):
        return spec
    name, factory, params = REGISTRY.resolve(spec)
    return factory(format_spec(name, params), **params)


def names() -> list[str]:
    return REGISTRY.names()


@register("relu")
def relu(spec: str, /) -> Activation:
    """ReLU: φ(z) = max(0, z); φ'(z) = 1 where z > 0, else 0 (0 at z = 0, as the course)."""
    return Activation(
        spec,
        lambda z: np.maximum(0, z),
        lambda z, a: (a > 0).astype(a.dtype),
    )


@register("sigmoid", aliases=("logistic",))
def sigmoid(spec: str, /) -> Activation:
    """Logistic sigmoid: φ(z) = 1 / (1 + e^(−z)); φ'(z) = φ(z)(1 − φ(z))."""
    from scipy.special import expit

    return Activation(spec, expit, lambda z, a: a * (1 - a))


@register("leaky_relu", aliases=("lrelu",))
def leaky_relu(spec: str, /, slope: float = 0.01) -> Activation:
    """Leaky ReLU (Maas et al. 2013; ``torch.nn.LeakyReLU(negative_slope=0.01)``):
    φ(z) = z for z > 0, slope·z otherwise; φ'(z) = 1 for z > 0, else slope (slope at z = 0)."""
    slope = _number(spec, "slope", slope)
    return Activation(
        spec,
        lambda z: np.where(z > 0, z, slope * z),
        lambda z, a: np.where(z > 0, 1.0, slope),
    )


@register("elu")
def elu(spec: str, /, alpha: float = 1.0) -> Activation:
    """ELU (Clevert et al. 2016, "Fast and accurate deep network learning by exponential linear
    units"; ``torch.nn.ELU(alpha=1.0)``): φ(z) = z for z > 0, α(e^z − 1) otherwise;
    φ'(z) = 1 for z > 0, else α·e^z = φ(z) + α.

    ``expm1`` of ``min(z, 0)`` keeps the negative branch accurate near 0 and free of overflow for
    large positive z (whose value comes from the other branch).
    """
    alpha = _number(spec, "alpha", alpha)
    return Activation(
        spec,
        lambda z: np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))),
        lambda z, a: np.where(z > 0, 1.0, a + alpha),
    )


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@register("selu")
def selu(spec: str, /) -> Activation:
    """SELU (Klambauer et al. 2017, "Self-normalizing neural networks"; ``torch.nn.SELU``):
    φ(z) = λz for z > 0, λα(e^z − 1) otherwise; φ'(z) = λ for z > 0, else λα·e^z = φ(z) + λα,
    with α = 1.6732632423543772848… and λ = 1.0507009873554804934… (the paper's constants, which
    make N(0, 1) pre-activations map to zero mean and unit variance; pair with ``lecun_normal``).
    """
    la = SELU_SCALE * SELU_ALPHA
    return Activation(
        spec,
        lambda z: np.where(z > 0, SELU_SCALE * z, la * np.expm1(np.minimum(z, 0.0))),
        lambda z, a: np.where(z > 0, SELU_SCALE, a + la),
    )


_SQRT_HALF = 0.7071067811865476  # 1/√2
_INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π)


@register("gelu")
def gelu(spec: str, /) -> Activation:
    """GELU, the exact form (Hendrycks & Gimpel 2016; ``torch.nn.GELU(approximate='none')``,
    ``jax.nn.gelu(approximate=False)``): φ(z) = z·Φ(z), Φ the standard normal CDF;
    φ'(z) = Φ(z) + z·N(z), N(z) = e^(−z²/2)/√(2π) the standard normal density.

    Φ(z) is computed as ½·erfc(−z/√2), which equals ½(1 + erf(z/√2)) but keeps full relative
    precision for negative z. Not the tanh approximation.
    """
    from scipy.special import erfc

    return Activation(
        spec,
        lambda z: z * (0.5 * erfc(-z * _SQRT_HALF)),
        lambda z, a: 0.5 * erfc(-z * _SQRT_HALF) + z * _INV_SQRT_2PI * np.exp(-0.5 * z * z),
    )


@register("tanh")
def tanh(spec: str, /) -> Activation:
    """Hyperbolic tangent: φ(z) = tanh z = (e^z − e^(−z))/(e^z + e^(−z)); φ'(z) = 1 − φ(z)²."""
    return Activation(spec, np.tanh, lambda z, a: 1.0 - a * a)


@register("softplus")
def softplus(spec: str, /) -> Activation:
    """Softplus (Dugas et al. 2001; ``torch.nn.Softplus(beta=1)``): φ(z) = log(1 + e^z),
    computed as ``logaddexp(0, z)`` (no overflow); φ'(z) = σ(z) = 1/(1 + e^(−z))."""
    from scipy.special import expit

    return Activation(spec, lambda z: np.logaddexp(0.0, z), lambda z, a: expit(z))


@register("linear", aliases=("identity",))
def linear(spec: str, /) -> Activation:
    """Identity: φ(z) = z; φ'(z) = 1. A deep linear network computes a linear map, however deep."""
    return Activation(spec, lambda z: z, lambda z, a: np.ones_like(z))


def _number(spec: str, name: str, value: object) -> float:
    """A finite real parameter of an activation (checked once, when the activation is built)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise InitlabError(f"{name} of activation {spec!r} must be a finite number; got {value!r}")
    return float(value)
