"""The peers ``initlab bench`` times beside initlab, in the same process, when installed
(``pip install 'initlab[peers]'`` brings PyTorch and JAX): each a name, the module it needs and a
factory ``factory(params, X, Y, lr) → run(iterations)`` training the K models of ``params``
(:mod:`initlab.bench.peer_numpy`, :mod:`~initlab.bench.peer_torch`, :mod:`~initlab.bench.peer_jax`).
A peer whose module is missing is marked absent, not skipped in silence."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from initlab.bench.peer_jax import jax_scan_runner
from initlab.bench.peer_numpy import numpy_stacked_runner
from initlab.bench.peer_torch import torch_bmm_runner


@dataclass(frozen=True)
class Peer:
    name: str
    module: str  # the library it needs
    factory: Callable
    label: str  # how the tables name it


PEERS = (
    Peer("numpy-stacked", "numpy", numpy_stacked_runner, "NumPy, K stacked"),
    Peer("torch-bmm", "torch", torch_bmm_runner, "PyTorch bmm"),
    Peer("jax-scan", "jax", jax_scan_runner, "JAX jit+vmap+scan"),
)


def peer(name: str) -> Peer:
    return next(p for p in PEERS if p.name == name)


def absent(name: str) -> str | None:
    """Why peer ``name`` cannot run here (its library is not installed), or ``None``."""
    module = peer(name).module
    if importlib.util.find_spec(module) is None:
        return f"{module} is not installed (pip install 'initlab[peers]')"
    return None
