"""The benchmark's parts other than timing: the peers train the same networks as initlab's
reference engine, a missing peer is marked absent, the busy warning follows the load and the
spread, the BLAS limit holds while the NumPy loops run, the FLOP counts are the hand counts."""

import importlib.util

import numpy as np
import pytest

from initlab import engine
from initlab.bench import busy, peers, problems, threads
from initlab.bench.peer_jax import jax_scan_runner
from initlab.bench.peer_numpy import numpy_stacked_runner
from initlab.bench.peer_torch import torch_bmm_runner
from initlab.nn.network import Network


@pytest.fixture(scope="module")
def small():
    """3 He-initialized models of 2-6-5-1 on 40 points, and the reference after 3 steps."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 40)), (rng.random((1, 40)) > 0.5).astype(float)
    network = Network((2, 6, 5, 1))
    params = [
        (rng.standard_normal((3, o, i)) * np.sqrt(2 / i), rng.standard_normal((3, o, 1)) * 0.1)
        for i, o in zip(network.sizes[:-1], network.sizes[1:], strict=True)
    ]
    reference = engine.train(network, params, X, Y, 0.5, 3, engine="numpy")
    return params, X, Y, reference.params


@pytest.mark.parametrize(
    "factory, module",
    [
        (numpy_stacked_runner, "numpy"),
        (torch_bmm_runner, "torch"),
        (lambda *a: jax_scan_runner(*a, chunk=1), "jax"),
    ],
    ids=["numpy-stacked", "torch-bmm", "jax-scan"],
)
def test_each_peer_takes_the_reference_engines_steps(small, factory, module):
    pytest.importorskip(module)
    params, X, Y, expected = small
    trained = factory(params, X, Y, 0.5)(3)
    for (W, b), (W_ref, b_ref) in zip(trained, expected, strict=True):
        np.testing.assert_allclose(W, W_ref, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, b_ref, rtol=1e-10, atol=1e-12)
    before = [W.copy() for W, _ in params]
    assert all(np.array_equal(W, W0) for (W, _), W0 in zip(params, before, strict=True))


def test_a_missing_peer_is_named_absent(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "torch" else real(name)
    )
    assert "torch is not installed" in peers.absent("torch-bmm")
    assert "initlab[peers]" in peers.absent("torch-bmm")
    assert peers.absent("numpy-stacked") is None


def test_the_busy_warning_follows_the_load_and_the_spread():
    steady = {"a": 0.05, "b": 0.1}
    assert busy.busy_warnings([0.2, 0.9, None], 2, steady) == []
    loaded = busy.busy_warnings([0.3, 3.4, 1.0], 2, steady)
    assert len(loaded) == 1 and "load average up to 3.4 on 2 cores" in loaded[0]
    assert busy.busy_warnings([1.2], 4, steady) == []  # 0.3 per core
    shaky = busy.busy_warnings([None], 2, {"a": 0.05, "fast K=64": 0.6})
    assert len(shaky) == 1 and "1 of 2 configurations" in shaky[0] and "fast K=64" in shaky[0]
    assert busy.spread([1.0, 1.5, 1.1]) == pytest.approx(0.5 / 1.1)


def test_the_blas_limit_holds_inside_and_is_lifted_after():
    before = threads.blas_threads_now()
    with threads.blas_threads(1) as inside:
        assert inside == 1 == threads.blas_threads_now()
    assert threads.blas_threads_now() == before
    with threads.blas_threads(None) as untouched:
        assert untouched == before


def test_each_problems_flop_count_is_the_hand_count():
    seed, wide, deep = problems()
    assert (seed.samples, wide.samples, deep.samples) == (300, 1000, 300)
    assert seed.flops == 300 * (4 * 20 + 6 * 50 + 6 * 5)
    assert wide.flops == 1000 * (4 * 128 + 6 * 64 * 64 * 2 + 6 * 64)
    assert deep.flops == 300 * (4 * 64 + 6 * 32 * 32 * 7 + 6 * 32)
