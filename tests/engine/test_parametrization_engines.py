"""Width parametrizations (sp, ntk, μP) in both engines.

Independent checks: μP at its base width is SP to the bit (Tensor Programs V: every
parametrization coincides at the base shape); one step equals a step computed here by hand from
the reference's plain gradients with the multipliers of Tensor Programs V, Table 3, written out
for this network; the compiled engine equals the reference; and the famous behaviour: after one
SGD step the logits move Θ(width) under SP and Θ(1) under μP.
"""

from __future__ import annotations

import numpy as np
import pytest

from initlab import engine, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.errors import InitlabError
from initlab.nn.network import Network


def _data(n_in: int = 2, m: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n_in, m))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    return X, Y


def _pair(width: int, base: int, parametrization: str = "mup", activation: str = "tanh"):
    sizes = (2, width, width, 1)
    return (
        Network(sizes, activation, "sigmoid"),
        Network(sizes, activation, "sigmoid", parametrization=parametrization, base_width=base),
    )


@pytest.mark.parametrize("parametrization", ["ntk", "mup"])
@pytest.mark.parametrize("name", ["numpy", "fast"])
def test_at_the_base_width_every_parametrization_is_sp_to_the_bit(parametrization, name):
    sp, other = _pair(24, 24, parametrization)
    X, Y = _data()
    he = initializers.get("he")
    a = initial_batch(sp, [(he, 1), (he, 2)])
    b = initial_batch(other, [(he, 1), (he, 2)])
    for (W1, b1), (W2, b2) in zip(a, b, strict=True):
        assert np.array_equal(W1, W2) and np.array_equal(b1, b2)
    ha = engine.train(sp, a, X, Y, 0.5, 60, every=10, engine=name)
    hb = engine.train(other, b, X, Y, 0.5, 60, every=10, engine=name)
    assert np.array_equal(ha.costs, hb.costs)
    for (W1, _), (W2, _) in zip(ha.params, hb.params, strict=True):
        assert np.array_equal(W1, W2)


def test_one_mup_step_is_the_sp_gradient_times_table_3s_multipliers():
    width, base, lr = 96, 24, 0.3  # m = 4 on both hidden layers
    sp, mup = _pair(width, base)
    X, Y = _data()
    he = initializers.get("he")
    drawn = initial_batch(sp, [(he, 5)])
    start = initial_batch(mup, [(he, 5)])
    # μP's initial weights: SP's draw, the output layer's scaled by 1/√m_in = 1/2
    assert np.array_equal(start[0][0], drawn[0][0]) and np.array_equal(start[1][0], drawn[1][0])
    np.testing.assert_allclose(start[2][0], drawn[2][0] / 2, rtol=0, atol=0)
    _, grads = reference.gradients(mup, start, X, Y)
    # Table 3 (SGD), widths relative to the base: input W and every hidden/input bias
    # η·m_out = 4η; hidden W η; output W η/m_in = η/4; output bias η·m_out = η (m_out = 1)
    rules = [(4.0, 4.0), (1.0, 4.0), (0.25, 1.0)]
    expected = [
        (W - lr * w * dW, b - lr * c * db)
        for (W, b), (dW, db), (w, c) in zip(start, grads, rules, strict=True)
    ]
    for name in ("numpy", "fast"):
        after = engine.train(mup, start, X, Y, lr, 1, every=1, engine=name).params
        for (We, be), (Wa, ba) in zip(expected, after, strict=True):
            np.testing.assert_allclose(Wa, We, rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(ba, be, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("parametrization", ["ntk", "mup"])
def test_the_compiled_engine_equals_the_reference(parametrization, dtype):
    _, net = _pair(40, 10, parametrization)  # 40 ≥ 16: the wide kernel's tiles
    X, Y = _data(m=50)
    he = initializers.get("he")
    params = initial_batch(net, [(he, s) for s in range(3)])
    a = engine.train(
        net, params, X, Y, [0.05, 0.1, 0.2], 300, every=50, engine="numpy", dtype=dtype
    )
    b = engine.train(net, params, X, Y, [0.05, 0.1, 0.2], 300, every=50, engine="fast", dtype=dtype)
    assert b.engine == "fast"
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(b.costs, a.costs, rtol=tol, atol=0)
    for (Wa, ba), (Wb, bb) in zip(a.params, b.params, strict=True):
        np.testing.assert_allclose(Wb, Wa, rtol=0, atol=tol * 100)
        np.testing.assert_allclose(bb, ba, rtol=0, atol=tol * 100)


def test_a_residual_network_takes_a_parametrization_in_both_engines():
    net = Network((2, 32, 32, 32, 1), "tanh", "sigmoid", ((1, 2),), "mup", 8)
    X, Y = _data(m=30)
    params = initial_batch(net, [(initializers.get("he"), 0)])
    a = engine.train(net, params, X, Y, 0.1, 100, every=20, engine="numpy")
    b = engine.train(net, params, X, Y, 0.1, 100, every=20, engine="fast")
    np.testing.assert_allclose(b.costs, a.costs, rtol=1e-12, atol=0)


def _logit_move(parametrization: str, width: int, lr: float = 0.05) -> float:
    """RMS change of the logits after one full-batch step from a He start, base width 32."""
    sizes = (2, width, width, 1)
    base = None if parametrization == "sp" else 32
    net = Network(sizes, "relu", "sigmoid", parametrization=parametrization, base_width=base)
    X, Y = _data(m=64, seed=3)
    params = initial_batch(net, [(initializers.get("he"), 7)])
    before = reference.forward(net, params, X).logits
    after = engine.train(net, params, X, Y, lr, 1, every=1, engine="numpy").params
    return float(np.sqrt(np.mean((reference.forward(net, after, X).logits - before) ** 2)))


def test_after_one_step_sp_logits_move_with_the_width_and_mup_logits_do_not():
    widths = (32, 256, 2048)
    sp = [_logit_move("sp", w) for w in widths]
    mup = [_logit_move("mup", w) for w in widths]
    assert sp[-1] / sp[0] > 20  # Θ(width): 64× the width
    assert 0.5 < mup[-1] / mup[0] < 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parametrization": "mup"}, "needs a base width"),
        ({"parametrization": "ntk", "base_width": 0}, "needs a base width"),
        ({"parametrization": "mup", "base_width": 2.5}, "needs a base width"),
        ({"parametrization": "abc", "base_width": 8}, "unknown parametrization 'abc'"),
        ({"base_width": 8}, "a base width is for the ntk and mup"),
    ],
)
def test_bad_parametrizations_get_one_clear_error(kwargs, message):
    with pytest.raises(InitlabError, match=message):
        Network((2, 8, 1), **kwargs)
