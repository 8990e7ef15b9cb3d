"""Orthogonal, sparse, identity and the constants: their defining properties, exactly."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from init_helpers import assert_moments, make_rng

from initlab import initializers

dims = st.integers(1, 40)
rng_kinds = st.sampled_from(["generator", "random_state"])
seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=60, deadline=None)
@given(rows=dims, cols=dims, gain=st.floats(0.1, 5), kind=rng_kinds, seed=seeds)
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(rows, cols, gain, kind, seed):
    W = initializers.get(f"orthogonal:gain={gain!r}")((rows, cols), make_rng(kind, seed))
    assert W.shape == (rows, cols)
    gram = W @ W.T if rows <= cols else W.T @ W
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-12 * gain**2)


def test_orthogonal_is_sign_corrected():
    # Without multiplying Q by sign(diag R), LAPACK's QR makes W[0, 0] negative in every draw;
    # with it, Q is Haar-distributed and W[0, 0] is positive half the time.
    init = initializers.get("orthogonal")
    rng = np.random.default_rng(0)
    n = 2000
    positive = sum(init((3, 3), rng)[0, 0] > 0 for _ in range(n))
    assert abs(positive - n / 2) <= 5 * math.sqrt(n / 4)


def test_orthogonal_entries_have_variance_one_over_n():
    # An entry of a Haar orthogonal n×n matrix has mean 0, variance 1/n, E[x⁴] = 3/(n(n+2));
    # one entry per draw, so the values are independent.
    init = initializers.get("orthogonal")
    rng = np.random.RandomState(4)
    n = 8
    x = np.array([init((n, n), rng)[0, 0] for _ in range(4000)])
    assert_moments(x, 0.0, 1 / n, 3 / (n * (n + 2)))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 60),
    cols=st.integers(1, 60),
    sparsity=st.floats(0, 1, exclude_max=True),
    std=st.floats(0.001, 10),
    kind=rng_kinds,
    seed=seeds,
)
def test_sparse_has_exactly_ceil_sparsity_rows_zeros_per_column(
    rows, cols, sparsity, std, kind, seed
):
    W = initializers.get(f"sparse:sparsity={sparsity!r},std={std!r}")(
        (rows, cols), make_rng(kind, seed)
    )
    assert W.shape == (rows, cols)
    expected = math.ceil(sparsity * rows)
    assert np.all((W == 0).sum(axis=0) == expected)


def test_sparse_zero_count_follows_pytorchs_float_arithmetic():
    # 0.07 · 100 = 7.000000000000001 in floating point, so PyTorch's ceil gives 8
    W = initializers.get("sparse:sparsity=0.07")((100, 5), np.random.default_rng(0))
    assert list((W == 0).sum(axis=0)) == [8] * 5


@settings(max_examples=10, deadline=None)
@given(std=st.floats(0.01, 10), sparsity=st.floats(0, 0.9), kind=rng_kinds, seed=seeds)
def test_sparse_non_zero_entries_are_normal_with_std(std, sparsity, kind, seed):
    W = initializers.get(f"sparse:sparsity={sparsity!r},std={std!r}")(
        (200, 200), make_rng(kind, seed)
    )
    x = W[W != 0]
    assert_moments(x, 0.0, std**2, 3 * std**4)


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (1, 1)])
@pytest.mark.parametrize("gain", [1.0, 0.5, 3.0])
def test_identity_is_gain_on_the_diagonal(shape, gain):
    W = initializers.get(f"eye:gain={gain}")(shape, np.random.default_rng(0))
    expected = np.zeros(shape)
    for i in range(min(shape)):
        expected[i, i] = gain
    assert np.array_equal(W, expected)


@pytest.mark.parametrize(
    "spec, value", [("zeros", 0.0), ("ones", 1.0), ("constant:value=-2.5", -2.5), ("constant", 0.0)]
)
def test_constants(spec, value):
    W = initializers.get(spec)((4, 3), np.random.RandomState(0))
    assert W.shape == (4, 3) and np.all(W == value)
