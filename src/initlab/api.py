"""The public Python API: :func:`compare`.

Arrays follow scikit-learn's convention (``X`` of shape ``(n_samples, n_features)``); the engine's
features × samples layout stays inside.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from initlab import data, engine
from initlab import init as initializers
from initlab.analysis.diagnosis import RunFacts, diagnose, saturated_share
from initlab.analysis.symmetry import distinct_per_layer
from initlab.comparison import Comparison
from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.errors import InitlabError
from initlab.nn.network import Network
from initlab.nn.outputs import decide, targets
from initlab.runs.run import Run
from initlab.specs import split_spec_list
from initlab.validate import integer_at_least, positive_number

COURSE_INITS = ("zeros", "random", "he")
COURSE_LAYERS = (2, 10, 5, 1)

InitSpec = str | initializers.Initializer | Callable[..., np.ndarray]


def _initializers(inits: str | Sequence[InitSpec]) -> list[initializers.Initializer]:
    specs = split_spec_list(inits) if isinstance(inits, str) else list(inits)
    if not specs:
        raise InitlabError(f"give at least one initializer; valid: {', '.join(initializers.names())}")
    return [initializers.get(spec) for spec in specs]


def _network(layers: Sequence[int], dataset: Dataset) -> Network:
    network = Network(tuple(layers))
    if network.sizes[0] != dataset.n_features:
        raise InitlabError(
            f"the layer list starts with {network.sizes[0]} inputs but dataset {dataset.spec!r} has "
            f"{dataset.n_features} features; the first size must be {dataset.n_features}"
        )
    if network.sizes[-1] != 1 or dataset.n_classes != 2:
        raise InitlabError(
            f"the sigmoid output needs 1 output unit and 2 classes; got {network.sizes[-1]} output "
            f"units for {dataset.n_classes} classes"
        )
    return network


def compare(
    inits: str | Sequence[InitSpec] = COURSE_INITS,
    layers: Sequence[int] = COURSE_LAYERS,
    *,
    dataset: str | Dataset = "circles",
    lr: float = 0.01,
    iterations: int = 15000,
    every: int = 1000,
    seed: int = 3,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Train one network per initializer on the same data and compare them.

    The defaults are the course's experiment: a 2-10-5-1 ReLU/sigmoid network on the course's
    circles, learning rate 0.01, 15,000 iterations, the cost recorded every 1,000, and each
    initializer drawing from ``RandomState(seed)`` with seed 3. All runs train together, as one batch
    of K models.

    >>> result = compare(["zeros", "he"], iterations=100)   # doctest: +SKIP
    >>> result.run("he").train_accuracy                      # doctest: +SKIP
    """
    lr = positive_number("lr", lr)
    iterations = integer_at_least("iterations", iterations, 1)
    every = integer_at_least("every", every, 1)
    seed = integer_at_least("seed", seed, 0)
    inits_ = _initializers(inits)
    dataset_ = data.load(dataset)
    network = _network(layers, dataset_)

    models = [
        initializers.init_network(network.sizes, ini, np.random.RandomState(seed)) for ini in inits_
    ]
    initial = engine.stack(models)
    X, Y = dataset_.X_train.T, targets(dataset_.y_train, network.output_layer())
    history = engine.train(network, initial, X, Y, lr, iterations, every, progress)
    runs = _evaluate(network, dataset_, inits_, seed, initial, history)
    return Comparison(dataset_, network, lr, iterations, every, seed, runs, history.engine)


def _evaluate(
    network: Network,
    dataset: Dataset,
    inits: list[initializers.Initializer],
    seed: int,
    initial: engine.Params,
    history: engine.History,
) -> list[Run]:
    """One :class:`Run` per model: accuracies, costs, symmetry and saturation, diagnosis."""
    output = network.output_layer()
    X_test, Y_test = dataset.X_test.T, targets(dataset.y_test, output)
    with np.errstate(over="ignore", invalid="ignore"):
        initial_logits = reference.forward(network, initial, dataset.X_train.T).logits
        train_labels = decide(reference.predict_proba(network, history.params, dataset.X_train.T))
        test_logits = reference.forward(network, history.params, X_test).logits
    test_labels = decide(output.predict(test_logits))
    test_costs = output.cost(test_logits, Y_test)
    runs = []
    for k, ini in enumerate(inits):
        diverged = history.diverged(k)
        final_params = engine.unstack(history.params, k)
        distinct = distinct_per_layer(final_params)
        facts = RunFacts(
            diverged_at=int(history.diverged_at[k]) if diverged else None,
            hidden_sizes=network.hidden,
            distinct_units=tuple(distinct),
            initial_cost=float(history.costs[k, 0]),
            final_cost=None if diverged else float(history.final_costs[k]),
            saturated_share=saturated_share(initial_logits[k]),
            train_accuracy=None if diverged else float(np.mean(train_labels[k] == dataset.y_train)),
        )
        runs.append(
            Run(
                init=ini.spec,
                seed=seed,
                costs=history.cost_pairs(k),
                final_cost=facts.final_cost,
                test_cost=None if diverged else float(test_costs[k]),
                train_accuracy=facts.train_accuracy,
                test_accuracy=None if diverged else float(np.mean(test_labels[k] == dataset.y_test)),
                diverged_at=facts.diverged_at,
                diagnosis=diagnose(facts),
                initial_params=engine.unstack(initial, k),
                final_params=final_params,
                facts={
                    "hidden_sizes": list(network.hidden),
                    "distinct_units": distinct,
                    "initial_saturated_share": facts.saturated_share,
                },
            )
        )
    return runs
