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
    if name not in PARAMETRIZATIONS:
        raise unknown_choice("parametrization", str(name), PARAMETRIZATIONS)
    return name


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
