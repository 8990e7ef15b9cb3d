"""The SIMD vector type's operations against NumPy, lane by lane: e^x within an ulp or two over
the whole range (overflow, underflow, subnormals, ±∞, NaN), the pairwise lane sum in its stated
order (one vector's and W vectors' at once), ReLU and its derivative with NaN, and the fused
multiply-add's single rounding."""

import math

import numpy as np
import pytest
from numba import njit

from initlab.engine.simd import (
    vexp,
    vfma,
    vfma_vv,
    vhsum,
    vhsums,
    vload,
    vmask,
    vrelu,
    vstore,
    width,
)


@njit(cache=False)
def _exp_all(x, out):
    for s in range(0, x.size, 64 // x.itemsize):
        vstore(out, s, vexp(vload(x, s)))


@njit(cache=False)
def _relu_mask_all(x, a, relu, mask):
    for s in range(0, x.size, 64 // x.itemsize):
        v = vload(x, s)
        vstore(relu, s, vrelu(v))
        vstore(mask, s, vmask(v, vload(a, s)))


@njit(cache=False)
def _lane_sums(x, out):
    lanes = 64 // x.itemsize
    for k in range(x.size // lanes):
        out[k] = vhsum(vload(x, k * lanes))


@njit(cache=False)
def _lane_sums_at_once(x, out):
    lanes = 64 // x.itemsize
    for k in range(x.size // (lanes * lanes)):
        vstore(out, k * lanes, vhsums(x, k * lanes * lanes))


@njit(cache=False)
def _fma_all(c, x, y, acc, out, out_vv):
    for s in range(0, x.size, 64 // x.itemsize):
        vstore(out, s, vfma(c, vload(x, s), vload(acc, s)))
        vstore(out_vv, s, vfma_vv(vload(x, s), vload(y, s), vload(acc, s)))


def _whole_vectors(values, dtype):
    x = np.asarray(values, dtype=dtype)
    return np.concatenate([x, np.zeros((-x.size) % width(x.itemsize), dtype)])


@pytest.mark.parametrize(("dtype", "ulps"), [(np.float64, 1), (np.float32, 2)])
def test_exp_is_within_an_ulp_or_two_of_numpy_everywhere(dtype, ulps):
    rng = np.random.default_rng(0)
    info = np.finfo(dtype)
    top, bottom = math.log(info.max), math.log(info.smallest_subnormal)
    x = _whole_vectors(
        np.concatenate(
            [
                rng.uniform(-30, 30, 20_000),
                rng.uniform(bottom - 5, top + 5, 20_000),
                [0.0, -0.0, 1e-300 if dtype == np.float64 else 1e-30, top, bottom, np.inf],
                [-np.inf, np.nan, top * 1.01, bottom * 1.01, 1e6, -1e6],
            ]
        ),
        dtype,
    )
    got = np.empty_like(x)
    _exp_all(x, got)
    with np.errstate(over="ignore", under="ignore"):
        want = np.exp(x)
    normal = np.isfinite(want) & (want >= info.tiny)
    assert np.all(np.abs(got[normal] - want[normal]) <= ulps * np.spacing(want[normal]))
    tiny = np.isfinite(want) & (want < info.tiny)  # subnormal or 0: within a few subnormal steps
    assert np.all(np.abs(got[tiny] - want[tiny]) <= 4 * info.smallest_subnormal)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.array_equal(got[np.isinf(want)], want[np.isinf(want)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lane_sum_adds_halves_pairwise(dtype):
    lanes = width(np.dtype(dtype).itemsize)
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(lanes * 50) * 10.0 ** rng.integers(-8, 8, lanes * 50)).astype(dtype)
    got = np.empty(50, dtype)
    _lane_sums(x, got)
    for k in range(50):
        v = x[k * lanes : (k + 1) * lanes].copy()
        while v.size > 1:  # the stated order: first half + second half, again and again
            v = v[: v.size // 2] + v[v.size // 2 :]
        assert got[k] == v[0]
    assert np.allclose(got, x.reshape(50, lanes).astype(np.float64).sum(axis=1), rtol=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_w_lane_sums_at_once_are_each_vectors_lane_sum_bit_for_bit(dtype):
    """vhsums (the step's transposed reduction) against vhsum, vector by vector: magnitudes
    over 16 decades make every grouping round differently, so only the same order matches."""
    lanes = width(np.dtype(dtype).itemsize)
    rng = np.random.default_rng(2)
    n = lanes * lanes * 6
    x = (rng.standard_normal(n) * 10.0 ** rng.integers(-8, 8, n)).astype(dtype)
    x[5] = np.nan
    x[lanes * lanes + 3] = np.inf
    one_by_one, at_once = np.empty(n // lanes, dtype), np.empty(n // lanes, dtype)
    _lane_sums(x, one_by_one)
    _lane_sums_at_once(x, at_once)
    np.testing.assert_array_equal(at_once, one_by_one)
    assert np.isnan(at_once[0]) and np.isinf(at_once[lanes])
    finite = x.reshape(-1, lanes)[lanes + 1 :]
    left_to_right = np.array([_in_order(v) for v in finite], dtype)
    assert not np.array_equal(at_once[lanes + 1 :], left_to_right)  # the data tells orders apart


def _in_order(v):
    total = v[0]
    for e in v[1:]:
        total = total + e  # in v's dtype, left to right
    return total


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_relu_and_its_derivative_treat_nan_as_numpy_does(dtype):
    x = _whole_vectors([-2.0, -0.0, 0.0, 3.0, np.nan, np.inf, -np.inf, 1e-30, np.inf], dtype)
    a = _whole_vectors([1.0, 0.0, 2.0, -1.0, 5.0, np.nan, 3.0, 1e-30, -1.0], dtype)
    relu, mask = np.empty_like(x), np.empty_like(x)
    _relu_mask_all(x, a, relu, mask)
    expected = np.maximum(np.zeros_like(x), x)
    np.testing.assert_array_equal(relu, expected)
    np.testing.assert_array_equal(np.signbit(relu), np.signbit(expected))  # relu(−0) = −0 too
    assert np.signbit(relu[1])
    # the derivative selects: d where a > 0, else +0 — numpy's d·(a > 0) wherever d is finite
    np.testing.assert_array_equal(mask, np.where(a > 0, x, 0))
    finite = np.isfinite(x)
    np.testing.assert_array_equal(mask[finite], x[finite] * (a[finite] > 0))
    assert mask[5] == 0 and mask[8] == 0 and not np.signbit(mask[1])  # ∞ where a is NaN or ≤ 0


def test_fused_multiply_add_rounds_once():
    """(1 + 2⁻³⁰)·(1 − 2⁻³⁰) − 1 = −2⁻⁶⁰ exactly: one rounding keeps it, two lose it to 0."""
    e = 2.0**-30
    x = np.full(8, 1 + e)
    y = np.full(8, 1 - e)
    acc = np.full(8, -1.0)
    out, out_vv = np.empty(8), np.empty(8)
    _fma_all(1 - e, x, y, acc, out, out_vv)
    assert (1 + e) * (1 - e) - 1 == 0.0  # two roundings
    np.testing.assert_array_equal(out, np.full(8, -(2.0**-60)))
    np.testing.assert_array_equal(out_vv, np.full(8, -(2.0**-60)))
