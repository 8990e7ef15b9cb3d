"""``initlab.initializers``: the public face of the initializer registry (see :mod:`initlab.init`)."""

from initlab.init import REGISTRY, Initializer, InitializerInfo, fans, get, info, init_network, names

__all__ = ["REGISTRY", "Initializer", "InitializerInfo", "fans", "get", "info", "init_network", "names"]
