"""Initializers of residual MLPs: Fixup, SkipInit and ReZero start every residual branch at zero.

A residual block maps x to ``x + α·f(x)`` (:mod:`initlab.nn.residual`); B blocks, each branch of m
Linear+activation layers. Each scheme draws every weight with He normal (``N(0, 2/fan_in)``,
:func:`~initlab.initializers.he_normal`), biases zero, then applies its rule to the whole network
and sets the scalars α (trained by all three):

- **Fixup** (Zhang, Dauphin & Ma 2019, "Fixup initialization: residual learning without
  normalization", ICLR; §3): the classification (output) layer and the last layer of every branch
  are 0; the other layers of a branch are multiplied by ``B^(−1/(2m−2))`` (m ≥ 2; a one-layer
  branch has no such layer); a scalar multiplier per branch, α = 1, and scalar biases at 0 (here
  the layers' own biases, which start at 0).
- **SkipInit** (De & Smith 2020, "Batch normalization biases residual blocks towards the identity
  function in deep networks", NeurIPS): a learnable scalar at the end of every branch, α = 0
  (``alpha`` to start elsewhere, as the paper's small-constant variant).
- **ReZero** (Bachlechner et al. 2021, "ReZero is all you need: fast convergence at large depth",
  UAI): ``x + α·F(x)`` with α = 0, trained.

With φ(0) = 0 (ReLU, tanh, …) every branch outputs exactly 0 at initialization under all three,
so the network is its first and last layers around an identity map. They need residual blocks.
"""

from __future__ import annotations

import numpy as np

from initlab import checks
from initlab.errors import InitlabError
from initlab.initializers.registry import Layers, NetworkFn, Rng, WeightFn, register
from initlab.initializers.variance_scaling import he_normal

Blocks = tuple[tuple[int, int], ...]


def residual_scalars(blocks: Blocks, alpha: float, trained: bool) -> tuple[np.ndarray, np.ndarray]:
    """The ``(α (B, 1), trained (B,))`` entry that ends a residual network's layers."""
    B = len(blocks)
    return np.full((B, 1), float(alpha)), np.full(B, 1.0 if trained else 0.0)


def require_blocks(name: str, blocks: Blocks) -> None:
    if not blocks:
        raise InitlabError(
            f"initializer {name!r} is for residual networks: give the layer list residual blocks, "
            f"e.g. --layers auto,64,res64x16,auto (or use he, zero, idinit or rai on a plain MLP)"
        )


def fixup_layers(layers: Layers, sizes: tuple[int, ...], blocks: Blocks) -> Layers:
    """Fixup's rule on drawn layers: zero output layer and branch ends, ``B^(−1/(2m−2))`` on the
    other branch layers; biases zero."""
    out = [(np.array(W, dtype=float), np.zeros_like(b, dtype=float)) for W, b in layers]
    B = len(blocks)
    for start, m in blocks:
        for layer in range(start, start + m - 1):
            out[layer] = (out[layer][0] * B ** (-1.0 / (2 * m - 2)), out[layer][1])
        last = start + m - 1
        out[last] = (np.zeros_like(out[last][0]), out[last][1])
    out[-1] = (np.zeros_like(out[-1][0]), out[-1][1])
    return out


def _fixup_rule() -> NetworkFn:
    def rule(layers: Layers, sizes: tuple[int, ...], blocks: Blocks, rng: Rng) -> Layers:
        require_blocks("fixup", blocks)
        return [*fixup_layers(layers, sizes, blocks), residual_scalars(blocks, 1.0, True)]

    return rule


def _scalar_rule(name: str, alpha: float) -> NetworkFn:
    def rule(layers: Layers, sizes: tuple[int, ...], blocks: Blocks, rng: Rng) -> Layers:
        require_blocks(name, blocks)
        return [*layers, residual_scalars(blocks, alpha, True)]

    return rule


@register(
    "fixup",
    formula="He; output layer and last layer of each branch 0; other branch layers × "
    "B^(−1/(2m−2)); α = 1 trained",
    frameworks={"paper": "Zhang, Dauphin & Ma 2019 (Fixup)"},
    network=_fixup_rule,
)
def fixup() -> WeightFn:
    """Fixup: He normal draws, rescaled and zeroed over the whole network (see the module)."""
    return he_normal()


@register(
    "skipinit",
    formula="He; x + α·f(x) with α = alpha (0), trained",
    frameworks={"paper": "De & Smith 2020 (SkipInit)"},
    network=lambda alpha=0.0: _scalar_rule("skipinit", alpha),
)
def skipinit(alpha: float = 0.0) -> WeightFn:
    """SkipInit: He normal weights, the branch scalar α = ``alpha`` (0), trained."""
    checks.number("alpha", alpha)
    return he_normal()


@register(
    "rezero",
    formula="He; x + α·f(x) with α = 0, trained",
    frameworks={"paper": "Bachlechner et al. 2021 (ReZero)"},
    network=lambda: _scalar_rule("rezero", 0.0),
)
def rezero() -> WeightFn:
    """ReZero: He normal weights, α = 0, trained."""
    return he_normal()
