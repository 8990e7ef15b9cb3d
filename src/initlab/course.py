"""The course's own function names, for learners following "Initialization".

deeplearning.ai, "Improving Deep Neural Networks", week 1. Arrays use the course's conventions:
``X`` of shape ``(features, examples)``, labels ``Y`` of shape ``(1, examples)``, parameters a dict
``{"W1": ..., "b1": ..., ...}`` with ``W_l`` of shape ``(n_l, n_{l-1})`` and ``b_l`` ``(n_l, 1)``.
Every function is a thin wrapper over initlab's engine and registry (one model, K = 1).

>>> parameters = initialize_parameters_random([3, 2, 1])
>>> parameters["W1"].round(8).tolist()[0]
[17.88628473, 4.36509851, 0.96497468]
"""

from __future__ import annotations

import warnings

import numpy as np

from initlab import checks, data, engine, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_params
from initlab.errors import InitlabError
from initlab.nn import activations
from initlab.nn.network import Network

COURSE_SEED = 3  # the course calls np.random.seed(3) before drawing random and He weights


# -- conversions between the course's dict and the engine's K = 1 batch ----------------------


def _to_params(parameters: dict) -> engine.Params:
    L = len(parameters) // 2
    return [
        (
            parameters[f"W{l}"][None].astype(float),
            parameters[f"b{l}"].reshape(1, -1, 1).astype(float),
        )
        for l in range(1, L + 1)
    ]


def _to_dict(params: engine.Params) -> dict:
    out = {}
    for l, (W, b) in enumerate(params, start=1):
        out[f"W{l}"] = W[0].copy()
        out[f"b{l}"] = b[0].copy()
    return out


def _network(parameters: dict) -> Network:
    L = len(parameters) // 2
    sizes = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]
    return Network(tuple(sizes))


# -- the course's functions -------------------------------------------------------------------


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)), without overflow warnings."""
    return activations.get("sigmoid").forward(np.asarray(x, dtype=float))


def relu(x):
    """max(0, x)."""
    return activations.get("relu").forward(np.asarray(x))


def load_dataset():
    """The course's circles: ``train_X`` (2, 300), ``train_Y`` (1, 300), ``test_X`` (2, 100),
    ``test_Y`` (1, 100)."""
    ds = data.load("circles")
    return (
        ds.X_train.T,
        ds.y_train.reshape(1, -1),
        ds.X_test.T,
        ds.y_test.reshape(1, -1),
    )


def _layers_dims(layers_dims) -> tuple[int, ...]:
    """``layers_dims`` checked: a list of at least 2 integers >= 1 (inputs, ..., outputs)."""
    if isinstance(layers_dims, (str, bytes)) or not hasattr(layers_dims, "__len__"):
        raise InitlabError(
            f"layers_dims must be a list of integers such as [2, 10, 5, 1]; got {layers_dims!r}"
        )
    if len(layers_dims) < 2:
        raise InitlabError(
            f"layers_dims needs at least 2 sizes (inputs and outputs); got {list(layers_dims)}"
        )
    return tuple(
        checks.check(f"layers_dims[{i}]", n, checks.POSITIVE_INTEGER)
        for i, n in enumerate(layers_dims)
    )


def _examples(X, Y) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (features, examples) and ``Y`` (1, examples) as float arrays, checked."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2 or Y.shape[0] != 1 or Y.shape[1] != X.shape[1]:
        raise InitlabError(
            f"X must be (features, examples) and Y (1, examples) with as many examples; got X "
            f"{X.shape} and Y {Y.shape}"
        )
    return X, Y


def _initialize(name: str, layers_dims) -> dict:
    network = Network(_layers_dims(layers_dims))
    layers = initial_params(network, initializers.get(name), np.random.RandomState(COURSE_SEED))
    return {
        key: value
        for l, (W, b) in enumerate(layers, start=1)
        for key, value in ((f"W{l}", W), (f"b{l}", b.reshape(-1, 1)))
    }


def initialize_parameters_zeros(layers_dims) -> dict:
    """Every weight and bias zero."""
    return _initialize("zeros", layers_dims)


def initialize_parameters_random(layers_dims) -> dict:
    """``np.random.seed(3)``, then ``randn(n_l, n_{l-1}) * 10`` per layer; biases zero."""
    return _initialize("random", layers_dims)


def initialize_parameters_he(layers_dims) -> dict:
    """``np.random.seed(3)``, then ``randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1})``; biases zero."""
    return _initialize("he", layers_dims)


def forward_propagation(X, parameters):
    """LINEAR→RELU→…→LINEAR→SIGMOID; returns ``(a_L, cache)`` with the course's cache
    ``(z1, a1, W1, b1, z2, a2, W2, b2, ...)``."""
    params = _to_params(parameters)
    network = _network(parameters)
    cache = reference.forward(network, params, np.asarray(X, dtype=float))
    a_last = network.output_layer().predict(cache.logits)[0]
    flat = []
    for l, (W, b) in enumerate(params):
        a = cache.A[l + 1][0] if l + 1 < len(cache.A) else a_last
        flat += [cache.Z[l][0], a, W[0], b[0]]
    return a_last, tuple(flat)


def _unpack(cache: tuple):
    L = len(cache) // 4
    Z = [cache[4 * l][None] for l in range(L)]
    A = [cache[4 * l + 1][None] for l in range(L)]
    params = [(cache[4 * l + 2][None], cache[4 * l + 3][None]) for l in range(L)]
    return Z, A, params


def backward_propagation(X, Y, cache):
    """Gradients ``{"dz3", "dW3", "db3", "da2", "dz2", ...}`` as the course names them."""
    X = np.asarray(X, dtype=float)
    Z, A, params = _unpack(cache)
    network = Network(tuple([X.shape[0]] + [W.shape[1] for W, _ in params]))
    output = network.output_layer()
    dlogits = output.grad(Z[-1], np.asarray(Y, dtype=float))
    grads = reference.backward(network, params, reference.Cache(Z, [X] + A[:-1]), dlogits)
    out = {}
    L = len(params)
    dZ = dlogits
    for l in range(L, 0, -1):
        dW, db = grads[l - 1]
        out[f"dz{l}"] = dZ[0]
        out[f"dW{l}"] = dW[0]
        out[f"db{l}"] = db[0]
        if l > 1:
            dA = params[l - 1][0].swapaxes(-1, -2) @ dZ
            out[f"da{l - 1}"] = dA[0]
            dZ = dA * network.hidden_activations()[l - 2].derivative(Z[l - 2], A[l - 2])
    return out


def compute_loss(a3, Y):
    """The course's loss from probabilities: ``1/m · nansum(−Y·log a − (1−Y)·log(1−a))``.

    Kept as the course wrote it (a saturated wrong output gives ``inf``); initlab's engine computes
    the cost from the logits instead.
    """
    a3, Y = np.asarray(a3, dtype=float), np.asarray(Y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return 1.0 / Y.shape[1] * np.nansum(logprobs)


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step: ``W ← W − learning_rate · dW`` (and b)."""
    learning_rate = checks.check("learning_rate", learning_rate, checks.POSITIVE)
    params = reference.step(
        _to_params(parameters),
        _to_params({k[1:]: v for k, v in grads.items() if k[:2] in ("dW", "db")}),
        np.array(learning_rate, dtype=float).reshape(1, 1, 1),
    )
    return _to_dict(params)


def predict(X, y, parameters):
    """0/1 predictions of shape (1, m); prints ``Accuracy: <value>``."""
    p = predict_dec(parameters, X).astype(np.int64)
    print("Accuracy: " + str(np.mean(p[0, :] == np.asarray(y)[0, :])))
    return p


def predict_dec(parameters, X):
    """Boolean predictions ``a_L > 0.5`` (used to draw the decision boundary)."""
    a_last, _ = forward_propagation(X, parameters)
    return a_last > 0.5


def plot_decision_boundary(model, X, y):
    """Draw the predicted class over the plane and the points, as the course does."""
    import matplotlib.pyplot as plt

    x_min, x_max = X[0, :].min() - 1, X[0, :].max() + 1
    y_min, y_max = X[1, :].min() - 1, X[1, :].max() + 1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, 0.01), np.arange(y_min, y_max, 0.01))
    Z = np.asarray(model(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    plt.contourf(xx, yy, Z, cmap=plt.cm.Spectral)
    plt.ylabel("x2")
    plt.xlabel("x1")
    plt.scatter(X[0, :], X[1, :], c=np.squeeze(y), cmap=plt.cm.Spectral)
    _show()


def _show() -> None:
    """Show the current figure without blocking a script (silently skipped on Agg)."""
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plt.show(block=False)


_INITIALIZATIONS = {"zeros": "zeros", "random": "random", "he": "he"}


def model(X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True, initialization="he"):
    """The course's 3-layer LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID model, trained by the engine.

    Prints ``Cost after iteration i: cost`` every 1,000 iterations when ``print_cost``, draws the
    cost curve (without blocking) and returns the learned parameters. The cost is computed from the
    logits, so the large random start prints a large finite number where the course printed inf.
    """
    if initialization not in _INITIALIZATIONS:
        raise InitlabError(
            f"initialization must be one of {', '.join(_INITIALIZATIONS)}; got {initialization!r}"
        )
    learning_rate = checks.check("learning_rate", learning_rate, checks.POSITIVE)
    num_iterations = checks.check("num_iterations", num_iterations, checks.POSITIVE_INTEGER)
    print_cost = checks.check("print_cost", print_cost, checks.Boolean())
    X, Y = _examples(X, Y)
    layers_dims = [X.shape[0], 10, 5, 1]
    parameters = _initialize(_INITIALIZATIONS[initialization], layers_dims)
    history = engine.train(
        Network(tuple(layers_dims)),
        _to_params(parameters),
        X,
        Y,
        learning_rate,
        num_iterations,
        every=1000,
    )
    costs = []
    if print_cost:
        for iteration, cost in history.cost_pairs(0):
            print(f"Cost after iteration {iteration}: {cost}")
            costs.append(cost)
        import matplotlib.pyplot as plt

        plt.figure()
        plt.plot(costs)
        plt.ylabel("cost")
        plt.xlabel("iterations (per thousands)")
        plt.title("Learning rate =" + str(learning_rate))
        _show()
    return _to_dict(history.params)
