"""The benchmark behind ``initlab bench``: how fast each engine trains many small MLPs.

In one process, on the same data and the same He-initialized models, it times

(a) ``seed-loop``: a faithful copy of the seed's own training loop (the course's ``model()``: dict
    parameters, ``np.dot``, its ``forward_propagation`` / ``compute_loss`` /
    ``backward_propagation`` / ``update_parameters``, one model at a time) — kept here only, as the
    yardstick (:mod:`initlab.bench.seed_loop`);
(b) the peers, when installed (:mod:`initlab.bench.peers`): NumPy with the K models stacked,
    PyTorch ``bmm``, JAX ``jit`` + ``vmap`` + ``scan``; a missing one is marked absent;
(c) ``numpy``: initlab's NumPy reference engine, K models per pass;
(d) ``fast``: the compiled engine (:mod:`initlab.engine.fast`; on 2-10-5-1 the kernel generated
    for its shape, :mod:`initlab.engine.fused`, compiled first) at K = 1, 3, 64 and 512 models,

on the seed's 2-10-5-1 network with the course's 300 points, 2-64-64-64-1 with 1,000 points and
2-32×8-1 with 300 points (:mod:`initlab.bench.problems`). Each figure is µs per model-iteration
(wall time / (K × iterations)), the median of several repeats, with its speed-up over (a), its
GFLOP/s (the problem's FLOP count, :mod:`initlab.engine.flops`) and their share of the machine's
roof, a large dgemm timed in the same run (:mod:`initlab.bench.roof`). The NumPy loops run under
a stated BLAS thread limit (:mod:`initlab.bench.threads`); a busy machine (load average, spread
of repeats) is said so (:mod:`initlab.bench.busy`) (:mod:`initlab.bench.timing`,
:mod:`initlab.bench.benchmark`). The compiled kernels' first-call
cost (loading from numba's cache, or compiling) is timed apart (:mod:`initlab.bench.compile_cost`),
peak memory in a fresh process (:mod:`initlab.bench.memory`), and the machine (cores, CPU model,
versions, date) is recorded (:mod:`initlab.bench.machine`). Timing is a measurement, never a test.
"""

from initlab.bench.benchmark import Benchmark, Result, plan, run
from initlab.bench.compile_cost import cold_compile, first_call
from initlab.bench.machine import machine
from initlab.bench.memory import memory_peak, memory_peak_here
from initlab.bench.problems import (
    EVERY,
    LARGE_NETWORK,
    LR,
    MODEL_COUNTS,
    SEED_NETWORK,
    Problem,
    problems,
)
from initlab.bench.seed_loop import seed_model
from initlab.bench.timing import course_comparison

__all__ = [
    "EVERY",
    "LARGE_NETWORK",
    "LR",
    "MODEL_COUNTS",
    "SEED_NETWORK",
    "Benchmark",
    "Problem",
    "Result",
    "cold_compile",
    "course_comparison",
    "first_call",
    "machine",
    "memory_peak",
    "memory_peak_here",
    "plan",
    "problems",
    "run",
    "seed_model",
]
