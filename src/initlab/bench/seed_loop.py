"""The seed's own training loop, copied from the course's notebook: the benchmark's yardstick.

The course's ``model()``: dict parameters ``{"W1", "b1", …}``, ``np.dot``, its
``forward_propagation`` / ``compute_loss`` / ``backward_propagation`` / ``update_parameters``, one
model at a time. Kept here only, and kept as the course wrote it (generalized to any depth, the
same operations one for one on the seed's three layers): it is a reference, not initlab's engine.
"""

import numpy as np


def sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s


def relu(x):
    s = np.maximum(0, x)
    return s


def compute_loss(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    loss = 1.0 / m * np.nansum(logprobs)
    return loss


def forward_propagation(X, parameters):
    """The seed's LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID, written for any depth: for the seed's
    three layers it performs the seed's operations one for one."""
    L = len(parameters) // 2
    cache = []
    a = X
    for li in range(1, L + 1):
        W = parameters["W" + str(li)]
        b = parameters["b" + str(li)]
        z = np.dot(W, a) + b
        a = relu(z) if li < L else sigmoid(z)
        cache += [z, a, W, b]
    return a, tuple(cache)


def backward_propagation(X, Y, cache):
    """The seed's backward pass (dz3 = 1/m·(a3 − Y), dW = dz·aᵀ, db = Σ dz, da = Wᵀ·dz,
    dz = da·int64(a > 0)), for any depth."""
    m = X.shape[1]
    L = len(cache) // 4
    z, a, W, b = cache[4 * (L - 1) : 4 * L]
    dz = 1.0 / m * (a - Y)
    gradients = {}
    for li in range(L, 0, -1):
        a_prev = cache[4 * (li - 2) + 1] if li > 1 else X
        gradients["dz" + str(li)] = dz
        gradients["dW" + str(li)] = np.dot(dz, a_prev.T)
        gradients["db" + str(li)] = np.sum(dz, axis=1, keepdims=True)
        if li > 1:
            W = cache[4 * (li - 1) + 2]
            da = np.dot(W.T, dz)
            gradients["da" + str(li - 1)] = da
            dz = np.multiply(da, np.int64(a_prev > 0))
    return gradients


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for k in range(L):
        parameters["W" + str(k + 1)] = (
            parameters["W" + str(k + 1)] - learning_rate * grads["dW" + str(k + 1)]
        )
        parameters["b" + str(k + 1)] = (
            parameters["b" + str(k + 1)] - learning_rate * grads["db" + str(k + 1)]
        )
    return parameters


def seed_model(X, Y, parameters, learning_rate=0.01, num_iterations=15000):
    """The seed's ``model()`` loop after initialization, without printing or plotting: forward,
    loss, backward, update, every iteration. Returns the final parameters and the costs kept
    every 1,000 iterations."""
    costs = []
    for i in range(0, num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 1000 == 0:
            costs.append(cost)
    return parameters, costs
