"""Parametrizations of an MLP's width scaling: per-layer initial variance and learning rate.

An abc-parametrization (Yang & Hu 2021, "Tensor Programs IV: Feature learning in
infinite-width neural networks"; Yang et al. 2022, "Tensor Programs V: Tuning large neural
networks via zero-shot hyperparameter transfer", Table 3 — μP for SGD, written in the standard
parametrization's terms, and the ``mup`` package's ``MuReadout``/``set_base_shapes``) says how
each layer's initial variance and SGD learning rate scale with the width. With widths measured
relative to a base network (width multiplier ``m = fan/base_fan``, so every rule is 1 at the base
width and the parametrizations coincide there with SP):

=========  ===========================  ===========================  ===========================
layer      sp                           ntk                          mup (Tensor Programs V)
=========  ===========================  ===========================  ===========================
input      Var σ_w²/fan_in, lr η        Var σ_w²/fan_in, lr η        Var σ_w²/fan_in, lr η·m_out
hidden     Var σ_w²/fan_in, lr η        Var σ_w²/fan_in, lr η/m_in   Var σ_w²/fan_in, lr η
output     Var 1/fan_in, lr η           Var 1/fan_in, lr η/m_in      Var 1/(fan_in·m_in), lr η/m_in
biases     0, lr η                      0, lr η                      0, lr η·m_out
=========  ===========================  ===========================  ===========================

(``ntk`` is the NTK parametrization's gradient descent rewritten for weights stored at SP scale:
W = w/√fan_in with lr η on w moves W by η/fan_in times the SP step.) Under SP with a fixed η the
hidden features move by Θ(√n) and the logits by Θ(n) after one step, so the best η shrinks with
the width; under μP every layer moves by Θ(1) and the best η stays put.

A :class:`~initlab.nn.network.Network` with ``parametrization="ntk"`` or ``"mup"`` and a
``base_width`` takes its multipliers from this table with the base network's hidden widths all
``base_width`` (:func:`network_multipliers`): its initializer draws the SP weights, the output
layer's are then scaled by √(variance ratio) (μP: 1/√m_in), and both engines step layer l's W and b
with η times its multipliers. Gradient descent on an abc-parametrization (W = n^−a·w,
w ~ N(0, n^−2b), lr η·n^−c) moves W by η·n^−(2a+c)·∂L/∂W, so a per-layer initial scale and a
per-layer learning rate on W are all any of them needs (Tensor Programs V, §3 and Table 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from initlab.errors import unknown_choice

PARAMETRIZATIONS = ("sp", "ntk", "mup")


@dataclass(frozen=True)
class LayerScaling:
    """One weight layer: its weights' initial variance and the multipliers of η for W and b."""

    variance: float
    lr: float
    bias_lr: float


def check_parametrization(name: str) -> str:
    if not isinstance(name, str) or name not in PARAMETRIZATIONS:
        raise unknown_choice("parametrization", str(name), PARAMETRIZATIONS)
    return name


def base_sizes(sizes: Sequence[int], base_width: int) -> tuple[int, ...]:
    """The base network of ``sizes``: the same inputs and outputs, every hidden width
    ``base_width``."""
    return (sizes[0], *([base_width] * (len(sizes) - 2)), sizes[-1])


@dataclass(frozen=True)
class Multipliers:
    """What a parametrization changes in a network relative to SP: each weight layer's factor on
    its drawn weights (``init``) and on η for its W and b (``lr``, ``bias_lr``)."""

    init: tuple[float, ...]
    lr: tuple[float, ...]
    bias_lr: tuple[float, ...]

    @property
    def is_identity(self) -> bool:
        """Every factor 1: the network trains exactly as under SP."""
        return all(v == 1.0 for v in (*self.init, *self.lr, *self.bias_lr))


def network_multipliers(
    parametrization: str, sizes: Sequence[int], base_width: int | None
) -> Multipliers:
    """The :class:`Multipliers` of the network ``sizes`` under ``parametrization`` with its base
    network's hidden widths ``base_width`` (all 1 for ``"sp"``, or when every hidden width is
    ``base_width``).

    >>> network_multipliers("mup", (2, 256, 256, 1), 64).lr
    (4.0, 1.0, 0.25)
    """
    L = len(sizes) - 1
    if parametrization == "sp" or base_width is None:
        return Multipliers((1.0,) * L, (1.0,) * L, (1.0,) * L)
    base = base_sizes(sizes, base_width)
    chosen = layer_scalings(parametrization, sizes, base)
    standard = layer_scalings("sp", sizes, base)
    init = tuple(
        1.0 if c.variance == s.variance else (c.variance / s.variance) ** 0.5
        for c, s in zip(chosen, standard, strict=True)
    )
    return Multipliers(init, tuple(c.lr for c in chosen), tuple(c.bias_lr for c in chosen))


def layer_scalings(
    parametrization: str, sizes: Sequence[int], base_sizes: Sequence[int], sigma_w2: float = 1.0
) -> list[LayerScaling]:
    """The :class:`LayerScaling` of each weight layer of the network ``sizes`` (inputs, hidden...,
    outputs) whose base network is ``base_sizes`` (same depth), per the table above."""
    parametrization = check_parametrization(parametrization)
    out = []
    last = len(sizes) - 2
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        m_in = fan_in / base_sizes[l]
        m_out = fan_out / base_sizes[l + 1]
        variance = (1.0 if l == last else sigma_w2) / fan_in
        lr = bias_lr = 1.0
        if parametrization == "ntk" and l > 0:
            lr = 1.0 / m_in
        elif parametrization == "mup":
            if l == 0:
                lr = m_out
            elif l == last:
                variance /= m_in
                lr = 1.0 / m_in
            bias_lr = m_out
        out.append(LayerScaling(variance, lr, bias_lr))
    return out
