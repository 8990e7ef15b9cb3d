"""The sweep grid: seeds, canonical specs and keys, batches, and one batch's numbers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import initlab
from initlab import engine, initializers
from initlab.errors import InitlabError
from initlab.nn.network import Network
from initlab.nn.outputs import decide, targets
from initlab.runs import sweep

# -- seeds ---------------------------------------------------------------------------------------


def test_seed_ranges_and_lists():
    assert sweep.parse_seeds("0-3,7, 9-10") == (0, 1, 2, 3, 7, 9, 10)
    assert sweep.parse_seeds("5") == (5,)
    assert sweep.parse_seeds([3, 1, 3]) == (3, 1)
    assert sweep.parse_seeds(4) == (4,)


@given(st.integers(0, 10_000), st.integers(0, 50))
def test_a_range_is_every_seed_from_low_to_high(low, span):
    assert sweep.parse_seeds(f"{low}-{low + span}") == tuple(range(low, low + span + 1))


@pytest.mark.parametrize(
    "text, message",
    [
        ("5-2", "seed range '5-2' runs backwards"),
        ("a", "seeds are integers >= 0 or ranges"),
        ("-3", "seeds are integers >= 0 or ranges"),
        ("1-2-3", "seeds are integers >= 0 or ranges"),
        ("4294967296", "between 0 and 4294967295"),
    ],
)
def test_bad_seeds_are_one_clear_error(text, message):
    with pytest.raises(InitlabError, match=message):
        sweep.parse_seeds(text)


# -- canonical specs and keys --------------------------------------------------------------------


def test_aliases_and_defaults_give_the_same_key():
    a = sweep.make_grid("kaiming_normal,random", "3").runs()
    b = sweep.make_grid("he_normal,random:scale=10.0", [3], datasets="circles:noise=0.05").runs()
    assert [r.key for r in a] == [r.key for r in b]
    assert a[0].init.startswith("he_normal:") and a[1].init == "random:scale=10.0"


def test_the_key_is_the_hash_of_the_canonical_spec():
    import hashlib
    import json

    run = sweep.make_grid("he", "3").runs()[0]
    canonical = run.canonical()
    assert canonical["layers"] == [2, 10, 5, 1] and canonical["seed"] == 3
    assert canonical["dataset"].startswith("circles:") and "noise=0.05" in canonical["dataset"]
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    assert run.key == hashlib.sha256(text.encode()).hexdigest()[:32]


def test_every_setting_changes_the_key():
    base = sweep.make_grid("he", "3").runs()[0]
    others = [
        sweep.make_grid("he", "4").runs()[0],
        sweep.make_grid("he_normal", "3").runs()[0],
        sweep.make_grid("he", "3", lrs=0.02).runs()[0],
        sweep.make_grid("he", "3", iterations=100).runs()[0],
        sweep.make_grid("he", "3", every=10).runs()[0],
        sweep.make_grid("he", "3", activations_="tanh").runs()[0],
        sweep.make_grid("he", "3", layers="2,10,1").runs()[0],
        sweep.make_grid("he", "3", datasets="circles:noise=0.1").runs()[0],
    ]
    assert len({base.key, *(r.key for r in others)}) == len(others) + 1


def test_the_grid_is_the_product_of_its_axes_without_duplicates():
    grid = sweep.make_grid(
        "zeros,he,he", "0-2", lrs="0.01,0.1", depths="1,3", widths=4, iterations=10, every=5
    )
    runs = grid.runs()
    assert len(runs) == 2 * 3 * 2 * 2
    assert {r.layers for r in runs} == {(2, 4, 1), (2, 4, 4, 4, 1)}
    assert {r.depth for r in runs} == {1, 3} and {r.width for r in runs} == {4}
    assert len({r.key for r in runs}) == len(runs)


def test_auto_layers_take_their_ends_from_each_dataset():
    runs = sweep.make_grid("he", "0", datasets="circles,spiral:classes=3", layers="auto,8,auto")
    sizes = {r.dataset.partition(":")[0]: (r.layers, r.output) for r in runs.runs()}
    assert sizes["circles"] == ((2, 8, 1), "sigmoid")
    assert sizes["spiral"] == ((2, 8, 3), "softmax")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"inits": "", "seeds": "0-3"}, "the grid is empty: --inits"),
        ({"inits": "he", "seeds": ""}, "the grid is empty: --seeds"),
        ({"inits": "he", "seeds": "0", "lrs": ""}, "the grid is empty: --lr"),
        ({"inits": "he", "seeds": "0", "depths": "2"}, "--depth needs --width"),
        ({"inits": "he", "seeds": "0", "layers": "3,4,1"}, "must start with 2"),
        ({"inits": "hee", "seeds": "0"}, "did you mean 'he'"),
        ({"inits": "he", "seeds": "0", "lrs": "-1"}, "lr must be a finite number > 0"),
    ],
)
def test_bad_grids_are_one_clear_error(kwargs, message):
    with pytest.raises(InitlabError, match=message):
        sweep.make_grid(**kwargs).runs()


# -- batches -------------------------------------------------------------------------------------


def test_batches_share_a_shape_and_do_not_depend_on_what_is_done():
    runs = sweep.make_grid("zeros,he", "0-4", layers="2,3,1;2,4,1", iterations=10).runs()
    batches = sweep.batches(runs, 4)
    assert sum(len(b.runs) for b in batches) == len(runs)
    assert all(len({r.group for r in b.runs}) == 1 and len(b.runs) <= 4 for b in batches)
    assert [len(b.runs) for b in batches] == [4, 4, 2, 4, 4, 2]
    again = sweep.batches(list(runs), 4)
    assert [[r.key for r in b.runs] for b in again] == [[r.key for r in b.runs] for b in batches]
    part = batches[0].only([batches[0].runs[1].key])
    assert part.runs == (batches[0].runs[1],) and batches[0].only([]) is None


# -- one batch's numbers -------------------------------------------------------------------------


def _direct(runs, iterations, every):
    """The same runs through engine.train in one call, without the sweep's chunking."""
    dataset = sweep.load_dataset(runs[0].dataset)
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
    runs = sweep.make_grid(
        "zeros,random,he", "3,4", lrs="0.01,0.05", iterations=300, every=100
    ).runs()
    results = sweep.run_batch(sweep.Batch(0, tuple(runs)), "numpy")
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
    result = sweep.run_batch(
        sweep.Batch(0, tuple(sweep.make_grid("zeros,he", "3", iterations=400, every=100).runs())),
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
    runs = sweep.make_grid("random,he", "0-3", iterations=200, every=50).runs()
    together = sweep.run_batch(sweep.Batch(0, tuple(runs)))
    alone = [sweep.run_batch(sweep.Batch(0, (r,)))[0] for r in runs[::3]]
    for one, many in zip(alone, together[::3], strict=True):
        assert one.history == many.history and one.test_accuracy == many.test_accuracy


def test_iterations_to_target_is_the_first_recorded_iteration_that_reaches_it():
    run = sweep.make_grid("he", "3", lrs=0.5, iterations=400, every=20).runs()[0]
    result = sweep.run_batch(sweep.Batch(0, (run,)), target=0.8)[0]
    reached = [i for i, _, _, test in result.history if test >= 0.8]
    assert reached, "lr 0.5 should reach 80 % on circles within 400 iterations"
    assert result.iters_to_target == reached[0]
    assert all(test < 0.8 for i, _, _, test in result.history if i < reached[0])


def test_a_diverged_run_has_no_accuracy_and_its_history_stops():
    """A deep linear network with a step of 1 blows up (a ReLU one just dies instead)."""
    grid = sweep.make_grid(
        "random:scale=10", "0", lrs="1,0.0001", activations_="linear", iterations=50, every=10
    )
    runs = grid.runs()
    bad, good = sweep.run_batch(sweep.Batch(0, tuple(runs)))
    dataset = sweep.load_dataset(runs[0].dataset)
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
    result = sweep.run_batch(
        sweep.Batch(0, tuple(sweep.make_grid("lsuv", "0", iterations=5, every=5).runs()))
    )[0]
    assert result.final_cost is not None and np.isfinite(result.final_cost)
