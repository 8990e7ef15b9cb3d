"""Whole runs through initlab.compare: a sensible start learns, a zero start stays symmetric."""

import numpy as np
import pytest

import initlab
from initlab.nn import activations

ACTIVATIONS = list(activations.REGISTRY)


@pytest.mark.parametrize("dataset", ["moons", "xor"])
def test_a_two_layer_tanh_net_learns_moons_and_xor(dataset):
    result = initlab.compare(
        ["glorot_uniform"],
        "auto,16,auto",
        dataset=dataset,
        activation="tanh",
        lr=0.5,
        iterations=2000,
        seed=0,
    )
    run = result.runs[0]
    assert result.network.sizes == (2, 16, 1)
    assert run.train_accuracy >= 0.95 and run.test_accuracy >= 0.9
    assert run.final_cost < 0.25 * run.initial_cost


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("dataset", ["moons", "blobs"])  # sigmoid output, softmax output
def test_zeros_fails_to_break_symmetry_for_every_activation(activation, dataset):
    result = initlab.compare(
        ["zeros"],
        "auto,6,4,auto",
        dataset=dataset,
        activation=activation,
        lr=0.5,
        iterations=150,
        every=50,
    )
    run = result.runs[0]
    assert run.facts["distinct_units"] == [1, 1]
    assert run.diagnosis.startswith("fails to break symmetry")
    (W1, b1), (W2, b2), (W3, _) = run.final_params
    if activations.get(activation).forward(np.zeros(1))[0] == 0:
        # φ(0) = 0: hidden outputs are 0, so no gradient ever reaches the hidden weights
        assert not W1.any() and not b1.any() and not W2.any() and not b2.any()
    # φ(0) ≠ 0 (sigmoid, softplus) too: whatever moves, every unit of a layer moves alike
    assert np.all(W1 == W1[0]) and np.all(b1 == b1[0])
    assert np.all(W2 == W2[0]) and np.all(b2 == b2[0]) and np.all(W3 == W3[:, :1])


def test_per_class_accuracy_for_multiclass():
    result = initlab.compare(
        ["zeros", "he"],
        "auto,8,auto",
        dataset="blobs",
        activation="tanh",
        lr=0.5,
        iterations=300,
        every=100,
    )
    assert result.network.output == "softmax" and result.network.sizes == (2, 8, 3)
    ds = result.dataset
    for run in result.runs:
        record = run.to_dict()
        for part, y in (("train", ds.y_train), ("test", ds.y_test)):
            per_class = record[f"{part}_per_class_accuracy"]
            assert list(per_class) == ["0", "1", "2"]
            # the per-class shares, weighted by class size, give the overall accuracy
            weighted = sum(per_class[str(c)] * np.mean(y == c) for c in range(3))
            assert weighted == pytest.approx(record[f"{part}_accuracy"], abs=1e-12)
    zeros = result.run("zeros").to_dict()["train_per_class_accuracy"]
    assert sorted(zeros.values()) == [0.0, 0.0, 1.0]  # one class predicted everywhere


def test_binary_runs_carry_no_per_class_accuracy(seed_comparison):
    assert "train_per_class_accuracy" not in seed_comparison.runs[0].to_dict()
