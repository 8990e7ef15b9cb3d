"""Train K models together and measure cost, train and test accuracy every ``every`` iterations.

The accuracies are the reference engine's predictions (:func:`initlab.engine.reference.forward`,
the output's probabilities, :func:`initlab.nn.outputs.decide`) at each stop, computed a few models
at a time (:func:`logits`): a forward pass allocates each layer's ``(K, units, m)`` arrays afresh,
and over all K models at once these outgrow the caches. Every model's numbers are its own (the
stacked product runs model by model, the rest is elementwise), so chunks change no bit; they only
change the time. Measured on this project's 2-core machine, one pass took, over 64 models at once
against in chunks of at most :data:`CHUNK_BYTES`: 0.5–4 ms against 0.5–0.7 ms for the course's
2-10-5-1 on its 300 points, and 70–990 ms against 18–24 ms for 64-32-32-10 on scikit-learn's
digits (1,346 points), the slow ends while other jobs shared the cores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.params import Params, n_models
from initlab.nn import outputs
from initlab.nn.network import Network
from initlab.runs.segments import train_segments

#: the largest ``(models, units, samples)`` float64 array one measuring pass makes: the models per
#: pass are as many as fit, at least one
CHUNK_BYTES = 1 << 20


@dataclass
class Measured:
    """K models trained together, measured at ``points`` (0, every, 2·every, ..., iterations).

    ``costs``, ``train_accuracy`` and ``test_accuracy`` are ``(K, len(points))``, NaN from the
    point where a model diverged; ``test_costs`` is ``(K,)`` after the last update, NaN for a
    diverged model and not finite (NaN or inf) for one whose test logits overflowed while its
    training stayed finite (data far outside the training range: the callers store ``None``);
    ``diverged_at`` is ``(K,)``, −1 for a model that did not diverge.
    """

    points: list[int]
    costs: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    test_costs: np.ndarray
    diverged_at: np.ndarray
    engine: str


def train_and_measure(
    network: Network,
    dataset: Dataset,
    initial: Params,
    lr: np.ndarray,
    iterations: int,
    every: int,
    engine_name: str = "auto",
    progress: Callable[[int], None] | None = None,
) -> Measured:
    """Train the K models of ``initial`` on ``dataset`` and measure them every ``every`` iterations.

    Training stops every ``every`` iterations (:func:`initlab.runs.segments.train_segments`, the
    same arithmetic as one uninterrupted :func:`initlab.engine.train` call; a model that diverged
    stays frozen) so the train and test accuracy can be measured at each recorded iteration.
    ``progress(n)`` is called with the model-iterations done in each segment.
    """
    output = network.output_layer()
    n_classes = dataset.n_classes
    X, Y = dataset.X_train.T, outputs.targets(dataset.y_train, output, n_classes)
    X_test = dataset.X_test.T
    K = n_models(initial)
    points = [*range(0, iterations, every), iterations]
    train_acc = np.full((K, len(points)), np.nan)
    test_acc = np.full((K, len(points)), np.nan)
    done = [0]
    test_logits = [np.empty(0)]  # the last stop's are the final parameters', for the test cost

    def accuracies(point: int, params: Params, diverged_at: np.ndarray) -> None:
        j = len(points) - 1 if point == iterations else point // every
        test_logits[0] = logits(network, params, X_test)
        with np.errstate(over="ignore", invalid="ignore"):
            train_pred = outputs.decide(output.predict(logits(network, params, X)))
            test_pred = outputs.decide(output.predict(test_logits[0]))
        train_acc[:, j] = np.mean(train_pred == dataset.y_train, axis=-1)
        test_acc[:, j] = np.mean(test_pred == dataset.y_test, axis=-1)
        if progress is not None and point > done[0]:
            progress(K * (point - done[0]))
        done[0] = point

    history = train_segments(
        network, initial, X, Y, lr, points[1:], every, engine=engine_name, at_stop=accuracies
    )
    diverged_at = history.diverged_at
    costs = np.column_stack([history.costs, history.final_costs])
    with np.errstate(over="ignore", invalid="ignore"):
        test_costs = output.cost(test_logits[0], outputs.targets(dataset.y_test, output, n_classes))
    point_array = np.array(points)
    for k in np.flatnonzero(diverged_at >= 0):
        dead = point_array >= diverged_at[k]
        train_acc[k, dead] = test_acc[k, dead] = np.nan
        test_costs[k] = np.nan
    return Measured(points, costs, train_acc, test_acc, test_costs, diverged_at, history.engine)


def logits(network: Network, params: Params, X: np.ndarray) -> np.ndarray:
    """The K models' logits ``(K, n_out, m)`` on ``X`` ``(n_in, m)``: the reference engine's
    forward pass over as many models at a time as keep its widest layer's activations within
    :data:`CHUNK_BYTES` (see the module docstring), concatenated."""
    K, m = n_models(params), int(X.shape[1])
    step = max(1, CHUNK_BYTES // (8 * max(network.sizes[1:]) * m))
    with np.errstate(over="ignore", invalid="ignore"):
        parts = [
            reference.forward(
                network, [(W[lo : lo + step], b[lo : lo + step]) for W, b in params], X
            ).logits
            for lo in range(0, K, step)
        ]
    return np.concatenate(parts)
