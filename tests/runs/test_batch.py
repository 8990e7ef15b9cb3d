"""Batches: how runs are grouped, and one batch's numbers against one engine call."""

import numpy as np

import initlab
from initlab import engine, initializers
from initlab.nn.network import Network
from initlab.nn.outputs import decide, targets
from initlab.runs.batch import Batch, run_batch
from initlab.runs.batch import batches as batches_of
from initlab.runs.grid import make_grid
from initlab.runs.spec import load_dataset

# -- batches -------------------------------------------------------------------------------------


def test_batches_share_a_shape_and_do_not_depend_on_what_is_done():
    runs = make_grid("zeros,he", "0-4", layers="2,3,1;2,4,1", iterations=10).runs()
    batches = batches_of(runs, 4)
    assert sum(len(b.runs) for b in batches) == len(runs)
    assert all(len({r.group for r in b.runs}) == 1 and len(b.runs) <= 4 for b in batches)
    assert [len(b.runs) for b in batches] == [4, 4, 2, 4, 4, 2]
    again = batches_of(list(runs), 4)
    assert [[r.key for r in b.runs] for b in again] == [[r.key for r in b.runs] for b in batches]
    part = batches[0].only([batches[0].runs[1].key])
    assert part.runs == (batches[0].runs[1],) and batches[0].only([]) is None


# -- one batch's numbers -------------------------------------------------------------------------


def _direct(runs, iterations, every):
    """The same runs through engine.train in one call, without the sweep's chunking."""
    dataset = load_dataset(runs[0].dataset)
    network = Network(runs[0].layers)
    initial = engine.stack(
        [
            initializers.init_network(
                network.sizes, initializers.get(r.init), np.random.RandomState(r.seed)
            )
            for r in runs
        ]
    )
    Y = targets(dataset.y_train, network.output_layer())
    lr = np.array([r.lr for r in runs])
    history = engine.train(
        network, initial, dataset.X_train.T, Y, lr, iterations, every, engine="numpy"
    )
    return network, dataset, history


def test_a_batch_equals_one_uninterrupted_engine_call():
    runs = make_grid("zeros,random,he", "3,4", lrs="0.01,0.05", iterations=300, every=100).runs()
    results = run_batch(Batch(0, tuple(runs)), "numpy")
    network, dataset, history = _direct(runs, 300, 100)
    from initlab.engine import reference

    final = reference.predict_proba(network, history.params, dataset.X_train.T)
    test = reference.predict_proba(network, history.params, dataset.X_test.T)
    for k, result in enumerate(results):
        assert result.spec == runs[k]
        assert [c for _, c, _, _ in result.history[:-1]] == list(history.costs[k])
        assert result.history[-1][:2] == (300, history.final_costs[k])
        assert result.final_cost == history.final_costs[k]
        assert result.train_accuracy == np.mean(decide(final[k]) == dataset.y_train)
        assert result.test_accuracy == np.mean(decide(test[k]) == dataset.y_test)
        finite = [c for _, c, _, _ in result.history]
        assert result.best_cost == min(finite)


def test_the_course_run_gives_the_course_numbers():
    """He with seed 3 in a sweep is initlab.compare's (the course's) He run."""
    result = run_batch(
        Batch(0, tuple(make_grid("zeros,he", "3", iterations=400, every=100).runs())),
        "numpy",
    )
    compared = initlab.compare(["zeros", "he"], iterations=400, every=100)
    for run, mine in zip(compared.runs, result, strict=True):
        assert [c for _, c in run.costs] == [c for _, c, _, _ in mine.history[:-1]]
        assert (run.final_cost, run.train_accuracy, run.test_accuracy, run.test_cost) == (
            mine.final_cost,
            mine.train_accuracy,
            mine.test_accuracy,
            mine.test_cost,
        )


def test_a_models_numbers_do_not_depend_on_its_batch():
    runs = make_grid("random,he", "0-3", iterations=200, every=50).runs()
    together = run_batch(Batch(0, tuple(runs)))
    alone = [run_batch(Batch(0, (r,)))[0] for r in runs[::3]]
    for one, many in zip(alone, together[::3], strict=True):
        assert one.history == many.history and one.test_accuracy == many.test_accuracy


def test_iterations_to_target_is_the_first_recorded_iteration_that_reaches_it():
    run = make_grid("he", "3", lrs=0.5, iterations=400, every=20).runs()[0]
    result = run_batch(Batch(0, (run,)), target=0.8)[0]
    reached = [i for i, _, _, test in result.history if test >= 0.8]
    assert reached, "lr 0.5 should reach 80 % on circles within 400 iterations"
    assert result.iters_to_target == reached[0]
    assert all(test < 0.8 for i, _, _, test in result.history if i < reached[0])


def test_a_diverged_run_has_no_accuracy_and_its_history_stops():
    """A deep linear network with a step of 1 blows up (a ReLU one just dies instead)."""
    grid = make_grid(
        "random:scale=10", "0", lrs="1,0.0001", activations_="linear", iterations=50, every=10
    )
    runs = grid.runs()
    bad, good = run_batch(Batch(0, tuple(runs)))
    dataset = load_dataset(runs[0].dataset)
    network = Network(runs[0].layers, "linear")
    initial = engine.stack(
        [
            initializers.init_network(
                network.sizes, initializers.get(r.init), np.random.RandomState(0)
            )
            for r in runs
        ]
    )
    Y = targets(dataset.y_train, network.output_layer())
    direct = engine.train(
        network, initial, dataset.X_train.T, Y, np.array([1.0, 0.0001]), 50, 10, engine="numpy"
    )
    assert bad.diverged_at == direct.diverged_at[0] > 0 and direct.diverged_at[1] == -1
    assert bad.final_cost is None and bad.test_accuracy is None and bad.train_accuracy is None
    assert all(i < bad.diverged_at for i, *_ in bad.history)
    assert good.diverged_at is None and good.final_cost is not None


def test_an_lsuv_run_is_completed_on_the_training_data():
    result = run_batch(Batch(0, tuple(make_grid("lsuv", "0", iterations=5, every=5).runs())))[0]
    assert result.final_cost is not None and np.isfinite(result.final_cost)
