"""Long runs of the course's network on the compiled engine (a benchmark, not a test).

``initlab bench`` times each configuration in short repeats (about 0.4 s each). The issue's
target for the course's 2-10-5-1 — at most 2 µs per model-iteration at K = 64 — is stated for
longer runs with both cores free: this script trains ``--models`` He-initialized models (the
benchmark's own, :meth:`initlab.bench.problems.Problem.params`) on the course's 300 points for
``--iterations`` iterations, ``--repeats`` times in a row, on the engine ``engine="fast"`` picks
(the kernel generated for the network's shape, compiled first when it is not on disk), and prints
µs per model-iteration for each run with the load average before and after.

    python benchmarks/long_runs.py [--models 64] [--iterations 15000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from initlab import engine
from initlab.bench.problems import EVERY, LR, problems
from initlab.engine import fused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=64)
    parser.add_argument("--iterations", type=int, default=15000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    args = parser.parse_args()
    problem = problems()[0]
    seconds = fused.compile(problem.network, args.dtype)
    print(f"kernel for {problem.network} ({args.dtype}): {seconds:.2f} s to load or compile")
    params = problem.params(args.models)
    engine.train(problem.network, params, problem.X, problem.Y, LR, 10, EVERY,
                 engine="fast", dtype=args.dtype)  # fmt: skip
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    runs = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        engine.train(problem.network, params, problem.X, problem.Y, LR, args.iterations, EVERY,
                     engine="fast", dtype=args.dtype)  # fmt: skip
        runs.append((time.perf_counter() - start) / (args.iterations * args.models) * 1e6)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        f"{args.models} models × {args.iterations:,} iterations, µs per model-iteration: "
        + " ".join(f"{r:.2f}" for r in runs)
        + f" (median {statistics.median(runs):.2f}, best {min(runs):.2f})"
    )


if __name__ == "__main__":
    main()
