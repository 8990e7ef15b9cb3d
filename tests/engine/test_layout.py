"""The compiled engine's flat layout: pack and unpack are inverse, W row-major then b."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from initlab.engine import layout


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    K=st.integers(1, 4),
    seed=st.integers(0, 1000),
)
def test_pack_and_unpack_are_inverse(sizes, K, seed):
    rng = np.random.default_rng(seed)
    params = [
        (rng.standard_normal((K, o, i)), rng.standard_normal((K, o, 1)))
        for i, o in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    theta = layout.pack(params, np.float64)
    sizes_, woff, boff, zrow = layout.layout(tuple(sizes))
    assert theta.shape == (K, int(boff[-1]) + sizes[-1])
    assert list(zrow) == list(np.cumsum([0, *sizes[1:-1]]))
    for li, (W, b) in enumerate(params):  # W row-major, then b, layer after layer
        np.testing.assert_array_equal(theta[:, woff[li] : woff[li] + W[0].size], W.reshape(K, -1))
        np.testing.assert_array_equal(theta[:, boff[li] : boff[li] + b[0].size], b.reshape(K, -1))
    for (W, b), (W1, b1) in zip(params, layout.unpack(theta, tuple(sizes)), strict=True):
        np.testing.assert_array_equal(W, W1)
        np.testing.assert_array_equal(b, b1)
