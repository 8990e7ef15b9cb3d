"""Backpropagation against finite differences, for every activation and both outputs.

All parameters of a model are perturbed at once by putting one perturbed copy per parameter on the
engine's model axis; central differences with one Richardson step, (4·D(ε/2) − D(ε)) / 3, ε = 1e-3,
and the course's measure ‖a − n‖ / (‖a‖ + ‖n‖) per parameter array, which must be < 1e-7.

Two limits of finite differences, not of backpropagation, are handled openly:

- a gradient array smaller than ``FLOOR`` = 1e-4 in norm (deep, narrow nets where the gradient
  vanishes) cannot be measured to 1e-7 relative: the cost differences are then at the level of
  float64 round-off (~1e-13). For those arrays the denominator is ``FLOOR``, i.e. they must agree
  to 1e-11 in absolute terms;
- for activations with a kink (relu, leaky_relu, elu, selu) a parameter whose perturbation moves any
  pre-activation across 0 is left out (there the finite difference is not a derivative); at least
  half of all parameters are always checked.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from initlab import engine
from initlab.engine import reference
from initlab.nn import activations
from initlab.nn.network import Network
from initlab.nn.outputs import targets

ACTIVATIONS = list(activations.REGISTRY)
KINKED = {"relu", "leaky_relu", "elu", "selu"}
EPS = 1e-3
GAIN = 1.0  # LeCun-scaled weights: the size a sensible initialization gives
FLOOR = 1e-4  # below this gradient norm, finite differences drown in round-off (see check)


def _problem(sizes, output, seed, m=5):
    """Weights N(0, GAIN²/fan_in), biases N(0, 0.5²), inputs N(0, 1), random labels."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    layers = [
        (rng.standard_normal((o, i)) * GAIN / np.sqrt(i), rng.standard_normal(o) * 0.5)
        for i, o in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    if output == "sigmoid":
        Y = (rng.random((1, m)) > 0.5).astype(float)
    else:
        Y = targets(rng.integers(0, sizes[-1], m), _softmax(), sizes[-1])
    return X, Y, engine.stack([layers])


def _softmax():
    from initlab.nn.outputs import OUTPUTS

    return OUTPUTS["softmax"]


def _flatten(params):
    return np.concatenate([a[0].ravel() for layer in params for a in layer])


def _unflatten(flat, like):
    """Rows of ``flat`` (one model each) back into batched params shaped like ``like``."""
    out, start = [], 0
    K = flat.shape[0]
    for W, b in like:
        pair = []
        for a in (W, b):
            size = a[0].size
            pair.append(flat[:, start : start + size].reshape(K, *a.shape[1:]))
            start += size
        out.append(tuple(pair))
    return out


def _signs(network, params, X):
    return np.concatenate(
        [(Z > 0).reshape(Z.shape[0], -1) for Z in reference.forward(network, params, X).Z[:-1]]
        or [np.zeros((params[0][0].shape[0], 0), bool)],
        axis=1,
    )


def numeric_gradient(network, params, X, Y, check_kinks):
    """Finite-difference gradient of model 0's mean cost (flat) and a mask of trusted entries."""
    flat = _flatten(params)
    P = flat.size
    base = _signs(network, params, X)[0] if check_kinks else None
    trusted = np.ones(P, bool)

    def central(h):
        batch = np.tile(flat, (2 * P, 1))
        batch[np.arange(P), np.arange(P)] += h
        batch[P + np.arange(P), np.arange(P)] -= h
        perturbed = _unflatten(batch, params)
        cost = reference.cost(network, perturbed, X, Y)
        if check_kinks:
            same = (_signs(network, perturbed, X) == base).all(axis=1)
            trusted[:] &= same[:P] & same[P:]
        return (cost[:P] - cost[P:]) / (2 * h)

    numeric = (4 * central(EPS / 2) - central(EPS)) / 3
    return numeric, trusted


def check_gradients(network, params, X, Y):
    _, grads = reference.gradients(network, params, X, Y)
    numeric, trusted = numeric_gradient(
        network, params, X, Y, any(a.name in KINKED for a in network.hidden_activations())
    )
    assume(trusted.sum() >= trusted.size / 2)
    analytic = _flatten(grads)
    start = 0
    for layer, (W, b) in enumerate(params):
        for which, a in enumerate((W, b)):
            size = a[0].size
            keep = trusted[start : start + size]
            n, g = numeric[start : start + size][keep], analytic[start : start + size][keep]
            start += size
            error = np.linalg.norm(n - g) / max(np.linalg.norm(n) + np.linalg.norm(g), FLOOR)
            assert error < 1e-7, (network, layer, which, error)


layer_lists = st.lists(st.integers(1, 16), min_size=0, max_size=5)  # hidden widths: depth 1–6


def _sizes(n_in, hidden, output, n_classes):
    return (n_in, *hidden, 1 if output == "sigmoid" else n_classes)


def _check_one(activation, output, n_in, hidden, n_classes, seed):
    sizes = _sizes(n_in, hidden, output, n_classes)
    network = Network(sizes, activation, output)
    X, Y, params = _problem(sizes, output, seed)
    check_gradients(network, params, X, Y)


def _test_for(activation, output):
    @settings(max_examples=20, deadline=None)
    @given(
        n_in=st.integers(1, 16),
        hidden=layer_lists,
        n_classes=st.integers(2, 6),
        seed=st.integers(0, 2**31),
    )
    def test(n_in, hidden, n_classes, seed):
        _check_one(activation, output, n_in, hidden, n_classes, seed)

    test.__name__ = test.__qualname__ = f"test_gradient_{activation}_{output}"
    return test


for _activation in ACTIVATIONS:
    for _output in ("sigmoid", "softmax"):
        _test = _test_for(_activation, _output)
        globals()[_test.__name__] = _test


@settings(max_examples=30, deadline=None)
@given(
    data=st.data(),
    n_in=st.integers(1, 16),
    hidden=st.lists(st.integers(1, 16), min_size=2, max_size=5),
    output=st.sampled_from(["sigmoid", "softmax"]),
    seed=st.integers(0, 2**31),
)
def test_gradient_with_one_activation_per_layer(data, n_in, hidden, output, seed):
    per_layer = data.draw(
        st.lists(
            st.sampled_from(["leaky_relu:slope=0.2", "elu:alpha=0.5", *ACTIVATIONS]),
            min_size=len(hidden),
            max_size=len(hidden),
        )
    )
    sizes = _sizes(n_in, hidden, output, 3)
    network = Network(sizes, per_layer, output)
    assert [a.spec for a in network.hidden_activations()] == [
        activations.get(a).spec for a in per_layer
    ]
    X, Y, params = _problem(sizes, output, seed)
    check_gradients(network, params, X, Y)


def test_every_activation_has_its_gradient_test():
    names = {name for name in globals() if name.startswith("test_gradient_")}
    for activation in ACTIVATIONS:
        assert {
            f"test_gradient_{activation}_sigmoid",
            f"test_gradient_{activation}_softmax",
        } <= names
