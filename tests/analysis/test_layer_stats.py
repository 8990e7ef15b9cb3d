"""Per-layer statistics: checked against the engine, hand-built networks, and the theory."""

import math

import numpy as np
import pytest

from initlab import engine, initializers
from initlab.analysis import theory
from initlab.analysis.layer_stats import layer_stats
from initlab.analysis.verdict import saturated_share
from initlab.engine import reference
from initlab.nn import activations
from initlab.nn.network import Network


def random_params(sizes, K, rng, scale=1.0):
    return [
        (
            scale * rng.standard_normal((K, out, inp)) / np.sqrt(inp),
            0.1 * rng.standard_normal((K, out, 1)),
        )
        for inp, out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def data(n_in, m, rng):
    X = rng.standard_normal((n_in, m))
    Y = (np.arange(m) % 2).reshape(1, -1).astype(float)
    return X, Y


@pytest.mark.parametrize(
    "activation, sizes, m",
    [
        ("relu", (3, 7, 6, 5, 1), 40),
        ("tanh", (3, 7, 6, 5, 1), 40),
        ("elu", (3, 7, 6, 5, 1), 40),
        ("relu", (30, 40, 30, 1), 5),  # fewer samples than units: ‖∂C/∂W‖ from Gram matrices
    ],
)
def test_moments_and_weight_gradients_agree_with_the_engine(activation, sizes, m):
    rng = np.random.default_rng(0)
    network = Network(sizes, activation)
    params = random_params(network.sizes, 2, rng)
    X, Y = data(sizes[0], m, rng)
    stats = layer_stats(network, params, X, Y)
    cache = reference.forward(network, params, X)
    _, grads = reference.gradients(network, params, X, Y)
    for i, Z in enumerate(cache.Z):
        np.testing.assert_allclose(stats.pre_mean[:, i], Z.mean(axis=(1, 2)), rtol=1e-12)
        np.testing.assert_allclose(stats.pre_std[:, i], Z.std(axis=(1, 2)), rtol=1e-12)
        norm = np.sqrt((grads[i][0] ** 2).sum(axis=(1, 2)))
        np.testing.assert_allclose(stats.grad_w[:, i], norm, rtol=1e-12)
    for i, A in enumerate(cache.A[1:]):
        np.testing.assert_allclose(stats.act_std[:, i], A.std(axis=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(stats.second_moment[:, 0], (cache.Z[0] ** 2).mean(axis=(1, 2)))


def test_preactivation_gradients_agree_with_per_sample_bias_gradients():
    """‖∂C/∂z_l‖² over m samples = Σ_s ‖∂C_s/∂b_l‖² / m², C_s the cost of sample s alone (for one
    sample, ∂C/∂b_l is ∂C/∂z_l), each from the engine's backward pass."""
    rng = np.random.default_rng(1)
    network = Network((2, 6, 5, 1), "tanh")
    params = random_params(network.sizes, 1, rng, scale=1.5)
    X, Y = data(2, 12, rng)
    stats = layer_stats(network, params, X, Y)
    total = np.zeros(network.depth)
    for s in range(X.shape[1]):
        _, grads = reference.gradients(network, params, X[:, s : s + 1], Y[:, s : s + 1])
        total += [float((db**2).sum()) for _, db in grads]
    np.testing.assert_allclose(stats.grad_z[0], np.sqrt(total) / X.shape[1], rtol=1e-12)


def test_dead_and_saturated_units_of_hand_built_networks():
    X = np.array([[1.0, 2.0, 3.0, -1.0]])  # one feature, four samples
    Y = np.array([[0.0, 1.0, 0.0, 1.0]])
    # hidden units: z = w x + b; unit 0 alive, unit 1 (w=0, b=-1) always negative, unit 2
    # negative except at x = -1 (alive), unit 3 (w=0, b=0) z = 0 everywhere: dead (ReLU'(0) = 0)
    W1 = np.array([[[1.0], [0.0], [-1.0], [0.0]]])
    b1 = np.array([[[0.0], [-1.0], [-0.5], [0.0]]])
    W2 = np.ones((1, 1, 4))
    b2 = np.zeros((1, 1, 1))
    relu_stats = layer_stats(Network((1, 4, 1), "relu"), [(W1, b1), (W2, b2)], X, Y)
    assert relu_stats.dead[0, 0] == 0.5
    # tanh never dies; tanh'(z) = 1 − tanh²(z) < 0.01 for |z| > 2.99: unit 0 (z = 4) and unit 1
    # (|z| ≥ 10) are saturated on all 4 samples, unit 2 (z = 2x: 2, 4, 6, −2) on 2 of them
    W1 = np.array([[[0.0], [10.0], [2.0]]])
    b1 = np.array([[[4.0], [0.0], [0.0]]])
    stats = layer_stats(Network((1, 3, 1), "tanh"), [(W1, b1), (np.ones((1, 1, 3)), b2)], X, Y)
    assert stats.dead[0, 0] == 0.0
    assert stats.saturated[0, 0] == pytest.approx(10 / 12)
    assert relu_stats.saturated[0, 0] == 0.0  # ReLU: its flat side is counted as dead units


def test_output_saturation_and_gradient_ratio():
    rng = np.random.default_rng(2)
    network = Network((2, 8, 8, 8, 1))
    params = random_params(network.sizes, 3, rng, scale=6.0)
    X, Y = data(2, 30, rng)
    stats = layer_stats(network, params, X, Y)
    logits = reference.forward(network, params, X).logits
    for k in range(3):
        assert stats.output_saturated[k] == saturated_share(logits[k])
        assert stats.gradient_ratio(k) == stats.grad_z[k, 0] / stats.grad_z[k, 2]
    model = stats.model(0)
    assert model["distinct"] == [8, 8, 8] and len(model["grad_z"]) == 4


def test_distinct_units_of_zeros_and_he():
    rng = np.random.RandomState(3)
    network = Network((2, 10, 5, 1))
    params = engine.stack(
        [
            initializers.init_network(network.sizes, initializers.get(s), rng)
            for s in ("zeros", "he")
        ]
    )
    X, Y = data(2, 20, np.random.default_rng(0))
    stats = layer_stats(network, params, X, Y)
    assert stats.distinct.tolist() == [[1, 1], [10, 5]]
    assert stats.dead[0].tolist() == [1.0, 1.0]  # zero weights: z = 0, ReLU'(0) = 0 everywhere


# -- the theory beside the measurement, on wide networks -------------------------------------------
#
# Width 512, 10 hidden layers, inputs of 16 features, 16 samples. Each model's per-layer second
# moment fluctuates around the theory's q_l: for ReLU each layer multiplies it by a factor with
# relative spread ≈ √(5/512) ≈ 10 % (relu(z)² has kurtosis 6), compounding with depth, so one
# model is off by ~20 % at layer 10. Averaged over 48 models the standard error at layer 10 is
# ≈ 3 %: the tolerance is 10 % for ReLU, and the error must also be within 4 standard errors (+1 %)
# at every layer. tanh near its fixed point does not compound (the spread of the biases' squares
# dominates with torch_linear, ≈ 1.2 % standard error with 12 models): 4 %.

WIDTH, DEPTH, FEATURES, SAMPLES = 512, 10, 16, 16


def wide_forward(activation, initializers_, K, seed, scales=(1.0,)):
    """Mean z² of every hidden layer, (K, DEPTH) per entry of ``scales``, of K random networks
    drawn layer by layer (each weight drawn by the initializer as a (K·fan_out, fan_in) matrix:
    K independent draws for these fan_in-based schemes). ``scales`` runs the same draws with the
    weights multiplied by each factor (for ReLU, LeCun's draw is He's divided by √2)."""
    phi = activations.get(activation)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((FEATURES, SAMPLES))
    sizes = (FEATURES,) + (WIDTH,) * DEPTH
    a = [X] * len(scales)
    moments = [[] for _ in scales]
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = initializers_((K * fan_out, fan_in), rng).reshape(K, fan_out, fan_in)
        b = 0.0
        if initializers_.bias is not None:
            b = initializers_.bias((K * fan_out,), fan_in, rng).reshape(K, fan_out, 1)
        for i, scale in enumerate(scales):
            z = scale * W @ a[i] + b
            moments[i].append((z * z).mean(axis=(1, 2)))
            a[i] = phi.forward(z)
    return X, [np.stack(m, axis=1) for m in moments]


def predicted(activation, spec, X):
    network = Network((FEATURES,) + (WIDTH,) * DEPTH + (1,), activation)
    sigma_w2, sigma_b2 = theory.weight_variances(initializers.get(spec), network.sizes)
    q = theory.predicted_q(network.hidden_activations(), sigma_w2, sigma_b2, (X**2).mean(axis=0))
    return q.mean(axis=1)[:-1]


def check_within(measured, predicted, tolerance):
    mean = measured.mean(axis=0)
    error = mean / predicted - 1
    standard_error = measured.std(axis=0, ddof=1) / math.sqrt(len(measured)) / predicted
    assert np.all(np.abs(error) < tolerance), np.round(error, 3)
    assert np.all(np.abs(error) < 4 * standard_error + 0.01), np.round(error / standard_error, 2)


@pytest.fixture(scope="module")
def relu_networks():
    """48 He ReLU networks, and the LeCun networks of the same draws (same seed: W / √2)."""
    he, lecun = initializers.get("he"), initializers.get("lecun_normal")
    np.testing.assert_allclose(  # the same seed gives LeCun = He / √2 (to rounding)
        lecun((50, 40), np.random.default_rng(1)),
        he((50, 40), np.random.default_rng(1)) / 2**0.5,
        rtol=1e-15,
    )
    X, (he_q, lecun_q) = wide_forward("relu", he, 48, seed=11, scales=(1.0, 2**-0.5))
    return X, {"he": he_q, "lecun_normal": lecun_q}


@pytest.mark.parametrize("spec, factor", [("he", 1.0), ("lecun_normal", 0.5)])
def test_relu_variance_follows_the_theory_for_ten_layers(relu_networks, spec, factor):
    """ReLU + He keeps q, ReLU + LeCun halves it per layer: predicted exactly, measured within
    10 %."""
    X, measured = relu_networks
    expected = predicted("relu", spec, X)
    np.testing.assert_allclose(expected[1:] / expected[:-1], factor, rtol=1e-12)
    check_within(measured[spec], expected, 0.10)
    mean = measured[spec].mean(axis=0)
    np.testing.assert_allclose(mean[1:] / mean[:-1], factor, rtol=0.06)


@pytest.mark.parametrize("spec", ["lecun_normal", "torch_linear", "lecun_uniform"])
def test_tanh_variance_follows_the_theory_for_ten_layers(spec):
    """tanh at the edge of chaos (LeCun, normal and uniform) and in the ordered phase with biases
    (PyTorch's nn.Linear default: σ_w² = 1/3, σ_b² = 1/(3·fan_in)): within 4 %."""
    X, (measured,) = wide_forward("tanh", initializers.get(spec), 12, seed=5)
    check_within(measured, predicted("tanh", spec, X), 0.04)


def draw(initializer, sizes, K, rng):
    """K models at once, as :func:`wide_forward` draws them, as engine parameters."""
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = initializer((K * fan_out, fan_in), rng).reshape(K, fan_out, fan_in)
        layers.append((W, np.zeros((K, fan_out, 1))))
    return layers


@pytest.mark.parametrize("spec, chi", [("he", 1.0), ("random", 100.0 * WIDTH / 2)])
def test_gradient_norms_follow_chi(spec, chi):
    """‖∂C/∂z_1‖ / ‖∂C/∂z_10‖ = √χ⁹: 1 for He, 160⁹ ≈ 6.9e19 for the course's large random
    weights (σ_w² = 100·512): measured (geometric mean over 6 models) within 10 % of it, and each
    layer's ‖∂C/∂z‖ within 10 % of the theory's from the measured output gradient."""
    sizes = (FEATURES,) + (WIDTH,) * DEPTH + (1,)
    network = Network(sizes, "relu")
    initializer = initializers.get(spec)
    rng = np.random.default_rng(3)
    X = rng.standard_normal((FEATURES, SAMPLES))
    Y = (np.arange(SAMPLES) % 2).reshape(1, -1).astype(float)
    stats = layer_stats(network, draw(initializer, sizes, 6, rng), X, Y, symmetry=False)
    measured = stats.grad_z[:, 0] / stats.grad_z[:, DEPTH - 1]
    expected = chi ** ((DEPTH - 1) / 2)
    assert np.exp(np.mean(np.log(measured))) == pytest.approx(expected, rel=0.10)
    sigma_w2, sigma_b2 = theory.weight_variances(initializer, sizes)
    q = theory.predicted_q(network.hidden_activations(), sigma_w2, sigma_b2, stats.q_in)
    chis = theory.predicted_chi(network.hidden_activations(), sigma_w2, q)
    np.testing.assert_allclose(chis, chi, rtol=1e-12)
    predicted_norms = np.array([theory.gradient_norms(chis, g) for g in stats.output_grad])
    ratio = np.exp(np.log(stats.grad_z / predicted_norms).mean(axis=0))
    np.testing.assert_allclose(ratio, 1, rtol=0.1)
