"""What the benchmark trains: the seed's network, a wider one and a deeper one, He-initialized, and
its settings (learning rate, recording interval, model counts); each problem's FLOP count
(:func:`initlab.engine.flops.training_flops`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from initlab import data, engine, initializers
from initlab.engine.flops import training_flops
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network

SEED_NETWORK = (2, 10, 5, 1)
LARGE_NETWORK = (2, 64, 64, 64, 1)
DEEP_NETWORK = (2, *[32] * 8, 1)  # 8 hidden layers of 32
MODEL_COUNTS = (1, 3, 64, 512)
LR = 0.01
EVERY = 1000  # the course records the cost every 1,000 iterations


@dataclass
class Problem:
    network: Network
    X: np.ndarray
    Y: np.ndarray

    @property
    def name(self) -> str:
        return str(self.network)

    @property
    def samples(self) -> int:
        return int(self.X.shape[1])

    @property
    def flops(self) -> int:
        """Matrix-product FLOPs of one model-iteration (forward, backward, step)."""
        return training_flops(self.network.sizes, self.samples)

    def params(self, K: int) -> engine.Params:
        """K He-initialized models, model k drawn from ``RandomState(k)``."""
        he = initializers.get("he")
        return initial_batch(self.network, [(he, k) for k in range(K)])


def problems() -> list[Problem]:
    """The seed's 2-10-5-1 on the course's circles (300 points), 2-64-64-64-1 on 1,000 points,
    2-32×8-1 on the course's 300 points."""
    out = []
    for sizes, spec in (
        (SEED_NETWORK, "circles"),
        (LARGE_NETWORK, "circles:n_samples=1000"),
        (DEEP_NETWORK, "circles"),
    ):
        ds = data.load(spec)
        X = np.ascontiguousarray(ds.X_train.T)
        out.append(Problem(Network(sizes), X, ds.y_train.reshape(1, -1).astype(float)))
    return out
