"""The kernel generated for one network shape (:mod:`initlab.engine.fused`) against the general
compiled kernel it stands in for — the same bits, for every count of models, both float types, a
ragged number of samples, several outputs and a diverging run — and against the reference, to
rounding, on the course's He run of 15,000 iterations. Then which networks it covers, when the
engine picks it, and its cache: written once, loaded (not compiled) by a new process.

The generated modules live in a folder of this module's own (``INITLAB_CACHE_DIR``); three shapes
and dtypes are compiled here, ≈10 s each."""

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

from initlab import engine
from initlab.engine import fast, fused
from initlab.engine.flops import training_flops
from initlab.errors import InitlabError
from initlab.nn.network import Network

COURSE = Network((2, 10, 5, 1))
ODD = Network((3, 4, 3, 2))  # two sigmoid outputs, three inputs


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kernels")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(fused.CACHE_VARIABLE, str(folder))
        patch.setattr(fused, "_loaded", {})
        yield folder


def problem(network, m, K, seed=0, scale=None):
    """He-initialized models (or N(0, scale²) weights) on m points of labels from a fixed rule."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((network.sizes[0], m))
    Y = (X[: network.sizes[-1]] * X[-1:] > 0).astype(float)
    params = []
    for n_in, n_out in zip(network.sizes[:-1], network.sizes[1:], strict=True):
        std = scale if scale is not None else np.sqrt(2.0 / n_in)
        params.append((rng.standard_normal((K, n_out, n_in)) * std, np.zeros((K, n_out, 1))))
    return params, X, Y


def assert_same_bits(a, b):
    """Two histories hold equal numbers (NaN where the other has NaN)."""
    assert np.array_equal(a.costs, b.costs, equal_nan=True)
    assert np.array_equal(a.final_costs, b.final_costs, equal_nan=True)
    assert np.array_equal(a.diverged_at, b.diverged_at)
    for (W1, b1), (W2, b2) in zip(a.params, b.params, strict=True):
        assert np.array_equal(W1, W2) and np.array_equal(b1, b2)


@pytest.mark.parametrize("K", [1, 3, 64])
def test_the_course_network_trains_to_the_general_kernels_bits(K):
    params, X, Y = problem(COURSE, 300, K)
    lr = np.linspace(0.05, 1.0, K)
    general = fast.train(COURSE, params, X, Y, lr, 1500, 100)
    generated = fused.train(COURSE, params, X, Y, lr, 1500, 100)
    assert_same_bits(general, generated)
    assert np.isfinite(generated.final_costs).all() and (generated.diverged_at < 0).all()


def test_float32_trains_to_the_general_kernels_bits():
    params, X, Y = problem(COURSE, 300, 3)
    general = fast.train(COURSE, params, X, Y, 0.5, 1500, 100, dtype="float32")
    generated = fused.train(COURSE, params, X, Y, 0.5, 1500, 100, dtype="float32")
    assert generated.dtype == "float32"
    assert_same_bits(general, generated)


@pytest.mark.parametrize("m", [1, 13, 40])
def test_two_outputs_and_ragged_samples_train_to_the_general_kernels_bits(m):
    params, X, Y = problem(ODD, m, 3, seed=m)
    general = fast.train(ODD, params, X, Y, 0.3, 500, 7)
    generated = fused.train(ODD, params, X, Y, 0.3, 500, 7)
    assert_same_bits(general, generated)


def test_a_diverging_model_diverges_at_the_same_iteration():
    params, X, Y = problem(COURSE, 300, 3)
    lr = np.array([1e-3, 1e150, 1e300])  # steps that overflow the logits after a few iterations
    general = fast.train(COURSE, params, X, Y, lr, 300, 1)
    generated = fused.train(COURSE, params, X, Y, lr, 300, 1)
    assert generated.diverged_at[0] == -1 and (generated.diverged_at[1:] > 0).all()
    assert_same_bits(general, generated)


def test_the_course_he_run_equals_the_reference_to_rounding():
    params, X, Y = problem(COURSE, 300, 1)
    reference = engine.train(COURSE, params, X, Y, 0.01, 15000, 1000)
    generated = fused.train(COURSE, params, X, Y, 0.01, 15000, 1000)
    np.testing.assert_allclose(generated.costs, reference.costs, rtol=1e-12, atol=0)
    for (W1, b1), (W2, b2) in zip(generated.params, reference.params, strict=True):
        np.testing.assert_allclose(W1, W2, rtol=0, atol=1e-10)
        np.testing.assert_allclose(b1, b2, rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    "network, dtype, words",
    [
        (Network((2, 10, 5, 1), activation="tanh"), "float64", "ReLU hidden"),
        (Network((2, 10, 5, 3), output="softmax"), "float64", "sigmoid output"),
        (Network((2, 4, 4, 1), blocks=((1, 1),)), "float64", "residual"),
        (Network((2, 16, 16, 1)), "float64", "wide"),
        (Network((2, 12, 12, 12, 1)), "float64", f"more than {fused.MAX_PARAMS} parameters"),
        (COURSE, "float16", "float64 or float32"),
    ],
)
def test_what_is_not_covered_says_why_and_is_refused(network, dtype, words):
    reason = fused.covers(network, dtype)
    assert reason is not None and words in reason
    with pytest.raises(InitlabError, match=words):
        fused.compile(network, dtype)
    assert not fused.chosen(network, dtype, 300, 64, 10**6)


def test_a_new_shape_compiles_only_for_a_job_long_enough_to_repay_it():
    new = Network((2, 6, 1))
    assert fused.covers(new) is None and not fused.is_ready(new.sizes, "float64")
    assert not fused.chosen(new, "float64", 300, 3, 15000)  # the course's comparison: short
    cores = min(64, os.cpu_count() or 1)
    flops = training_flops(new.sizes, 300, 64)
    long = int(fused.COMPILE_SECONDS * fused.GENERAL_FLOPS_PER_SECOND * cores / flops) + 1
    assert fused.chosen(new, "float64", 300, 64, long)
    assert not fused.chosen(new, "float64", 300, 64, long // 2)


def test_the_engine_runs_a_ready_kernel_even_for_a_short_job_and_auto_picks_it(caplog):
    fused.compile(COURSE)
    assert fused.chosen(COURSE, "float64", 300, 3, 10)
    params, X, Y = problem(COURSE, 300, 3)
    with caplog.at_level(logging.INFO, logger="initlab.engine"):
        auto = engine.train(COURSE, params, X, Y, 0.5, 50, 10, engine="auto")
    assert auto.engine == "fast" and auto.note == ""
    assert not [r for r in caplog.records if "compil" in r.getMessage()]
    assert_same_bits(auto, fast.train(COURSE, params, X, Y, 0.5, 50, 10))


def test_a_kernel_is_written_once_and_a_new_process_loads_it(cache):
    fused.compile(COURSE)
    path = fused.module_path(COURSE.sizes, "float64")
    assert path.parent == cache and fused.stamp() in path.name
    assert fused.is_ready(COURSE.sizes, "float64")
    assert [p.name for p in cache.glob("*.py")].count(path.name) == 1
    assert not list(cache.glob("*.tmp"))
    script = (
        "import logging, time; logging.basicConfig(level=logging.INFO)\n"
        "from initlab.engine import fused; from initlab.nn.network import Network\n"
        "print(fused.compile(Network((2, 10, 5, 1))))\n"
    )
    env = dict(os.environ, **{fused.CACHE_VARIABLE: str(cache)})
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert "compiling" not in out.stderr, out.stderr  # loaded from numba's cache
    assert float(out.stdout) < fused.COMPILE_SECONDS


def test_the_generated_source_is_written_for_the_shape():
    text = fused.source((2, 10, 5, 1), "float64")
    compile(text, "generated", "exec")  # valid Python
    assert "2-10-5-1" in text and fused.stamp() in text
    # every weight of the 2-10-5-1 network is read: the last one, W3[0, 4], at offset 89
    assert "at(th, 89)" in text and "at(th, 91)" not in text
    assert fused.n_params((2, 10, 5, 1)) == 91
