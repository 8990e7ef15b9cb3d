"""Sigmoid/BCE and softmax/categorical cross-entropy from logits."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from initlab.errors import InitlabError
from initlab.nn import outputs

SIGMOID, SOFTMAX = outputs.OUTPUTS["sigmoid"], outputs.OUTPUTS["softmax"]
logit = st.floats(-60, 60)


@settings(max_examples=50, deadline=None)
@given(z=arrays(float, (3, 1, 7), elements=logit), data=st.data())
def test_softmax_on_logits_0_z_is_the_sigmoid_case(z, data):
    """K = 2 written both ways: softmax over logits [0, z] with one-hot [1−y, y] equals the
    sigmoid on z with label y — the cost, the probabilities and dCost/dz."""
    y = np.array(data.draw(st.lists(st.integers(0, 1), min_size=7, max_size=7)))
    Y1 = outputs.targets(y, SIGMOID)
    Y2 = outputs.targets(y, SOFTMAX, 2)
    Z2 = np.concatenate([np.zeros_like(z), z], axis=1)
    np.testing.assert_allclose(SOFTMAX.cost(Z2, Y2), SIGMOID.cost(z, Y1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(SOFTMAX.predict(Z2)[:, 1:], SIGMOID.predict(z), rtol=1e-12)
    # d/dz of the softmax cost is the gradient on the second logit (the first is fixed at 0)
    np.testing.assert_allclose(SOFTMAX.grad(Z2, Y2)[:, 1:], SIGMOID.grad(z, Y1), atol=1e-15)
    # σ(z) rounds to exactly 0.5 when e^(−z) is within a few ulps of 1 (|z| ≲ 4e-16); for such a
    # z > 0 the sigmoid decides 0 and the softmax, whose two probabilities still differ, decides
    # 1. The decisions agree everywhere else, and the tie happens only there
    p = SIGMOID.predict(z)
    tie = p[..., 0, :] == 0.5
    assert np.all(np.abs(z[..., 0, :][tie]) < 1e-15)
    decided = outputs.decide(SOFTMAX.predict(Z2)), outputs.decide(p)
    assert np.array_equal(decided[0][~tie], decided[1][~tie])


@settings(max_examples=50, deadline=None)
@given(a=arrays(float, (2, 1, 5), elements=logit), b=arrays(float, (2, 1, 5), elements=logit))
def test_softmax_with_two_classes_depends_on_the_logit_difference(a, b):
    """softmax([a, b]) = [1 − σ(b − a), σ(b − a)]: the general K = 2 case."""
    y = np.array([0, 1, 1, 0, 1])
    cost = SOFTMAX.cost(np.concatenate([a, b], axis=1), outputs.targets(y, SOFTMAX, 2))
    expected = SIGMOID.cost(b - a, outputs.targets(y, SIGMOID))
    np.testing.assert_allclose(cost, expected, rtol=1e-10, atol=1e-12)


def test_categorical_cross_entropy_by_hand():
    Z = np.array([[[1.0, -2.0], [0.5, 0.0], [-1.0, 3.0]]])  # 3 classes, 2 samples
    y = np.array([1, 2])
    expected = 0.0
    for j, c in enumerate(y):
        column = Z[0, :, j]
        expected -= math.log(math.exp(column[c]) / sum(math.exp(v) for v in column))
    expected /= 2
    assert SOFTMAX.cost(Z, outputs.targets(y, SOFTMAX, 3))[0] == pytest.approx(expected, rel=1e-14)
    p = SOFTMAX.predict(Z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(
        SOFTMAX.grad(Z, outputs.targets(y, SOFTMAX, 3)), (p - outputs.targets(y, SOFTMAX, 3)) / 2
    )


def test_softmax_gradient_by_finite_differences():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((1, 4, 6)) * 3
    Y = outputs.targets(rng.integers(0, 4, 6), SOFTMAX, 4)
    numeric = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        plus, minus = Z.copy(), Z.copy()
        plus[index] += 1e-5
        minus[index] -= 1e-5
        numeric[index] = (SOFTMAX.cost(plus, Y)[0] - SOFTMAX.cost(minus, Y)[0]) / 2e-5
    np.testing.assert_allclose(SOFTMAX.grad(Z, Y), numeric, rtol=1e-7, atol=1e-10)


def test_saturated_softmax_gives_a_large_finite_cost_without_warnings():
    Z = np.array([[[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 0.0]]])
    Y = outputs.targets(np.array([1, 0]), SOFTMAX, 3)  # both confidently wrong by 2000
    with np.errstate(all="raise", under="ignore"):
        assert SOFTMAX.cost(Z, Y)[0] == pytest.approx(2000.0)
        assert np.isfinite(SOFTMAX.grad(Z, Y)).all()


def test_targets_are_one_hot_for_softmax():
    T = outputs.targets(np.array([2, 0, 1, 2]), SOFTMAX, 4)
    assert T.shape == (4, 4)
    assert T.tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1], [0, 0, 0, 0]]
    assert outputs.targets(np.array([1, 0]), SIGMOID).tolist() == [[1.0, 0.0]]


def test_output_is_chosen_from_the_number_of_classes():
    assert outputs.for_classes(2).name == "sigmoid"
    assert outputs.for_classes(3).name == "softmax"
    assert outputs.for_classes(2, "softmax").name == "softmax"
    assert outputs.for_classes(2, "softmax").units(2) == 2
    assert outputs.for_classes(2).units(2) == 1 and SOFTMAX.units(5) == 5
    with pytest.raises(InitlabError, match="sigmoid output separates 2 classes; the data has 3"):
        outputs.for_classes(3, "sigmoid")
    with pytest.raises(InitlabError, match="unknown output 'softmx'.*did you mean 'softmax'"):
        outputs.for_classes(3, "softmx")


def test_loss_names():
    assert SIGMOID.loss == "binary cross-entropy"
    assert SOFTMAX.loss == "categorical cross-entropy"
