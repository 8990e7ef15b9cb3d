"""Every "Expected Output" block of the seed, through initlab.course."""

import math
import re
import subprocess
import sys

import numpy as np
import pytest
from seed_numbers import (
    ACCURACY,
    HE_COSTS,
    HE_W1_2_4_1,
    HE_W2_2_4_1,
    RANDOM_W1_3_2_1,
    RANDOM_W2_3_2_1,
)

from initlab import course
from initlab.errors import InitlabError


def test_zeros_expected_output():
    p = course.initialize_parameters_zeros([3, 2, 1])
    assert p["W1"].shape == (2, 3) and p["b1"].shape == (2, 1)
    assert p["W2"].shape == (1, 2) and p["b2"].shape == (1, 1)
    assert all(np.all(v == 0) for v in p.values())


def test_random_expected_output():
    p = course.initialize_parameters_random([3, 2, 1])
    np.testing.assert_allclose(p["W1"], RANDOM_W1_3_2_1, atol=5e-9)
    np.testing.assert_allclose(p["W2"], RANDOM_W2_3_2_1, atol=5e-9)
    assert np.all(p["b1"] == 0) and p["b1"].shape == (2, 1) and np.all(p["b2"] == 0)


def test_he_expected_output():
    p = course.initialize_parameters_he([2, 4, 1])
    np.testing.assert_allclose(p["W1"], HE_W1_2_4_1, atol=5e-9)
    np.testing.assert_allclose(p["W2"], HE_W2_2_4_1, atol=5e-9)
    assert p["b1"].shape == (4, 1) and np.all(p["b1"] == 0)


def test_load_dataset_shapes():
    train_X, train_Y, test_X, test_Y = course.load_dataset()
    assert train_X.shape == (2, 300) and train_Y.shape == (1, 300)
    assert test_X.shape == (2, 100) and test_Y.shape == (1, 100)
    assert set(np.unique(train_Y)) == {0, 1}


def test_model_prints_the_seeds_costs_and_accuracies(capsys):
    train_X, train_Y, test_X, test_Y = course.load_dataset()
    parameters = course.model(train_X, train_Y, initialization="he")
    lines = capsys.readouterr().out.splitlines()
    printed = [float(line.split(": ")[1]) for line in lines if line.startswith("Cost after")]
    np.testing.assert_allclose(printed, HE_COSTS, rtol=1e-9)
    assert lines[0].startswith("Cost after iteration 0: ")
    p_train = course.predict(train_X, train_Y, parameters)
    p_test = course.predict(test_X, test_Y, parameters)
    out = capsys.readouterr().out.splitlines()
    assert out == [f"Accuracy: {ACCURACY['he'][0]}", f"Accuracy: {ACCURACY['he'][1]}"]
    assert p_train.shape == (1, 300) and set(np.unique(p_train)) <= {0, 1}
    assert p_test.shape == (1, 100)


def test_model_zeros_predicts_all_zeros(capsys):
    train_X, train_Y, _, _ = course.load_dataset()
    parameters = course.model(train_X, train_Y, num_iterations=2000, initialization="zeros")
    assert not course.predict_dec(parameters, train_X).any()


def _course_forward(X, p):
    z1 = p["W1"] @ X + p["b1"]
    a1 = np.maximum(0, z1)
    z2 = p["W2"] @ a1 + p["b2"]
    a2 = np.maximum(0, z2)
    z3 = p["W3"] @ a2 + p["b3"]
    return 1 / (1 + np.exp(-z3)), (z1, a1, z2, a2, z3)


def test_forward_backward_update_match_the_course_equations():
    """The course's own three-layer equations, written out, against the wrappers."""
    X, Y, _, _ = course.load_dataset()
    p = course.initialize_parameters_he([2, 10, 5, 1])
    a3, cache = course.forward_propagation(X, p)
    expected_a3, (z1, a1, z2, a2, z3) = _course_forward(X, p)
    np.testing.assert_allclose(a3, expected_a3, rtol=1e-14)
    assert len(cache) == 12
    g = course.backward_propagation(X, Y, cache)
    m = X.shape[1]
    dz3 = 1.0 / m * (a3 - Y)
    da2 = p["W3"].T @ dz3
    dz2 = da2 * (a2 > 0)
    da1 = p["W2"].T @ dz2
    dz1 = da1 * (a1 > 0)
    np.testing.assert_allclose(g["dW3"], dz3 @ a2.T, rtol=1e-12)
    np.testing.assert_allclose(g["dW2"], dz2 @ a1.T, rtol=1e-12)
    np.testing.assert_allclose(g["dW1"], dz1 @ X.T, rtol=1e-12)
    np.testing.assert_allclose(g["db1"], dz1.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(g["da1"], da1, rtol=1e-12)
    updated = course.update_parameters(p, g, 0.5)
    np.testing.assert_allclose(updated["W1"], p["W1"] - 0.5 * g["dW1"], rtol=1e-14)
    np.testing.assert_allclose(updated["b3"], p["b3"] - 0.5 * g["db3"], rtol=1e-14)


def test_compute_loss_is_the_courses():
    y = np.array([[1, 0]])
    assert course.compute_loss(np.array([[0.9, 0.2]]), y) == pytest.approx(
        (-np.log(0.9) - np.log(0.8)) / 2, rel=1e-15
    )
    # a confident wrong answer: the course's loss from probabilities is inf
    assert course.compute_loss(np.array([[0.9, 1.0]]), y) == np.inf


def test_unknown_initialization_is_one_clear_error():
    X, Y, _, _ = course.load_dataset()
    with pytest.raises(ValueError, match="zeros, random, he"):
        course.model(X, Y, initialization="xavier")


def test_initlab_course_needs_no_import_of_its_own():
    code = "import initlab; print(initlab.course.model.__name__, 'course' in dir(initlab))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["model", "True"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"num_iterations": -5, "learning_rate": math.nan},
            "learning_rate must be a finite number > 0; got nan",
        ),
        ({"num_iterations": -5}, "num_iterations must be an integer >= 1; got -5"),
        ({"num_iterations": 10.5}, "num_iterations must be an integer >= 1; got 10.5"),
        ({"learning_rate": -0.1}, "learning_rate must be a finite number > 0; got -0.1"),
        ({"learning_rate": math.inf}, "learning_rate must be a finite number > 0; got inf"),
        ({"print_cost": "no"}, "print_cost must be true or false; got 'no'"),
    ],
)
def test_model_refuses_bad_arguments_before_training(kwargs, message):
    X, Y, _, _ = course.load_dataset()
    with pytest.raises(InitlabError, match=re.escape(message)):
        course.model(X, Y, **kwargs)


def test_model_refuses_labels_that_do_not_match_the_examples():
    X, Y, _, _ = course.load_dataset()
    with pytest.raises(InitlabError, match=r"got X \(2, 300\) and Y \(300,\)"):
        course.model(X, Y.ravel(), num_iterations=1)


@pytest.mark.parametrize(
    "layers_dims, message",
    [
        ([2, 0, 1], "layers_dims[1] must be an integer >= 1; got 0"),
        ([2, 4.5, 1], "layers_dims[1] must be an integer >= 1; got 4.5"),
        ([3], "layers_dims needs at least 2 sizes"),
        ("2,4,1", "layers_dims must be a list of integers"),
    ],
)
def test_initializers_refuse_bad_layer_sizes(layers_dims, message):
    with pytest.raises(InitlabError, match=re.escape(message)):
        course.initialize_parameters_he(layers_dims)


def test_update_parameters_refuses_a_nan_learning_rate():
    parameters = course.initialize_parameters_he([2, 1])
    grads = {"dW1": np.ones((1, 2)), "db1": np.ones((1, 1))}
    with pytest.raises(InitlabError, match="learning_rate must be a finite number > 0; got nan"):
        course.update_parameters(parameters, grads, math.nan)
