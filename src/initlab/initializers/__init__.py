"""``initlab.initializers``: every initializer, by spec or as a function.

``get(spec)`` takes a name (``"he_normal"``), a name with parameters
(``"kaiming_uniform:a=2.236,mode=fan_out"``) or any callable ``(shape, rng) -> array`` and returns
an :class:`Initializer` drawing a ``(fan_out, fan_in)`` weight, as PyTorch lays it out; ``rng`` is a
numpy ``Generator`` or legacy ``RandomState``. The factories below are also usable directly, as in
JAX: ``glorot_uniform(gain=2.0)((256, 128), rng)``.

>>> import numpy as np
>>> w = get("xavier_uniform")((10, 2), np.random.default_rng(0))
>>> bool(np.abs(w).max() <= np.sqrt(6 / 12))
True
"""

# The modules register their initializers; this order is the order of the table.
# isort: off
from initlab.initializers import course as _course  # noqa: F401
from initlab.initializers import variance_scaling as _variance_scaling  # noqa: F401
from initlab.initializers import basic as _basic  # noqa: F401
from initlab.initializers import orthogonal as _orthogonal  # noqa: F401
from initlab.initializers import sparse as _sparse  # noqa: F401
from initlab.initializers import lsuv as _lsuv  # noqa: F401
from initlab.initializers import residual as _residual  # noqa: F401
from initlab.initializers import zero as _zero  # noqa: F401
from initlab.initializers import idinit as _idinit  # noqa: F401
from initlab.initializers import rai as _rai  # noqa: F401

# isort: on


from initlab.initializers.basic import (
    constant,
    identity,
    normal,
    ones,
    torch_linear,
    truncated_normal,
    uniform,
)
from initlab.initializers.catalog import rows as table
from initlab.initializers.course import he, large_random, lecun_normal, zeros
from initlab.initializers.fans import fans
from initlab.initializers.gain import calculate_gain
from initlab.initializers.lsuv import lsuv, lsuv_scale
from initlab.initializers.network import init_network
from initlab.initializers.orthogonal import orthogonal
from initlab.initializers.registry import (
    REGISTRY,
    Initializer,
    InitializerInfo,
    InitSpec,
    get,
    get_list,
    info,
    names,
    variance_rules,
)
from initlab.initializers.sparse import sparse
from initlab.initializers.variance import Variance
from initlab.initializers.variance_scaling import (
    glorot_normal,
    glorot_truncated_normal,
    glorot_uniform,
    he_normal,
    he_truncated_normal,
    he_uniform,
    lecun_truncated_normal,
    lecun_uniform,
    variance_scaling,
)

# The other frameworks' names for the same functions.
xavier_normal = glorot_normal
xavier_uniform = glorot_uniform
kaiming_normal = he_normal
kaiming_uniform = he_uniform
eye = identity

__all__ = [
    "REGISTRY",
    "Initializer",
    "InitializerInfo",
    "calculate_gain",
    "constant",
    "eye",
    "fans",
    "get",
    "get_list",
    "InitSpec",
    "glorot_normal",
    "glorot_truncated_normal",
    "glorot_uniform",
    "he",
    "he_normal",
    "he_truncated_normal",
    "he_uniform",
    "identity",
    "info",
    "init_network",
    "kaiming_normal",
    "kaiming_uniform",
    "large_random",
    "lecun_normal",
    "lecun_truncated_normal",
    "lecun_uniform",
    "lsuv",
    "lsuv_scale",
    "names",
    "normal",
    "ones",
    "orthogonal",
    "sparse",
    "table",
    "torch_linear",
    "truncated_normal",
    "uniform",
    "Variance",
    "variance_rules",
    "variance_scaling",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]
