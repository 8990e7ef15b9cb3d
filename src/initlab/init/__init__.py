"""Initializers: one registry, addressed by name or ``name:key=value`` spec.

``initlab.initializers.get(spec)`` returns a callable ``(shape, rng) -> ndarray`` for a weight of shape
``(fan_out, fan_in)``.
"""

from initlab.init import course as _course  # noqa: F401  (registers the course's initializers)
from initlab.init.fans import fans
from initlab.init.network import init_network
from initlab.init.registry import REGISTRY, Initializer, InitializerInfo, get, info, names

__all__ = [
    "REGISTRY",
    "Initializer",
    "InitializerInfo",
    "fans",
    "get",
    "info",
    "init_network",
    "names",
]
