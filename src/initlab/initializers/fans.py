"""Fan-in and fan-out of a weight matrix.

Weights are stored as PyTorch lays them out, shape ``(fan_out, fan_in)``: row ``j`` holds the
incoming weights of unit ``j``. (JAX and Keras store ``(fan_in, fan_out)``; the transpose has the
same fans.)
"""

from __future__ import annotations

from initlab.errors import InitlabError


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of shape ``(fan_out, fan_in)``.

    >>> fans((10, 2))
    (2, 10)
    """
    if len(shape) != 2:
        raise InitlabError(f"a weight shape must be (fan_out, fan_in); got {tuple(shape)}")
    fan_out, fan_in = shape
    return int(fan_in), int(fan_out)
