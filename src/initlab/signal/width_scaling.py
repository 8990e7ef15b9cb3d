"""Width scaling: the coordinate check and the learning rate's drift, SP beside μP.

Two measurements of Yang et al. 2022 (Tensor Programs V, Figs. 1 and 5; the ``mup`` package's
``get_coord_data``), with the per-layer rules of :mod:`initlab.nn.parametrization`:

- **coord check**: train networks of growing width a few SGD steps on one fixed batch and record
  the size (root mean square over units and samples) of every layer's pre-activations, logits
  included. Under SP it grows with the width after the first step; under μP it stays put.
- **learning-rate transfer**: train each width at several η and record the final training loss;
  under SP the best η drifts with the width, under μP it does not.

SGD is the reference engine's forward and backward (:func:`initlab.engine.reference.gradients`)
with each layer's step multiplied by its own factor. Each width's models (seeds or learning rates)
train together as one batch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.params import Params
from initlab.nn.network import Network, network_for
from initlab.nn.outputs import targets
from initlab.nn.parametrization import LayerScaling, layer_scalings


def sizes_for(network: Network, width: int) -> tuple[int, ...]:
    """``network``'s sizes with every hidden layer ``width`` wide."""
    return (network.sizes[0], *[width] * len(network.hidden), network.sizes[-1])


def draw(scalings: Sequence[LayerScaling], sizes: Sequence[int], seeds: Sequence[int]) -> Params:
    """One model per seed: W_l ~ N(0, variance_l) from ``default_rng(seed)`` in layer order;
    b = 0. Each layer's stack is filled in place (a 4,096² layer is 134 MB per model)."""
    shapes = list(zip(sizes[1:], sizes[:-1], strict=True))
    params = [
        (np.empty((len(seeds), fan_out, fan_in)), np.zeros((len(seeds), fan_out, 1)))
        for fan_out, fan_in in shapes
    ]
    for k, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        for (W, _), s, shape in zip(params, scalings, shapes, strict=True):
            rng.standard_normal(shape, out=W[k])
            W[k] *= math.sqrt(s.variance)
    return params


def sgd_step(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: np.ndarray,
    scalings: Sequence[LayerScaling],
) -> tuple[np.ndarray, Params]:
    """``(cost before the step, parameters after it)``: W_l ← W_l − η·lr_l·∂C/∂W_l, b likewise
    with bias_lr_l; ``lr`` one η per model, shape ``(K, 1, 1)``."""
    cost, grads = reference.gradients(network, params, X, Y)
    stepped = []
    for (W, b), (dW, db), s in zip(params, grads, scalings, strict=True):
        dW *= lr * s.lr  # the fresh gradient scaled in place: one full-size temporary fewer
        stepped.append((W - dW, b - lr * s.bias_lr * db))
    return cost, stepped


def pre_activation_sizes(network: Network, params: Params, X: np.ndarray) -> np.ndarray:
    """RMS of every layer's pre-activations Z_l (logits last), averaged over models: ``(L,)``."""
    Z = reference.forward(network, params, X).Z
    return np.array([float(np.sqrt(np.mean(z * z))) for z in Z])


def batch_of(network: Network, dataset: Dataset, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``batch`` training samples as ``(X (n_in, m), Y (n_out, m))``."""
    X = dataset.X_train[:batch].T.astype(float)
    Y = targets(dataset.y_train[:batch], network.output_layer(), dataset.n_classes)
    return X, Y


def coord_sizes(
    base: Network,
    parametrization: str,
    width: int,
    base_width: int,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float,
    steps: int,
    seeds: Sequence[int],
    sigma_w2: float,
) -> np.ndarray:
    """Pre-activation sizes ``(steps + 1, L)`` at width ``width`` after 0..steps SGD steps."""
    sizes = sizes_for(base, width)
    network = Network(sizes, base.activation, base.output)
    scalings = layer_scalings(parametrization, sizes, sizes_for(base, base_width), sigma_w2)
    params = draw(scalings, sizes, seeds)
    rates = np.full((len(seeds), 1, 1), lr)
    out = [pre_activation_sizes(network, params, X)]
    for _ in range(steps):
        _, params = sgd_step(network, params, X, Y, rates, scalings)
        out.append(pre_activation_sizes(network, params, X))
    return np.array(out)


def final_losses(
    base: Network,
    parametrization: str,
    width: int,
    base_width: int,
    X: np.ndarray,
    Y: np.ndarray,
    lrs: Sequence[float],
    steps: int,
    seed: int,
    sigma_w2: float,
) -> np.ndarray:
    """Training loss after ``steps`` SGD steps at each η of ``lrs`` (one initial network, trained
    once per η in one batch); ``inf`` where it diverged."""
    sizes = sizes_for(base, width)
    network = Network(sizes, base.activation, base.output)
    scalings = layer_scalings(parametrization, sizes, sizes_for(base, base_width), sigma_w2)
    params = draw(scalings, sizes, [seed] * len(lrs))
    rates = np.asarray(lrs, dtype=float).reshape(-1, 1, 1)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            _, params = sgd_step(network, params, X, Y, rates, scalings)
            params = [(np.nan_to_num(W, nan=np.inf), b) for W, b in params]
        loss = reference.cost(network, params, X, Y)
    return np.where(np.isfinite(loss), loss, np.inf)


def base_network(dataset: Dataset, depth: int, activation: str) -> Network:
    """The shape every width shares: ``depth`` hidden layers (width filled in later)."""
    return network_for(("auto", *[1] * depth, "auto"), dataset, activation)


Progress = Callable[[int], None] | None
