"""The one measuring loop: segments are one run, a diverged model stays frozen and NaN."""

import numpy as np

from initlab import data, engine, initializers
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network
from initlab.nn.outputs import targets
from initlab.runs.segments import train_segments


def _problem(inits, sizes=(2, 10, 5, 1), activation="relu"):
    dataset = data.load("circles")
    network = Network(sizes, activation)
    X = dataset.X_train.T
    Y = targets(dataset.y_train, network.output_layer())
    initial = initial_batch(network, [(initializers.get(i), 3) for i in inits], X)
    return network, initial, X, Y


def test_segments_equal_one_uninterrupted_call_bit_for_bit():
    network, initial, X, Y = _problem(["zeros", "random", "he", "lsuv"])
    lr = np.array([0.01, 0.01, 0.5, 0.1])
    whole = engine.train(network, initial, X, Y, lr, 95, 10, engine="numpy")
    seen = []
    parts = train_segments(
        network,
        initial,
        X,
        Y,
        lr,
        [13, 40, 95],  # 13 is not a multiple of every: that segment records every iteration
        10,
        at_stop=lambda i, params, diverged: seen.append(i),
    )
    assert seen == [0, 13, 40, 95]
    np.testing.assert_array_equal(parts.iterations, whole.iterations)
    np.testing.assert_array_equal(parts.costs, whole.costs)
    np.testing.assert_array_equal(parts.final_costs, whole.final_costs)
    for (W, b), (W1, b1) in zip(parts.params, whole.params, strict=True):
        np.testing.assert_array_equal(W, W1)
        np.testing.assert_array_equal(b, b1)


def test_progress_counts_iterations_over_all_segments():
    network, initial, X, Y = _problem(["he"])
    calls = []
    train_segments(network, initial, X, Y, 0.01, [3, 7], 1, progress=calls.append)
    assert calls == [1, 2, 3, 4, 5, 6, 7]


def test_a_model_diverged_in_one_segment_stays_frozen_and_nan_in_the_next():
    """A zeroed network has the finite cost ln 2: it must not come back as a cost."""
    network, initial, X, Y = _problem(["random:scale=10", "he"], (2, 10, 10, 10, 1), "linear")
    history = train_segments(network, initial, X, Y, np.array([1.0, 0.0001]), [5, 30, 60], 5)
    whole = engine.train(network, initial, X, Y, np.array([1.0, 0.0001]), 60, 5)
    assert 0 < history.diverged_at[0] < 30 and history.diverged_at[1] == -1
    assert history.diverged_at[0] == whole.diverged_at[0]
    after = history.iterations >= history.diverged_at[0]
    assert np.isnan(history.costs[0, after]).all() and np.isnan(history.final_costs[0])
    assert all(i < history.diverged_at[0] for i, _ in history.cost_pairs(0))
    np.testing.assert_array_equal(history.costs, whole.costs)
    assert not history.params[0][0][0].any()  # still zero: learning rate 0 after divergence


def test_diagnose_reports_no_cost_after_a_divergence():
    """diagnose trains to each checkpoint in segments: the zeroed model's ln 2 is not a cost."""
    import initlab

    result = initlab.diagnose(
        ["random:scale=30", "he"],
        depth=8,
        width=32,
        lr=1.0,
        iterations=40,
        every=5,
        engine="numpy",
    )
    diverged = result.diverged_at[0]
    assert diverged is not None and diverged < 10
    assert result.costs[0] and all(i < diverged for i, _ in result.costs[0])
    assert [i for i, _ in result.costs[1]] == list(range(0, 40, 5))
