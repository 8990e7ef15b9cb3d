"""The benchmark behind ``initlab bench``: how fast each engine trains many small MLPs.

In one process, on the same data and the same He-initialized models, it times

(a) ``seed-loop``: a faithful copy of the seed's own training loop (the course's ``model()``: dict
    parameters, ``np.dot``, its ``forward_propagation`` / ``compute_loss`` /
    ``backward_propagation`` / ``update_parameters``, one model at a time) — kept here only, as the
    yardstick;
(b) ``numpy``: initlab's NumPy reference engine, K models per pass;
(c) ``fast``: the compiled engine (:mod:`initlab.engine.fast`) at K = 1, 3, 64 and 512 models,

on the seed's 2-10-5-1 network with the course's 300 points and on a larger 2-64-64-64-1 network
with 1,000 points. Each figure is µs per model-iteration (wall time / (K × iterations)), the
median of several repeats, with its speed-up over (a) on the same network. The compiled kernel's
first-call cost (loading from numba's cache, or compiling) is timed apart, and the machine
(cores, CPU model, versions, date) is recorded. Timing is a measurement, never a test.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

from initlab import data, engine, initializers
from initlab.engine.train import fast_unavailable
from initlab.nn.network import Network

SEED_NETWORK = (2, 10, 5, 1)
LARGE_NETWORK = (2, 64, 64, 64, 1)
MODEL_COUNTS = (1, 3, 64, 512)
LR = 0.01
EVERY = 1000  # the course records the cost every 1,000 iterations


# -- (a) the seed's own loop, copied from the course's notebook --------------------------------


def sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s


def relu(x):
    s = np.maximum(0, x)
    return s


def compute_loss(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    loss = 1.0 / m * np.nansum(logprobs)
    return loss


def forward_propagation(X, parameters):
    """The seed's LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID, written for any depth: for the seed's
    three layers it performs the seed's operations one for one."""
    L = len(parameters) // 2
    cache = []
    a = X
    for li in range(1, L + 1):
        W = parameters["W" + str(li)]
        b = parameters["b" + str(li)]
        z = np.dot(W, a) + b
        a = relu(z) if li < L else sigmoid(z)
        cache += [z, a, W, b]
    return a, tuple(cache)


def backward_propagation(X, Y, cache):
    """The seed's backward pass (dz3 = 1/m·(a3 − Y), dW = dz·aᵀ, db = Σ dz, da = Wᵀ·dz,
    dz = da·int64(a > 0)), for any depth."""
    m = X.shape[1]
    L = len(cache) // 4
    z, a, W, b = cache[4 * (L - 1) : 4 * L]
    dz = 1.0 / m * (a - Y)
    gradients = {}
    for li in range(L, 0, -1):
        a_prev = cache[4 * (li - 2) + 1] if li > 1 else X
        gradients["dz" + str(li)] = dz
        gradients["dW" + str(li)] = np.dot(dz, a_prev.T)
        gradients["db" + str(li)] = np.sum(dz, axis=1, keepdims=True)
        if li > 1:
            W = cache[4 * (li - 1) + 2]
            da = np.dot(W.T, dz)
            gradients["da" + str(li - 1)] = da
            dz = np.multiply(da, np.int64(a_prev > 0))
    return gradients


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for k in range(L):
        parameters["W" + str(k + 1)] = (
            parameters["W" + str(k + 1)] - learning_rate * grads["dW" + str(k + 1)]
        )
        parameters["b" + str(k + 1)] = (
            parameters["b" + str(k + 1)] - learning_rate * grads["db" + str(k + 1)]
        )
    return parameters


def seed_model(X, Y, parameters, learning_rate=0.01, num_iterations=15000):
    """The seed's ``model()`` loop after initialization, without printing or plotting: forward,
    loss, backward, update, every iteration. Returns the final parameters and the costs kept
    every 1,000 iterations."""
    costs = []
    for i in range(0, num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 1000 == 0:
            costs.append(cost)
    return parameters, costs


# -- what a benchmark reports -------------------------------------------------------------------


@dataclass
class Result:
    """One timed configuration (the JSON's ``results`` entries)."""

    engine: str
    network: str
    samples: int
    models: int
    dtype: str
    us_per_model_iter: float
    speedup_vs_seed_loop: float | None
    compile_s: float
    iterations: int
    repeats: int
    min_us_per_model_iter: float
    cpu_us_per_model_iter: float = float("nan")  # CPU time of all threads, median
    note: str = ""


@dataclass
class Benchmark:
    """Everything ``initlab bench`` measured: ``to_dict()`` is the ``--json`` document."""

    machine: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    compile: dict[str, Any] = field(default_factory=dict)
    course: dict[str, Any] = field(default_factory=dict)
    memory: list[dict[str, Any]] = field(default_factory=list)
    quick: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "results": [asdict(r) for r in self.results],
            "compile": self.compile,
            "course_comparison": self.course,
            "memory": self.memory,
            "quick": self.quick,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def result(self, engine_name: str, network: str, models: int, dtype: str = "float64"):
        for r in self.results:
            if (r.engine, r.network, r.models, r.dtype) == (engine_name, network, models, dtype):
                return r
        raise KeyError((engine_name, network, models, dtype))


def machine() -> dict[str, Any]:
    """Cores, CPU model (from /proc/cpuinfo), Python, numpy and numba versions, date."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    info: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": usable,
        "logical_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    try:
        import numba

        info["numba"] = numba.__version__
        info["numba_threads"] = numba.config.NUMBA_NUM_THREADS
    except ImportError:
        info["numba"] = None
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# -- the problems --------------------------------------------------------------------------------


@dataclass
class Problem:
    network: Network
    X: np.ndarray
    Y: np.ndarray

    @property
    def name(self) -> str:
        return str(self.network)

    @property
    def samples(self) -> int:
        return int(self.X.shape[1])

    def params(self, K: int) -> engine.Params:
        """K He-initialized models, model k drawn from ``RandomState(k)``."""
        he = initializers.get("he")
        return engine.stack(
            [
                initializers.init_network(self.network.sizes, he, np.random.RandomState(k))
                for k in range(K)
            ]
        )


def problems() -> list[Problem]:
    """The seed's 2-10-5-1 on the course's circles (300 points), 2-64-64-64-1 on 1,000 points."""
    out = []
    for sizes, spec in ((SEED_NETWORK, "circles"), (LARGE_NETWORK, "circles:n_samples=1000")):
        ds = data.load(spec)
        X = np.ascontiguousarray(ds.X_train.T)
        out.append(Problem(Network(sizes), X, ds.y_train.reshape(1, -1).astype(float)))
    return out


# -- timing ----------------------------------------------------------------------------------


def _time(
    run: Callable[[int], Any], budget: float, repeats: int
) -> tuple[int, list[float], list[float]]:
    """Choose an iteration count so one repeat takes about ``budget`` seconds, then time
    ``repeats`` runs of it; returns ``(iterations, wall seconds, CPU seconds)`` of each repeat
    (CPU time of all threads: on a machine shared with other work it shows the cost the wall
    time hides)."""
    iterations = 2
    while True:
        start = time.perf_counter()
        run(iterations)
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or iterations >= 1_000_000:
            break
        iterations *= 4
    iterations = max(1, int(iterations * budget / max(elapsed, 1e-9)))
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(iterations)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return iterations, wall, cpu


def _seed_loop_runner(problem: Problem) -> Callable[[int], Any]:
    layers = engine.unstack(problem.params(1), 0)
    parameters0 = {}
    for li, (W, b) in enumerate(layers, start=1):
        parameters0["W" + str(li)], parameters0["b" + str(li)] = W, b.reshape(-1, 1)

    def run(iterations: int):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return seed_model(problem.X, problem.Y, dict(parameters0), LR, iterations)

    return run


def _engine_runner(problem: Problem, K: int, engine_name: str, dtype: str):
    params = problem.params(K)
    notes: list[str] = []

    def run(iterations: int):
        history = engine.train(
            problem.network,
            params,
            problem.X,
            problem.Y,
            LR,
            iterations,
            EVERY,
            engine=engine_name,
            dtype=dtype,
        )
        if history.note and history.note not in notes:
            notes.append(history.note)
        return history

    return run, notes


def first_call(dtype: str = "float64") -> dict[str, Any]:
    """Time the compiled kernel's first call in this process (a 1-iteration run of a tiny
    network): numba loads it from its cache, or compiles it when there is none."""
    network = Network((2, 3, 1))
    params = engine.stack([[(np.ones((3, 2)), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))]])
    X, Y = np.ones((2, 4)), np.ones((1, 4))
    reason = fast_unavailable(network, dtype)
    if reason is not None:
        return {"dtype": dtype, "seconds": None, "source": None, "note": reason}
    from initlab.engine import fast

    hits = sum(fast._train_kernel.stats.cache_hits.values())
    start = time.perf_counter()
    engine.train(network, params, X, Y, LR, 1, engine="fast", dtype=dtype)
    seconds = time.perf_counter() - start
    loaded = sum(fast._train_kernel.stats.cache_hits.values()) > hits
    already = seconds < 0.05 and not loaded
    source = "already loaded" if already else ("cache" if loaded else "compiled")
    return {"dtype": dtype, "seconds": seconds, "source": source}


_COLD = """
import time
t = time.perf_counter()
from initlab.bench import first_call
print(first_call({dtype!r})["seconds"], time.perf_counter() - t)
"""


def cold_compile(dtype: str = "float64") -> dict[str, Any]:
    """The first-run cost on a machine with no numba cache: a fresh Python process whose
    ``NUMBA_CACHE_DIR`` is an empty folder (the project's own cache is left alone)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="initlab-bench-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run(
            [sys.executable, "-c", _COLD.format(dtype=dtype)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    try:
        kernel, total = (float(v) for v in out.stdout.split()[-2:])
    except ValueError:
        return {"dtype": dtype, "seconds": None, "note": out.stderr.strip()[-500:]}
    return {"dtype": dtype, "seconds": kernel, "process_seconds": total}


_MEMORY = """
import json
from initlab import bench
print(json.dumps(bench.memory_peak_here({index}, {K}, {engine_name!r})))
"""


def memory_peak(index: int, K: int, engine_name: str = "fast") -> dict[str, Any]:
    """:func:`memory_peak_here` in a fresh Python process, so that memory this process freed
    earlier (and the allocator keeps) does not hide the need."""
    code = _MEMORY.format(index=index, K=K, engine_name=engine_name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"engine": engine_name, "models": K, "note": out.stderr.strip()[-500:]}


def memory_peak_here(index: int, K: int, engine_name: str = "fast") -> dict[str, Any]:
    """Peak resident memory added by training K models of problem ``index`` for 3 iterations,
    after a warm-up on one model: the high-water mark reset before (Linux
    ``/proc/self/clear_refs``), read after, minus the resident size before. Where that is not
    available, tracemalloc's peak (numpy-side allocations only)."""
    problem = problems()[index]
    params = problem.params(K)

    def run(p):
        engine.train(problem.network, p, problem.X, problem.Y, LR, 3, EVERY, engine=engine_name)

    run(problem.params(1))  # compiled (or loaded) and warm
    before = _status_kib("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        method = "rss"
    except OSError:
        method = "tracemalloc"
    if method == "rss" and before is not None:
        run(params)
        added = max(0, _status_kib("VmHWM") - before) * 1024
    else:
        import tracemalloc

        tracemalloc.start()
        run(params)
        added = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        method = "tracemalloc"
    return {
        "engine": engine_name,
        "network": problem.name,
        "samples": problem.samples,
        "models": K,
        "peak_added_bytes": int(added),
        "params_bytes": int(sum(W.nbytes + b.nbytes for W, b in params)),
        "method": method,
    }


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# -- the whole benchmark -------------------------------------------------------------------------


def plan(quick: bool) -> list[tuple[int, str, int, str]]:
    """``(problem index, engine, K, dtype)`` to time, in order."""
    if quick:
        return [
            (0, "seed-loop", 1, "float64"),
            (0, "numpy", 1, "float64"),
            (0, "numpy", 64, "float64"),
            *[(0, "fast", K, "float64") for K in MODEL_COUNTS],
            (0, "fast", 64, "float32"),
            (1, "seed-loop", 1, "float64"),
            (1, "numpy", 1, "float64"),
            (1, "fast", 1, "float64"),
            (1, "fast", 64, "float64"),
        ]
    return [
        (0, "seed-loop", 1, "float64"),
        *[(0, "numpy", K, "float64") for K in (1, 3, 64)],
        *[(0, "fast", K, "float64") for K in MODEL_COUNTS],
        *[(0, "fast", K, "float32") for K in (64, 512)],
        (1, "seed-loop", 1, "float64"),
        *[(1, "numpy", K, "float64") for K in (1, 3)],
        *[(1, "fast", K, "float64") for K in MODEL_COUNTS],
        (1, "fast", 64, "float32"),
    ]


def run(
    quick: bool = False, cold: bool | None = None, progress: Callable[[str], None] | None = None
) -> Benchmark:
    """Run the benchmark. ``quick``: shorter repeats, fewer configurations (under a minute).
    ``cold`` (default: not quick) also times a compile from an empty numba cache in a fresh
    process. ``progress(text)`` is told what is being timed."""
    say = progress or (lambda text: None)
    cold = (not quick) if cold is None else cold
    budget, repeats = (0.08, 3) if quick else (0.4, 7)
    bench = Benchmark(machine(), quick=quick)
    say("first call of the compiled kernel")
    bench.compile["first_call"] = [first_call("float64"), first_call("float32")]
    if cold:
        say("compiling from an empty cache (fresh process)")
        bench.compile["cold"] = cold_compile("float64")
    probs = problems()
    seed_loop_us: dict[str, float] = {}
    first = {d["dtype"]: d["seconds"] or 0.0 for d in bench.compile["first_call"]}
    for index, engine_name, K, dtype in plan(quick):
        problem = probs[index]
        say(f"{engine_name} on {problem.name}, {problem.samples} samples, K = {K}, {dtype}")
        notes: list[str] = []
        if engine_name == "seed-loop":
            runner = _seed_loop_runner(problem)
        else:
            runner, notes = _engine_runner(problem, K, engine_name, dtype)
            runner(1)  # warm: any compile or cache load is timed apart
        iterations, times, cpu_times = _time(runner, budget, repeats)
        per = [t / (iterations * K) * 1e6 for t in times]
        us = statistics.median(per)
        if engine_name == "seed-loop":
            seed_loop_us[problem.name] = us
        base = seed_loop_us.get(problem.name)
        ran_fast = engine_name == "fast" and not notes
        bench.results.append(
            Result(
                engine=engine_name,
                network=problem.name,
                samples=problem.samples,
                models=K,
                dtype=dtype,
                us_per_model_iter=us,
                speedup_vs_seed_loop=None if base is None else base / us,
                compile_s=first.get(dtype, 0.0) if ran_fast else 0.0,
                iterations=iterations,
                repeats=repeats,
                min_us_per_model_iter=min(per),
                cpu_us_per_model_iter=statistics.median(cpu_times) / (iterations * K) * 1e6,
                note="; ".join(notes),
            )
        )
    say("the course's comparison (3 inits × 15,000 iterations, one batch)")
    bench.course = course_comparison()
    say("peak memory at K = 512")
    bench.memory = [memory_peak(0, 512), memory_peak(0, 512, "numpy"), memory_peak(1, 512)]
    return bench


def course_comparison(iterations: int = 15000) -> dict[str, Any]:
    """Training time of the seed's comparison (zeros, random, He; K = 3 in one batch) on each
    engine, once compiled."""
    ds = data.load("circles")
    network = Network(SEED_NETWORK)
    params = engine.stack(
        [
            initializers.init_network(
                network.sizes, initializers.get(name), np.random.RandomState(3)
            )
            for name in ("zeros", "random", "he")
        ]
    )
    X, Y = ds.X_train.T, ds.y_train.reshape(1, -1).astype(float)
    out: dict[str, Any] = {"models": 3, "iterations": iterations}
    for engine_name in ("fast", "numpy"):
        engine.train(network, params, X, Y, LR, 2, EVERY, engine=engine_name)
        start = time.perf_counter()
        history = engine.train(network, params, X, Y, LR, iterations, EVERY, engine=engine_name)
        out[f"{engine_name}_s"] = time.perf_counter() - start
        out[f"{engine_name}_ran"] = history.engine

    return out
