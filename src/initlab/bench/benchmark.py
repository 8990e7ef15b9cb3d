"""The whole benchmark: what is timed (:func:`plan`), in order (:func:`run`), and its record
(:class:`Benchmark`, one :class:`Result` per timed configuration)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from initlab.analysis.json_numbers import json_number
from initlab.bench import busy
from initlab.bench.compile_cost import cold_compile, first_call, generated
from initlab.bench.machine import machine
from initlab.bench.memory import memory_peak
from initlab.bench.peers import PEERS, absent
from initlab.bench.problems import MODEL_COUNTS, Problem, problems
from initlab.bench.roof import dgemm_roof
from initlab.bench.threads import blas_threads
from initlab.bench.timing import course_comparison, runner, time_runs
from initlab.engine import fused

#: engines that run on NumPy's BLAS, timed under the BLAS thread limit
NUMPY_LOOPS = ("seed-loop", "numpy", "numpy-stacked")


@dataclass
class Result:
    """One timed configuration (the JSON's ``results`` entries). ``threads``: BLAS threads observed
    for the NumPy loops, PyTorch's intra-op threads, numba's threads for fast, None for JAX (XLA's
    own pool). ``gflops`` counts the matrix products only (:attr:`Problem.flops`)."""

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
    flops_per_model_iter: int = 0
    gflops: float = float("nan")
    roof_fraction: float = float("nan")  # of the dgemm roof measured in the same run
    threads: int | None = None
    spread: float = 0.0  # (slowest − fastest) / median of the repeats
    absent: bool = False  # a peer whose library is not installed (not timed)
    note: str = ""


@dataclass
class Benchmark:
    """Everything ``initlab bench`` measured: ``to_dict()`` is the ``--json`` document."""

    machine: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    compile: dict[str, Any] = field(default_factory=dict)
    course: dict[str, Any] = field(default_factory=dict)
    memory: list[dict[str, Any]] = field(default_factory=list)
    roof: dict[str, Any] = field(default_factory=dict)
    load: list[float | None] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blas_threads: int | None = 1
    quick: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "roof": self.roof,
            "load_average": self.load,
            "busy_warnings": self.warnings,
            "blas_threads_numpy_loops": self.blas_threads,
            "results": [_json_ready(asdict(r)) for r in self.results],
            "compile": self.compile,
            "course_comparison": self.course,
            "memory": self.memory,
            "quick": self.quick,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def result(self, engine_name: str, network: str, models: int, dtype: str = "float64") -> Result:
        """The :class:`Result` of one configuration (``KeyError`` when it was not timed)."""
        for r in self.results:
            if (r.engine, r.network, r.models, r.dtype) == (engine_name, network, models, dtype):
                return r
        raise KeyError((engine_name, network, models, dtype))


def _json_ready(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every non-finite float as ``None`` (JSON ``null``: an absent peer's times)."""
    return {k: json_number(v) if isinstance(v, float) else v for k, v in row.items()}


def plan(quick: bool, peers: bool = True) -> list[tuple[int, str, int, str]]:
    """``(problem index, engine, K, dtype)`` to time, in order: on each problem the seed's loop,
    the peers and initlab's NumPy engine at K = 64, the fast engine at several K."""
    counts = (1, 64) if quick else MODEL_COUNTS
    out: list[tuple[int, str, int, str]] = []
    for index in range(3):
        out.append((index, "seed-loop", 1, "float64"))
        out += [(index, p.name, 64, "float64") for p in PEERS if peers]
        out.append((index, "numpy", 64, "float64"))
        out += [(index, "fast", K, "float64") for K in counts]
        if index < 2 or not quick:
            out.append((index, "fast", 64, "float32"))
    return out


def run(
    quick: bool = False,
    cold: bool | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    peers: bool = True,
    blas_limit: int | None = 1,
) -> Benchmark:
    """Run the benchmark. ``quick``: shorter repeats, fewer configurations (about a minute).
    ``cold`` (default: not quick) also times a compile from an empty numba cache in a fresh
    process. ``peers``: also time NumPy stacked, PyTorch and JAX (those installed).
    ``blas_limit``: BLAS threads of the NumPy loops (``None``: BLAS's own default).
    ``progress(text)`` is told what is being timed."""
    say = progress or (lambda text: None)
    cold = (not quick) if cold is None else cold
    budget, repeats = (0.08, 3) if quick else (0.4, 7)
    bench = Benchmark(machine(), quick=quick, blas_threads=blas_limit)
    bench.load.append(busy.load_average())
    say("the machine's roof: a large dgemm")
    bench.roof = dgemm_roof(1024 if quick else 2048)
    say("first call of the compiled kernel")
    bench.compile["first_call"] = [first_call("float64"), first_call("float32")]
    if cold:
        say("compiling from an empty cache (fresh process)")
        bench.compile["cold"] = cold_compile("float64")
    first = {d["dtype"]: d["seconds"] or 0.0 for d in bench.compile["first_call"]}
    probs = problems()
    say("kernels generated for the problems' shapes")
    bench.compile["generated"] = [
        generated(p.network, dtype)
        for p in probs
        for dtype in ("float64", "float32")
        if fused.covers(p.network, dtype) is None
    ]
    for g in bench.compile["generated"]:
        first[(g["network"], g["dtype"])] = g["seconds"]
    _time_all(bench, probs, plan(quick, peers), (budget, repeats, blas_limit), first, say)
    bench.load.append(busy.load_average())
    say("the course's comparison (3 inits × 15,000 iterations, one batch)")
    bench.course = course_comparison()
    say("peak memory at K = 512")
    bench.memory = [memory_peak(0, 512), memory_peak(0, 512, "numpy"), memory_peak(1, 512)]
    bench.load.append(busy.load_average())
    spreads = {f"{r.engine} {r.network} K={r.models} {r.dtype}": r.spread for r in bench.results}
    bench.warnings = busy.busy_warnings(bench.load, bench.machine["cores"] or 1, spreads)
    return bench


def _time_all(bench, probs, configurations, settings, first, say) -> None:
    """Time every configuration into ``bench.results``, with speed-ups and roof fractions."""
    budget, repeats, blas_limit = settings
    seed_loop_us: dict[str, float] = {}
    for index, engine_name, K, dtype in configurations:
        problem = probs[index]
        reason = absent(engine_name) if engine_name in {p.name for p in PEERS} else None
        if reason is not None:
            bench.results.append(_absent(problem, engine_name, K, dtype, reason))
            continue
        say(f"{engine_name} on {problem.name}, {problem.samples} samples, K = {K}, {dtype}")
        limit = blas_limit if engine_name in NUMPY_LOOPS else None
        result = _measure(problem, engine_name, K, dtype, budget, repeats, limit)
        if engine_name == "seed-loop":
            seed_loop_us[problem.name] = result.us_per_model_iter
        base = seed_loop_us.get(problem.name)
        if base is not None:
            result.speedup_vs_seed_loop = base / result.us_per_model_iter
        if engine_name == "fast" and not result.note:  # the fast engine really ran
            # its kernel's first call: the one generated for the shape, or the general one
            result.compile_s = first.get((problem.name, dtype), first.get(dtype, 0.0))
        roof = bench.roof.get("gflops") or float("nan")
        result.roof_fraction = result.gflops / (roof * (2 if dtype == "float32" else 1))
        bench.results.append(result)


def _absent(problem: Problem, engine_name: str, K: int, dtype: str, why: str) -> Result:
    nan = float("nan")
    return Result(
        engine_name, problem.name, problem.samples, K, dtype, nan, None, 0.0, 0, 0, nan,
        flops_per_model_iter=problem.flops, absent=True, note=why,
    )  # fmt: skip


def _measure(
    problem: Problem,
    engine_name: str,
    K: int,
    dtype: str,
    budget: float,
    repeats: int,
    blas_limit: int | None,
) -> Result:
    """Time one configuration: µs per model-iteration (wall, median and best of ``repeats``; CPU
    of all threads, median), GFLOP/s. Its speed-up and compile cost are filled in by :func:`run`."""
    run, notes, threads = runner(problem, engine_name, K, dtype)
    with blas_threads(blas_limit) as observed:
        run(1)  # warm: any compile or cache load is timed apart
        iterations, times, cpu_times = time_runs(run, budget, repeats)
    per = [t / (iterations * K) * 1e6 for t in times]
    median = statistics.median(per)
    return Result(
        engine=engine_name,
        network=problem.name,
        samples=problem.samples,
        models=K,
        dtype=dtype,
        us_per_model_iter=median,
        speedup_vs_seed_loop=None,
        compile_s=0.0,
        iterations=iterations,
        repeats=repeats,
        min_us_per_model_iter=min(per),
        cpu_us_per_model_iter=statistics.median(cpu_times) / (iterations * K) * 1e6,
        flops_per_model_iter=problem.flops,
        gflops=problem.flops / median / 1e3,
        threads=observed if engine_name in NUMPY_LOOPS else threads,
        spread=busy.spread(times),
        note="; ".join(notes),
    )
