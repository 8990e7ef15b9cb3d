"""Hidden-layer activations: name → (forward, derivative), the derivative reusing the forward output.

Each :class:`Activation` has ``forward(z) -> a`` and ``derivative(z, a) -> φ'(z)`` (elementwise), so
backpropagation computes ``dZ = dA * derivative(Z, A)`` without recomputing the forward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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
    """Decorator: register ``factory(spec, **params) -> Activation`` under ``name``."""

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
def relu(spec: str) -> Activation:
    """ReLU: φ(z) = max(0, z); φ'(z) = 1 where z > 0, else 0 (0 at z = 0, as the course)."""
    return Activation(
        spec,
        lambda z: np.maximum(0, z),
        lambda z, a: (a > 0).astype(a.dtype),
    )


@register("sigmoid")
def sigmoid(spec: str) -> Activation:
    """Logistic sigmoid: φ(z) = 1 / (1 + e^(−z)); φ'(z) = φ(z)(1 − φ(z))."""
    from scipy.special import expit

    return Activation(spec, expit, lambda z, a: a * (1 - a))
