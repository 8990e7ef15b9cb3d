"""``initlab bench``: its copy of the seed's loop is faithful, its JSON has the promised keys, and
the engine options of ``initlab compare``. Timings are measured, never asserted."""

import json

import numpy as np
import pytest
from seed_numbers import HE_COSTS
from typer.testing import CliRunner

from initlab import bench, data, engine, initializers
from initlab.bench import benchmark
from initlab.cli import app
from initlab.nn.network import Network

runner = CliRunner()


def test_the_seed_loop_prints_the_seeds_he_costs():
    ds = data.load("circles")
    layers = initializers.init_network(
        (2, 10, 5, 1), initializers.get("he"), np.random.RandomState(3)
    )
    parameters = {}
    for li, (W, b) in enumerate(layers, start=1):
        parameters[f"W{li}"], parameters[f"b{li}"] = W, b.reshape(-1, 1)
    _, costs = bench.seed_model(ds.X_train.T, ds.y_train.reshape(1, -1), parameters, 0.01, 3001)
    np.testing.assert_allclose(costs, HE_COSTS[:4], rtol=1e-9, atol=0)


def test_the_seed_loop_generalized_to_depth_4_is_gradient_descent():
    """One step of the seed-style loop on 2-6-5-4-1 equals one step of the reference engine."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 40)), (rng.random((1, 40)) > 0.5).astype(float)
    network = Network((2, 6, 5, 4, 1))
    layers = initializers.init_network(
        network.sizes, initializers.get("he"), np.random.RandomState(1)
    )
    parameters = {}
    for li, (W, b) in enumerate(layers, start=1):
        parameters[f"W{li}"], parameters[f"b{li}"] = W, b.reshape(-1, 1)
    stepped, _ = bench.seed_model(X, Y, dict(parameters), 0.1, 1)
    reference = engine.train(network, engine.stack([layers]), X, Y, 0.1, 1, engine="numpy")
    for li, (W, b) in enumerate(reference.params, start=1):
        np.testing.assert_allclose(stepped[f"W{li}"], W[0], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(stepped[f"b{li}"], b[0], rtol=1e-13, atol=1e-15)


@pytest.fixture(scope="module")
def tiny_bench():
    """The benchmark on three configurations and two peers (PyTorch made absent), a stand-in
    course run and a small memory probe."""
    real_memory = bench.memory_peak
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            benchmark,
            "plan",
            lambda quick, peers=True: [
                (0, "seed-loop", 1, "float64"),
                (0, "fast", 3, "float64"),
                (0, "numpy", 3, "float32"),
                (0, "numpy-stacked", 3, "float64"),
                (0, "torch-bmm", 3, "float64"),
            ],
        )
        patch.setattr(
            benchmark, "absent", lambda name: "torch is missing" if name == "torch-bmm" else None
        )
        patch.setattr(
            benchmark,
            "course_comparison",
            lambda: {"models": 3, "iterations": 5, "fast_s": 0.01, "numpy_s": 0.02},
        )
        patch.setattr(
            benchmark, "memory_peak", lambda index, K, name="fast": real_memory(index, 2, name)
        )
        return bench.run(quick=True, cold=False)


def test_the_benchmark_reports_every_promised_key(tiny_bench):
    doc = json.loads(tiny_bench.to_json())
    assert {"cores", "cpu", "numpy", "numba", "date"} <= set(doc["machine"])
    assert doc["machine"]["cores"] >= 1
    keys = {
        "engine",
        "network",
        "samples",
        "models",
        "dtype",
        "us_per_model_iter",
        "speedup_vs_seed_loop",
        "compile_s",
        "cpu_us_per_model_iter",
    }
    assert [(r["engine"], r["models"], r["dtype"]) for r in doc["results"]] == [
        ("seed-loop", 1, "float64"),
        ("fast", 3, "float64"),
        ("numpy", 3, "float32"),
        ("numpy-stacked", 3, "float64"),
        ("torch-bmm", 3, "float64"),
    ]
    absent = doc["results"].pop()
    assert absent["absent"] is True and absent["note"] == "torch is missing"
    assert absent["us_per_model_iter"] is None and absent["gflops"] is None
    for r in doc["results"]:
        assert keys <= set(r)
        assert r["network"] == "2-10-5-1" and r["samples"] == 300
        assert r["us_per_model_iter"] > 0 and r["speedup_vs_seed_loop"] > 0
    seed_loop, fast_row = doc["results"][0], doc["results"][1]
    assert seed_loop["speedup_vs_seed_loop"] == 1.0
    assert fast_row["speedup_vs_seed_loop"] == pytest.approx(
        seed_loop["us_per_model_iter"] / fast_row["us_per_model_iter"]
    )
    assert doc["results"][2]["compile_s"] == 0.0  # numpy compiles nothing
    roof = doc["roof"]["gflops"]
    assert {"n", "gflops", "best_gflops", "blas_threads"} <= set(doc["roof"]) and roof > 0
    for r in doc["results"]:  # 2-10-5-1 on 300 points: 123,000 FLOPs a model-iteration
        assert r["flops_per_model_iter"] == 123_000 and r["absent"] is False
        assert r["gflops"] == pytest.approx(123_000 / r["us_per_model_iter"] / 1e3)
        double = 2 if r["dtype"] == "float32" else 1
        assert r["roof_fraction"] == pytest.approx(r["gflops"] / roof / double)
    # the NumPy loops ran under the BLAS limit, observed through threadpoolctl while it held
    assert doc["blas_threads_numpy_loops"] == 1
    assert [r["threads"] for r in doc["results"] if r["engine"] != "fast"] == [1, 1, 1]
    assert len(doc["load_average"]) == 3 and isinstance(doc["busy_warnings"], list)
    assert [(m["engine"], m["models"]) for m in doc["memory"]] == [
        ("fast", 2),
        ("numpy", 2),
        ("fast", 2),
    ]
    assert all(m["peak_added_bytes"] >= 0 for m in doc["memory"])
    sources = {call["source"] for call in doc["compile"]["first_call"]}
    assert sources <= {"cache", "compiled", "already loaded"}
    # the course's network runs on the kernel generated for its shape, compiled before timing
    generated = {(g["network"], g["dtype"]): g for g in doc["compile"]["generated"]}
    assert set(generated) == {("2-10-5-1", "float64"), ("2-10-5-1", "float32")}
    assert {g["source"] for g in generated.values()} <= {"cache", "compiled", "already loaded"}
    assert fast_row["compile_s"] == generated[("2-10-5-1", "float64")]["seconds"]


def test_initlab_bench_prints_the_table_and_writes_json(tiny_bench, monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "run", lambda quick, progress, peers, blas_limit: tiny_bench)
    out = tmp_path / "bench.json"
    result = runner.invoke(app, ["bench", "--quick", "--json", str(out)])
    assert result.exit_code == 0, result.output
    words = ("seed-loop", "fast", "2-10-5-1", "µs/model-iter", "machine:", "first call", "roof:")
    for text in (*words, "GFLOP/s", "torch-bmm (absent)", "absent: torch-bmm: torch is missing"):
        assert text in result.output
    assert json.loads(out.read_text())["results"][1]["engine"] == "fast"


def test_compare_says_which_engine_ran(tmp_path):
    result = runner.invoke(
        app,
        [
            "compare",
            "--iterations",
            "20",
            "--every",
            "10",
            "--engine",
            "numpy",
            "--dtype",
            "float32",
            "--verbose",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "engine: numpy (float32; asked for numpy)" in result.output
    written = json.loads((tmp_path / "out" / "results.json").read_text())
    assert (written["engine"], written["dtype"]) == ("numpy", "float32")


@pytest.mark.parametrize("option, value", [("--engine", "gpu"), ("--dtype", "float16")])
def test_compare_rejects_an_unknown_engine_or_dtype(tmp_path, option, value):
    out = tmp_path / "out"
    result = runner.invoke(app, ["compare", "--iterations", "5", option, value, "--out", str(out)])
    assert result.exit_code != 0
    assert isinstance(result.exception, ValueError) and value in str(result.exception)
    assert not out.exists()
