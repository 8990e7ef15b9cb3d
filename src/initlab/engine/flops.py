"""The arithmetic of one training iteration: its FLOP count, and what the NumPy engine needs for it.

Per model and iteration, a layer with ``fan_in`` inputs, ``fan_out`` units and ``m`` samples does
three matrix products of ``2·fan_out·fan_in·m`` floating-point operations each (a multiply and an
add per term): the forward ``Z = W·A``, the weight gradient ``dW = dZ·Aᵀ`` and the gradient
passed back ``dA = Wᵀ·dZ``; the first layer skips the last (nothing before it needs ``dA``)::

    FLOPs = Σ_l 2·fan_in_l·fan_out_l·m·(2 if l = 1 else 3)

The elementwise work (bias, activation and its derivative, the step) is O(units·m), left out, as
in the usual count of a dense network's training cost (Kaplan et al. 2020, "Scaling laws for
neural language models", §2.1: 6 FLOPs per parameter per sample, forward 2 and backward 4).
Example: the course's 2-10-5-1 on 300 points is 123,000 FLOPs per model-iteration.
"""

from __future__ import annotations

from collections.abc import Sequence

#: the NumPy engine's cost per iteration, fitted on the development machine (2 cores, AVX-512,
#: shared; 2026-12-02) and rounded towards slow: Python and NumPy call overhead per layer,
#: elementwise work per activation value (K·m·units), and the stacked small matrix products' rate
NUMPY_SECONDS_PER_LAYER = 28e-6
NUMPY_SECONDS_PER_VALUE = 3e-9
NUMPY_FLOPS_PER_SECOND = 5e9


def training_flops(sizes: Sequence[int], samples: int, models: int = 1) -> int:
    """Matrix-product FLOPs of one full-batch iteration (forward, backward, step) of ``models``
    networks of layer ``sizes`` (inputs first) on ``samples`` points (formula above)."""
    per_sample = sum(
        2 * fan_in * fan_out * (2 if layer == 0 else 3)
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))
    )
    return per_sample * samples * models


def numpy_seconds(sizes: Sequence[int], samples: int, models: int, iterations: int) -> float:
    """A rough, rather high estimate of the NumPy engine's time for ``iterations`` iterations:
    ``iterations × (layers·28 µs + K·m·units·3 ns + FLOPs / 5 GFLOP/s)`` (constants above; within
    a factor 2 of measured times on small networks, higher than them on wide ones)."""
    layers = len(sizes) - 1
    values = models * samples * sum(sizes[1:])
    flops = training_flops(sizes, samples, models)
    per_iteration = (
        layers * NUMPY_SECONDS_PER_LAYER
        + values * NUMPY_SECONDS_PER_VALUE
        + flops / NUMPY_FLOPS_PER_SECOND
    )
    return iterations * per_iteration
