"""The whole benchmark: what is timed (:func:`plan`), in order (:func:`run`), and its record
(:class:`Benchmark`, one :class:`Result` per timed configuration)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from initlab.bench.compile_cost import cold_compile, first_call
from initlab.bench.machine import machine
from initlab.bench.memory import memory_peak
from initlab.bench.problems import MODEL_COUNTS, Problem, problems
from initlab.bench.timing import course_comparison, engine_runner, seed_loop_runner, time_runs


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

    def result(self, engine_name: str, network: str, models: int, dtype: str = "float64") -> Result:
        """The :class:`Result` of one configuration (``KeyError`` when it was not timed)."""
        for r in self.results:
            if (r.engine, r.network, r.models, r.dtype) == (engine_name, network, models, dtype):
                return r
        raise KeyError((engine_name, network, models, dtype))


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
        result = _measure(problem, engine_name, K, dtype, budget, repeats)
        if engine_name == "seed-loop":
            seed_loop_us[problem.name] = result.us_per_model_iter
        base = seed_loop_us.get(problem.name)
        if base is not None:
            result.speedup_vs_seed_loop = base / result.us_per_model_iter
        if engine_name == "fast" and not result.note:  # the fast engine really ran
            result.compile_s = first.get(dtype, 0.0)
        bench.results.append(result)
    say("the course's comparison (3 inits × 15,000 iterations, one batch)")
    bench.course = course_comparison()
    say("peak memory at K = 512")
    bench.memory = [memory_peak(0, 512), memory_peak(0, 512, "numpy"), memory_peak(1, 512)]
    return bench


def _measure(
    problem: Problem, engine_name: str, K: int, dtype: str, budget: float, repeats: int
) -> Result:
    """Time one configuration: µs per model-iteration (wall, median and best of ``repeats``; CPU
    of all threads, median). Its speed-up and compile cost are filled in by :func:`run`."""
    notes: list[str] = []
    if engine_name == "seed-loop":
        runner = seed_loop_runner(problem)
    else:
        runner, notes = engine_runner(problem, K, engine_name, dtype)
        runner(1)  # warm: any compile or cache load is timed apart
    iterations, times, cpu_times = time_runs(runner, budget, repeats)
    per = [t / (iterations * K) * 1e6 for t in times]
    return Result(
        engine=engine_name,
        network=problem.name,
        samples=problem.samples,
        models=K,
        dtype=dtype,
        us_per_model_iter=statistics.median(per),
        speedup_vs_seed_loop=None,
        compile_s=0.0,
        iterations=iterations,
        repeats=repeats,
        min_us_per_model_iter=min(per),
        cpu_us_per_model_iter=statistics.median(cpu_times) / (iterations * K) * 1e6,
        note="; ".join(notes),
    )
