"""A sweep's stored numbers against a direct computation: each recorded iteration's parameters
from one uninterrupted engine call, and their accuracies and costs from one forward pass over all
the models at once (no stops, no chunks)."""

import numpy as np
import pytest

import initlab
from initlab import engine, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network
from initlab.nn.outputs import decide, targets
from initlab.runs import measure
from initlab.runs.grid import make_grid
from initlab.runs.spec import load_dataset

ITERATIONS, EVERY = 120, 40


def _direct(runs):
    """Per run: ``[(iteration, cost, train accuracy, test accuracy), ...]`` and its test cost."""
    first = runs[0]
    dataset = load_dataset(first.dataset)
    network = Network(first.layers, first.activation, first.output)
    output = network.output_layer()
    X, X_test = dataset.X_train.T, dataset.X_test.T
    Y = targets(dataset.y_train, output, dataset.n_classes)
    initial = initial_batch(network, [(initializers.get(r.init), r.seed) for r in runs], X)
    lr = np.array([r.lr for r in runs])
    whole = engine.train(network, initial, X, Y, lr, ITERATIONS, EVERY, engine="numpy")
    costs = np.column_stack([whole.costs, whole.final_costs])
    points = [*range(0, ITERATIONS, EVERY), ITERATIONS]
    train_acc, test_acc = [], []
    for point in points:
        params = engine.train(network, initial, X, Y, lr, point, EVERY, engine="numpy").params
        if point == 0:
            params = initial
        train = decide(reference.predict_proba(network, params, X))
        test = decide(reference.predict_proba(network, params, X_test))
        train_acc.append(np.mean(train == dataset.y_train, axis=-1))
        test_acc.append(np.mean(test == dataset.y_test, axis=-1))
    test_costs = output.cost(
        reference.forward(network, whole.params, X_test).logits,
        targets(dataset.y_test, output, dataset.n_classes),
    )
    history = [
        [(p, costs[k, j], train_acc[j][k], test_acc[j][k]) for j, p in enumerate(points)]
        for k in range(len(runs))
    ]
    return history, test_costs


@pytest.mark.parametrize("chunk_bytes", [measure.CHUNK_BYTES, 50_000])
@pytest.mark.parametrize("dataset", ["circles", "blobs"])
def test_a_sweeps_stored_records_equal_a_direct_computation(
    tmp_path, monkeypatch, chunk_bytes, dataset
):
    """50,000 bytes splits the forward passes into chunks of 2 (training) and 6 (test) of the 8
    models of 2-10-5-1 on circles' 300 + 100 points, the default into one."""
    monkeypatch.setattr(measure, "CHUNK_BYTES", chunk_bytes)
    store = str(tmp_path / "s.db")
    grid = dict(iterations=ITERATIONS, every=EVERY, dataset=dataset, lr="0.01,0.5")
    outcome = initlab.sweep(
        ["zeros", "he"], "0,1", store=store, engine="numpy", progress=False, **grid
    )
    assert outcome.ran == 8 and outcome.batches == 1
    runs = make_grid(
        ["zeros", "he"], "0,1", datasets=dataset, lrs="0.01,0.5", iterations=ITERATIONS, every=EVERY
    ).runs()
    history, test_costs = _direct(runs)
    table, curves = initlab.load(store), initlab.load(store, "history")
    for k, run in enumerate(runs):
        row = table[table.key == run.key].iloc[0]
        stored = curves[curves.key == run.key]
        assert list(stored.itertuples(index=False, name=None)) == [
            (run.key, *point) for point in history[k]
        ]
        final = history[k][-1]
        assert (row.final_cost, row.train_accuracy, row.test_accuracy) == final[1:]
        assert row.test_cost == test_costs[k]
        assert row.best_cost == min(c for _, c, _, _ in history[k])


@pytest.mark.parametrize("sizes", [(2, 10, 5, 1), (2, 64, 64, 3)])
def test_logits_in_chunks_equal_one_pass_over_all_models(monkeypatch, sizes):
    monkeypatch.setattr(measure, "CHUNK_BYTES", 8 * max(sizes[1:]) * 50 * 3)  # 3 models a pass
    network = Network(sizes, output="sigmoid" if sizes[-1] == 1 else "softmax")
    params = initial_batch(network, [(initializers.get("he"), s) for s in range(7)])
    X = np.random.default_rng(0).normal(size=(2, 50))
    whole = reference.forward(network, params, X).logits
    assert whole.shape == (7, sizes[-1], 50)
    assert np.array_equal(measure.logits(network, params, X), whole)
