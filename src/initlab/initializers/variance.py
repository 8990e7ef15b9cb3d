"""The variance rule an initializer declares, which the mean-field theory reads.

An initializer that draws every weight i.i.d. with mean 0 declares, when it registers,
``variance=Variance(weight, bias)``: ``weight(params, fan_in, fan_out)`` is Var(W) of a
``(fan_out, fan_in)`` weight drawn with ``params``, ``bias(params, fan_in)`` Var(b) when it draws a
bias. :mod:`initlab.analysis.theory` turns them into σ_w² = fan_in·Var(W) and σ_b² = Var(b)
(Poole et al. 2016, Schoenholz et al. 2017), so a new variance-based initializer is covered by the
theory without editing it.

``zero_mean(params)`` says whether those parameters give zero-mean weights (``normal:mean=1`` does
not; the theory then refuses it). An initializer whose weights are not i.i.d. zero-mean draws of a
known variance — orthogonal, identity, sparse, LSUV, ``ones`` — registers no rule
(``variance=None``): not variance-based.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Params = Mapping[str, Any]
WeightVariance = Callable[[Params, int, int], float]
BiasVariance = Callable[[Params, int], float]


def _always(params: Params) -> bool:
    return True


@dataclass(frozen=True)
class Variance:
    """Var(W) as ``weight(params, fan_in, fan_out)``, Var(b) as ``bias(params, fan_in)`` (``None``:
    the bias is zero) and whether ``params`` give zero-mean weights."""

    weight: WeightVariance
    bias: BiasVariance | None = None
    zero_mean: Callable[[Params], bool] = _always


def fan(fan_in: int, fan_out: int, mode: str) -> float:
    """``n`` of a variance-scaling mode: fan_in, fan_out or their mean (fan_avg)."""
    if mode == "fan_in":
        return float(fan_in)
    if mode == "fan_out":
        return float(fan_out)
    return (fan_in + fan_out) / 2.0


def scaled(scale: Callable[[Params], float], mode: Callable[[Params], str]) -> Variance:
    """The rule of a variance-scaling draw: Var(W) = scale / n, n = :func:`fan` of the mode."""
    return Variance(lambda p, fan_in, fan_out: scale(p) / fan(fan_in, fan_out, mode(p)))


def fixed(scale: float, mode: str) -> Variance:
    """The rule of ``variance_scaling(scale, mode, ...)`` with fixed settings."""
    return scaled(lambda p: scale, lambda p: mode)


def absolute(
    variance: Callable[[Params], float], zero_mean: Callable[[Params], bool] = _always
) -> Variance:
    """The rule of a draw with an absolute spread: Var(W) from the parameters alone, whatever the
    fans (so σ_w² = fan_in·Var(W) grows with the width)."""
    return Variance(lambda p, fan_in, fan_out: variance(p), zero_mean=zero_mean)
