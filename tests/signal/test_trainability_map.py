"""The trainability map at a tiny size: the deepest trainable depth tracks 6·ξ_c within a factor
of 2, deep ordered networks fail, and a rerun resumes from the store."""

import math

import numpy as np
import pytest

from initlab.errors import InitlabError
from initlab.signal.trainability import init_spec, trainability, trainable_depth

DATA = "blobs:n_features=8,classes=4,n_samples=200,noise=0.5"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "t.db"
    kwargs = dict(
        dataset=DATA,
        width=16,
        lr=0.1,
        iterations=100,
        seeds="0-1",
        store=str(store),
        engine="numpy",
    )
    first = trainability("tanh", [0.25, 0.5, 1.0, 2.0], [2, 4, 8, 16], **kwargs)
    again = trainability("tanh", [0.25, 0.5, 1.0, 2.0], [2, 4, 8, 16], **kwargs)
    return first, again


def test_boundary_tracks_six_xi_c_within_a_factor_of_two(result):
    r, _ = result
    deepest = r.trainable_depths()
    top = r.depths.max()
    for d, xi in zip(deepest, r.xi_c, strict=True):
        bound = 6 * xi
        if bound >= 2 * top:  # near or past the critical line: trainable at every depth here
            assert d == top
        else:
            assert bound / 2 <= d <= 2 * bound
    # the deepest ordered networks are near chance; near criticality they learn
    assert r.accuracy[-1, 0] < r.chance + 0.1
    assert r.accuracy[-1, 2] > r.threshold


def test_rerun_reads_the_store_and_the_numbers_are_independent(result):
    first, again = result
    np.testing.assert_array_equal(first.accuracy, again.accuracy)
    # ξ_c at σ_b² = 0 for tanh in the ordered phase: q* = 0, χ_c = χ_1 = σ_w²
    assert first.xi_c[0] == pytest.approx(-1 / math.log(0.25))
    assert math.isinf(first.xi_c[2])
    files = first.files()
    assert {"trainability.png", "results.json", "report.html"} <= set(files)


def test_trainable_depth_needs_every_shallower_depth():
    acc = np.array([[0.9, 0.9], [0.2, 0.9], [0.9, 0.2]])
    np.testing.assert_array_equal(trainable_depth(np.array([2, 4, 8]), acc, 0.5), [2, 4])


def test_init_spec_is_canonical_and_bad_values_are_refused():
    assert init_spec(2.0) == init_spec(2)
    with pytest.raises(InitlabError, match="sigma_w2"):
        trainability("tanh", [-1.0], [2], dataset=DATA)
