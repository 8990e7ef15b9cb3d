"""``initlab.diagnose``: training in segments, statistics at checkpoints, theory and JSON."""

import json

import numpy as np
import pytest

import initlab
from initlab import data, engine, initializers
from initlab.analysis.layer_stats import layer_stats
from initlab.errors import InitlabError
from initlab.experiments.diagnose import default_checkpoints
from initlab.nn.network import Network
from initlab.nn.outputs import targets


def test_training_in_segments_equals_one_run():
    """The engine is deterministic: 10 + 25 iterations from where the first stopped are 35."""
    dataset = data.load("circles")
    network = Network((2, 8, 8, 1))
    X, Y = dataset.X_train.T, targets(dataset.y_train, network.output_layer())
    rng = np.random.RandomState(0)
    params = engine.stack([initializers.init_network(network.sizes, initializers.get("he"), rng)])
    whole = engine.train(network, params, X, Y, 0.05, 35, 5, engine="numpy")
    first = engine.train(network, params, X, Y, 0.05, 10, 5, engine="numpy")
    second = engine.train(network, first.params, X, Y, 0.05, 25, 5, engine="numpy")
    for (W, b), (W2, b2) in zip(whole.params, second.params, strict=True):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    np.testing.assert_array_equal(whole.costs[0], np.concatenate([first.costs[0], second.costs[0]]))


@pytest.fixture(scope="module")
def small():
    return initlab.diagnose(
        ["zeros", "he", "orthogonal"],
        depth=3,
        width=12,
        iterations=40,
        checkpoints=[5, 20],
        engine="numpy",
    )


def test_checkpoints_and_statistics_equal_an_uninterrupted_run(small):
    assert small.checkpoints == [0, 5, 20, 40]
    assert [s.iteration for s in small.stats] == [0, 5, 20, 40]
    dataset = data.load("circles")
    network = small.network
    X, Y = dataset.X_train.T, targets(dataset.y_train, network.output_layer())
    initial = engine.stack(
        [
            initializers.init_network(network.sizes, initializers.get(s), np.random.RandomState(3))
            for s in ("zeros", "he", "orthogonal")
        ]
    )
    history = engine.train(network, initial, X, Y, 0.01, 40, 10, engine="numpy")
    end = layer_stats(network, history.params, X, Y, iteration=40)
    for field in ("pre_std", "grad_w", "grad_z", "dead", "distinct"):
        np.testing.assert_allclose(getattr(small.stats[-1], field), getattr(end, field), rtol=1e-12)
    assert [c for c, _ in small.costs[1]] == [0, 10, 20, 30]
    np.testing.assert_allclose([c for _, c in small.costs[1]], history.costs[1], rtol=1e-12)


def test_zeros_keep_one_distinct_unit_per_layer_and_he_all_of_them(small):
    for stats in small.stats:
        assert stats.distinct[0].tolist() == [1, 1, 1]  # zeros, at every checkpoint
        assert stats.distinct[1].tolist() == [12, 12, 12]  # he
    assert small.diagnoses()[0] == "fails to break symmetry (each hidden layer acts as one unit)"


def test_theory_where_it_applies(small):
    he = small.theories[1]
    np.testing.assert_allclose(he.sigma_w2, 2.0)
    np.testing.assert_allclose(he.chi, 1.0)
    assert small.theories[2] is None and "Supported: " in small.theory_notes[2]
    zeros = small.theories[0]
    np.testing.assert_array_equal(zeros.q, 0.0)


def test_table_and_json(small):
    table = small.table()
    assert len(table) == 4 * 3 * 4  # checkpoints × initializers × weight layers
    first = table[(table.init == "he") & (table.iteration == 0)]
    assert first["theory std z"].notna().all() and first["layer"].tolist() == [1, 2, 3, 4]
    data_ = json.loads(small.to_json())
    assert data_["checkpoints"] == [0, 5, 20, 40]
    he = data_["runs"][1]
    assert he["theory"]["chi"] == [1.0, 1.0, 1.0]
    assert [c["iteration"] for c in he["checkpoints"]] == [0, 5, 20, 40]
    assert he["checkpoints"][0]["distinct"] == [12, 12, 12]
    assert data_["runs"][2]["theory"] is None and data_["runs"][2]["theory_note"]


def test_a_diverged_model_is_left_out_after_it_diverged():
    result = initlab.diagnose(
        ["random:scale=30", "he"], depth=8, width=32, lr=1.0, iterations=10, engine="numpy"
    )
    assert result.diverged_at[0] is not None and result.diverged_at[1] is None
    assert not result.alive[-1, 0] and result.alive[-1, 1]
    assert result.diagnoses()[0].startswith(f"diverged at iteration {result.diverged_at[0]}")
    assert "exploding gradients" in result.diagnoses()[0]
    runs = json.loads(result.to_json())["runs"]
    assert [c["iteration"] for c in runs[0]["checkpoints"]] == [0]
    assert runs[0]["train_accuracy"] is None
    assert set(result.table().init) == set(result.inits)  # both have rows (random: at init)
    assert set(result.table()[result.table().iteration > 0].init) == {"he"}


def test_default_checkpoints():
    assert default_checkpoints(0) == [0]
    assert default_checkpoints(10) == [0, 10]
    assert default_checkpoints(1000) == [0, 10, 100, 1000]
    assert default_checkpoints(1500) == [0, 10, 100, 1000, 1500]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"checkpoints": [-1]}, "checkpoints must be integers from 0 to iterations"),
        ({"checkpoints": [50]}, "checkpoints must be integers from 0 to iterations"),
        ({"depth": 0}, "depth must be an integer >= 1"),
        ({"width": 0}, "width must be an integer >= 1"),
        ({"inits": "nope"}, "unknown initializer 'nope'"),
        ({"activation": "nope"}, "unknown activation 'nope'"),
        ({"iterations": -1}, "iterations must be an integer >= 0"),
    ],
)
def test_bad_input(kwargs, message):
    kwargs = {"iterations": 10, **kwargs}
    with pytest.raises(InitlabError, match=message):
        initlab.diagnose(**kwargs)
