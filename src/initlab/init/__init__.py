"""Initializers: one registry, addressed by name or ``name:key=value`` spec.

``initlab.initializers.get(spec)`` returns a callable ``(shape, rng) -> ndarray`` for a weight of
shape ``(fan_out, fan_in)``. Importing this package registers every initializer: the course's four
(:mod:`~initlab.init.course`, whose random streams the seed's numbers depend on),
``variance_scaling`` and its named forms, the frameworks' simple ones, orthogonal, sparse and LSUV.
"""

# The modules register their initializers; this order is the order of the table.
# isort: off
from initlab.init import course as _course  # noqa: F401
from initlab.init import variance_scaling as _variance_scaling  # noqa: F401
from initlab.init import basic as _basic  # noqa: F401
from initlab.init import orthogonal as _orthogonal  # noqa: F401
from initlab.init import sparse as _sparse  # noqa: F401
from initlab.init import lsuv as _lsuv  # noqa: F401

# isort: on
from initlab.init.fans import fans
from initlab.init.gain import calculate_gain
from initlab.init.network import init_network
from initlab.init.registry import REGISTRY, Initializer, InitializerInfo, get, info, names

__all__ = [
    "REGISTRY",
    "Initializer",
    "InitializerInfo",
    "calculate_gain",
    "fans",
    "get",
    "info",
    "init_network",
    "names",
]
