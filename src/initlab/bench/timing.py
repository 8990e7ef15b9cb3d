"""Timing a training loop: an iteration count that fills a time budget, then repeats; one runner
per engine (the seed's loop, a peer, or :func:`initlab.engine.train`); the course's comparison."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from initlab import data, engine, initializers
from initlab.bench.peers import PEERS
from initlab.bench.problems import EVERY, LR, SEED_NETWORK, Problem
from initlab.bench.seed_loop import seed_model
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network

Runner = Callable[[int], Any]


def time_runs(run: Runner, budget: float, repeats: int) -> tuple[int, list[float], list[float]]:
    """Choose an iteration count so one repeat takes about ``budget`` seconds, then time
    ``repeats`` runs of it; returns ``(iterations, wall seconds, CPU seconds)`` of each repeat
    (CPU time of all threads: on a machine shared with other work it shows the cost the wall
    time hides, though not all of it: threads that spin waiting for a core, and cores shared
    with other work, cost CPU time too). A runner with a ``step`` attribute runs a multiple of
    it, so the count is rounded up to one."""
    step = int(getattr(run, "step", 1))
    iterations = step
    while True:
        start = time.perf_counter()
        run(iterations)
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or iterations >= 1_000_000:
            break
        iterations *= 4
    iterations = max(1, int(iterations * budget / max(elapsed, 1e-9)))
    iterations = -(-iterations // step) * step
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(iterations)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return iterations, wall, cpu


def runner(problem: Problem, engine_name: str, K: int, dtype: str) -> tuple[Runner, list, Any]:
    """``(run(iterations), notes, threads)`` for any engine or peer of the benchmark (peers and
    the seed's loop run float64; ``threads``: PyTorch's, numba's, or None)."""
    threads: Any = None
    if engine_name == "seed-loop":
        return seed_loop_runner(problem), [], None
    peer = next((p for p in PEERS if p.name == engine_name), None)
    if peer is not None:
        if peer.module == "torch":
            import torch

            threads = torch.get_num_threads()
        return peer.factory(problem.params(K), problem.X, problem.Y, LR), [], threads
    if engine_name == "fast":
        import numba

        threads = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
    run, notes = engine_runner(problem, K, engine_name, dtype)
    return run, notes, threads


def seed_loop_runner(problem: Problem) -> Runner:
    """``run(iterations)``: the seed's loop (:func:`~initlab.bench.seed_loop.seed_model`) on one
    model of ``problem``, the first of :meth:`Problem.params`, in the course's dict layout."""
    layers = engine.unstack(problem.params(1), 0)
    parameters0 = {}
    for li, (W, b) in enumerate(layers, start=1):
        parameters0["W" + str(li)], parameters0["b" + str(li)] = W, b.reshape(-1, 1)

    def run(iterations: int) -> Any:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return seed_model(problem.X, problem.Y, dict(parameters0), LR, iterations)

    return run


def engine_runner(
    problem: Problem, K: int, engine_name: str, dtype: str
) -> tuple[Runner, list[str]]:
    """``(run(iterations), notes)``: :func:`initlab.engine.train` on K models of ``problem``;
    ``notes`` collects why an engine asked for did not run (:attr:`History.note`)."""
    params = problem.params(K)
    notes: list[str] = []

    def run(iterations: int) -> engine.History:
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


def course_comparison(iterations: int = 15000) -> dict[str, Any]:
    """Training time of the seed's comparison (zeros, random, He; K = 3 in one batch) on each
    engine, once compiled."""
    ds = data.load("circles")
    network = Network(SEED_NETWORK)
    params = initial_batch(
        network, [(initializers.get(name), 3) for name in ("zeros", "random", "he")]
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
