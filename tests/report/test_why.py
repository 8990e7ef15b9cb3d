"""The sentences of why: what :func:`explain_layers` says from per-layer numbers built by hand."""

from initlab.report.why import explain_layers as explain


def stats(**changes):
    base = {
        "pre_std": [1.0, 1.2, 0.8],
        "dead": [0.0, 0.0],
        "saturated": [0.0, 0.0],
        "distinct": [10, 5],
        "gradient_ratio": 1.1,
        "output_saturated": 0.0,
    }
    return {**base, **changes}


def test_explanations_say_what_the_numbers_say():
    text = explain(
        sizes=[2, 10, 5, 1],
        at_init=stats(),
        at_end=stats(),
        initial_cost=0.9,
        final_cost=0.1,
        train_accuracy=0.99,
        test_accuracy=0.96,
    )
    assert "Symmetry was broken: every unit of the hidden layers (10, 5 units) is distinct" in text
    partly = explain(sizes=[2, 10, 5, 1], at_init=None, at_end=stats(distinct=[7, 5]))
    assert "Symmetry was broken only in part: 7 of 10, 5 of 5 units" in partly
    assert "from 1 in hidden layer 1 to 1.2 in hidden layer 2 and 0.8 at the output" in text
    assert "keeps about its size (×1.1)" in text
    assert "99.0% on the training set and 96.0% on the test set" in text
    symmetric = explain(
        sizes=[2, 10, 5, 1],
        at_init=stats(dead=[1.0, 1.0]),
        at_end=stats(distinct=[1, 1]),
        initial_cost=0.69,
        final_cost=0.69,
    )
    assert "still has one distinct unit" in symmetric
    assert "100% of the hidden units are dead" in symmetric
    theory = {"pre_std": [0.9, 0.9, 0.9], "chi": [1.0, 1.0], "sigma_w2": [2.0, 2.0, 2.0]}
    with_theory = explain(
        sizes=[2, 10, 5, 1],
        at_init=stats(gradient_ratio=500.0),
        at_end=None,
        theory=theory,
        diverged_at=3,
    )
    assert with_theory.startswith("The cost stopped being a finite number at iteration 3")
    assert "σ_w² = 2 in every layer, χ ≈ 1 per layer" in with_theory
    assert "explodes (×500)" in with_theory
