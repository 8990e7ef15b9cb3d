"""The hidden layers' activations φ and derivatives φ' for the compiled engine, one kernel each.

The compiled kernel serves every network: the activation of each hidden layer is an integer code
with two parameters (:data:`ACTIVATION_CODES`), so numba compiles one specialization per dtype.
Each φ and φ' is written as :mod:`initlab.nn.activations` writes it, term for term (expit as
``1/(1 + e^(−z))``, scipy's; softplus as numpy's ``logaddexp(0, z)``; ``exp``, ``log1p``,
``tanh``, ``erfc`` the C library's, as numpy and scipy call them), so the compiled engine equals
the reference to rounding. Scalars of the model's dtype are passed in (``one``) so a float32 run
stays float32: numba types a literal such as 0.5 as float64.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from initlab.nn import activations as _activations
from initlab.specs import parse_spec

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from initlab.nn.network import Network

RELU, SIGMOID, LEAKY_RELU, SCALED_ELU, GELU, TANH, SOFTPLUS, LINEAR = range(8)

_SQRT_HALF = math.sqrt(0.5)  # 1/√2, as nn.activations.gelu
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # 1/√(2π)


def _selu_params(params: dict) -> tuple[float, float]:
    scale = _activations.SELU_SCALE
    return scale, scale * _activations.SELU_ALPHA


#: activation name → (code, function of the spec's params giving the kernel's two parameters)
ACTIVATION_CODES = {
    "relu": (RELU, lambda p: (0.0, 0.0)),
    "sigmoid": (SIGMOID, lambda p: (0.0, 0.0)),
    "leaky_relu": (LEAKY_RELU, lambda p: (float(p.get("slope", 0.01)), 0.0)),
    # ELU and SELU are one family: φ(z) = p0·z for z > 0, p1·(e^z − 1) otherwise
    "elu": (SCALED_ELU, lambda p: (1.0, float(p.get("alpha", 1.0)))),
    "selu": (SCALED_ELU, _selu_params),
    "gelu": (GELU, lambda p: (_SQRT_HALF, _INV_SQRT_2PI)),
    "tanh": (TANH, lambda p: (0.0, 0.0)),
    "softplus": (SOFTPLUS, lambda p: (0.0, 0.0)),
    "linear": (LINEAR, lambda p: (0.0, 0.0)),
}


def activation_codes(network: Network, dtype: DTypeLike) -> tuple[np.ndarray, np.ndarray]:
    """``(codes (L−1,), params (L−1, 2))`` of the hidden layers, for the kernel."""
    codes, params = [], []
    for activation in network.hidden_activations():
        code, make = ACTIVATION_CODES[activation.name]
        codes.append(code)
        params.append(make(dict(parse_spec(activation.spec).params)))
    return (
        np.array(codes, dtype=np.int64),
        np.array(params, dtype=dtype).reshape(len(codes), 2),
    )


@njit(cache=True, fastmath=False)
def logaddexp0(z, one):
    """numpy's ``logaddexp(0, z)`` = log(1 + e^z), overflow-free (``npy_logaddexp`` with x = 0)."""
    if z == 0:
        return math.log(one + one)
    if z < 0:  # 0 − z > 0: 0 + log1p(e^z)
        return math.log1p(math.exp(z))
    if z > 0:  # 0 − z <= 0: z + log1p(e^(−z))
        return z + math.log1p(math.exp(-z))
    return z  # NaN


@njit(cache=True, fastmath=False)
def activate(code, p0, p1, Z, A, one):
    """A = φ(Z) elementwise; φ by ``code``, written as in :mod:`initlab.nn.activations`."""
    zero = one - one
    half = one / (one + one)
    if code == RELU:  # np.maximum(0, z), which passes NaN through
        for s in range(Z.size):
            z = Z[s]
            A[s] = zero if z <= zero else z
    elif code == SIGMOID:  # expit
        for s in range(Z.size):
            A[s] = one / (one + math.exp(-Z[s]))
    elif code == LEAKY_RELU:  # where(z > 0, z, slope·z)
        for s in range(Z.size):
            z = Z[s]
            A[s] = z if z > zero else p0 * z
    elif code == SCALED_ELU:  # where(z > 0, p0·z, p1·expm1(min(z, 0)))
        for s in range(Z.size):
            z = Z[s]
            A[s] = p0 * z if z > zero else p1 * math.expm1(z)
    elif code == GELU:  # z·(½·erfc(−z·(1/√2)))
        for s in range(Z.size):
            z = Z[s]
            A[s] = z * (half * math.erfc(-z * p0))
    elif code == TANH:
        for s in range(Z.size):
            A[s] = math.tanh(Z[s])
    elif code == SOFTPLUS:  # logaddexp(0, z)
        for s in range(Z.size):
            A[s] = logaddexp0(Z[s], one)
    else:  # LINEAR
        for s in range(Z.size):
            A[s] = Z[s]


@njit(cache=True, fastmath=False)
def times_derivative(code, p0, p1, D, Z, A, one):
    """D ← D·φ'(Z, A) elementwise; φ' as in :mod:`initlab.nn.activations`."""
    zero = one - one
    half = one / (one + one)
    if code == RELU:  # (a > 0)
        for s in range(D.size):
            D[s] = D[s] * (one if A[s] > zero else zero)
    elif code == SIGMOID:  # a·(1 − a)
        for s in range(D.size):
            a = A[s]
            D[s] = D[s] * (a * (one - a))
    elif code == LEAKY_RELU:  # where(z > 0, 1, slope)
        for s in range(D.size):
            D[s] = D[s] * (one if Z[s] > zero else p0)
    elif code == SCALED_ELU:  # where(z > 0, p0, a + p1)
        for s in range(D.size):
            D[s] = D[s] * (p0 if Z[s] > zero else A[s] + p1)
    elif code == GELU:  # ½·erfc(−z·(1/√2)) + z·(1/√(2π))·e^(−½·z·z)
        for s in range(D.size):
            z = Z[s]
            D[s] = D[s] * (half * math.erfc(-z * p0) + z * p1 * math.exp(-half * z * z))
    elif code == TANH:  # 1 − a·a
        for s in range(D.size):
            a = A[s]
            D[s] = D[s] * (one - a * a)
    elif code == SOFTPLUS:  # expit(z)
        for s in range(D.size):
            D[s] = D[s] * (one / (one + math.exp(-Z[s])))
    else:  # LINEAR: × ones_like(z)
        for s in range(D.size):
            D[s] = D[s] * one
