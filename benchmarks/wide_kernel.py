"""Benchmark of the compiled engine's kernels on narrow, wide and deep networks (not a test).

Times, in one process, µs per model-iteration (one forward, backward and step of one model) of:
the per-sample kernel (:func:`initlab.engine.fast.train`), the wide kernel
(:func:`initlab.engine.fast_wide.train`), the NumPy reference (K models as stacked matmuls,
:func:`initlab.engine.reference.train`) and, when installed, the same loop in PyTorch with
``torch.bmm`` — ReLU hidden layers, a sigmoid output with the cross-entropy cost, full-batch
gradient descent. Each is run ``--repeats`` times and the minimum kept (the machine is shared:
the load average before and after is printed). The FLOP count of one model-iteration is
2·(forward multiply-adds)·3 (forward, dA, dW), so GFLOP/s = flop / time.

    python benchmarks/wide_kernel.py --repeats 5
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from initlab import engine, initializers
from initlab.engine import fast, fast_wide
from initlab.nn.network import Network

SHAPES = [  # (name, sizes, samples, K)
    ("2-10-5-1", (2, 10, 5, 1), 300, 64),
    ("2-64-64-64-1", (2, 64, 64, 64, 1), 1000, 64),
    ("2-64-64-64-1", (2, 64, 64, 64, 1), 1000, 1),
    ("2-32x8-1", (2, *(32,) * 8, 1), 300, 64),
]


def problem(sizes, m, K, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    Y = (np.linalg.norm(X, axis=0) < 1.1).astype(float).reshape(1, m)
    he = initializers.get("he")
    params = engine.stack(
        [initializers.init_network(sizes, he, np.random.RandomState(k)) for k in range(K)]
    )
    return X, Y, params


def flops(sizes, m):
    """Multiply-adds of the forward pass × 2 flops × 3 (forward, dA, dW) per model-iteration."""
    return 6 * m * sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def torch_bmm(sizes, X, Y, params, lr, iterations, dtype):
    import torch

    dt = torch.float64 if dtype == "float64" else torch.float32
    Xt, Yt = torch.tensor(X, dtype=dt), torch.tensor(Y, dtype=dt)
    K, m = params[0][0].shape[0], X.shape[1]
    Ws = [torch.tensor(W, dtype=dt) for W, _ in params]
    bs = [torch.tensor(b, dtype=dt) for _, b in params]
    A0 = Xt.expand(K, -1, -1)
    for _ in range(iterations):
        As, Zs = [A0], []
        for l, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            Z = torch.baddbmm(b, W, As[-1])
            Zs.append(Z)
            if l < len(Ws) - 1:
                As.append(torch.relu(Z))
        dz = (torch.sigmoid(Zs[-1]) - Yt) / m
        for l in range(len(Ws) - 1, -1, -1):
            dW, db = torch.bmm(dz, As[l].transpose(1, 2)), dz.sum(2, keepdim=True)
            if l > 0:
                dz = torch.bmm(Ws[l].transpose(1, 2), dz) * (Zs[l - 1] > 0)
            Ws[l].sub_(lr * dW)
            bs[l].sub_(lr * db)


def runners(network, params, X, Y, dtype, peers):
    """label → run(n iterations); numpy with its BLAS on one thread and on every core."""
    from threadpoolctl import threadpool_limits

    def numpy_on(threads):
        def run(n):
            with threadpool_limits(limits=threads, user_api="blas"):
                engine.train(network, params, X, Y, 0.01, n, 10**9, dtype=dtype)

        return run

    runs = {
        "per-sample": lambda n: fast.train(network, params, X, Y, 0.01, n, 10**9, dtype=dtype),
        "wide": lambda n: fast_wide.train(network, params, X, Y, 0.01, n, 10**9, dtype=dtype),
        "numpy 1thr": numpy_on(1),
        f"numpy {os.cpu_count()}thr": numpy_on(os.cpu_count() or 1),
    }
    if peers:
        runs["torch bmm"] = lambda n: torch_bmm(network.sizes, X, Y, params, 0.01, n, dtype)
    return runs


def timed(run, iterations, repeats):
    """(wall, CPU) seconds of the fastest of ``repeats`` runs (CPU: every thread of the process,
    so it counts spinning BLAS threads and is not inflated by other processes' load)."""
    run(1)  # compile / warm up
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        run(iterations)
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per timed run (approx)")
    parser.add_argument("--dtypes", nargs="+", default=["float64", "float32"])
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
        peers = True
    except ImportError:
        peers = False
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; load average before {os.getloadavg()}"
    )
    print(
        f"{'network':14} {'m':>5} {'K':>3} {'dtype':8} {'engine':10} {'µs/model-it':>12} "
        f"{'GFLOP/s':>8} {'CPU µs/m-it':>12}"
    )
    for name, sizes, m, K in SHAPES:
        X, Y, params = problem(sizes, m, K)
        network = Network(sizes)
        # about `budget` seconds per run at ≈ 20 GFLOP/s
        its = max(2, int(args.budget * 20e9 / (flops(sizes, m) * K)))
        for dtype in args.dtypes:
            runs = runners(network, params, X, Y, dtype, peers)
            for label, run in runs.items():
                n = its if label in ("per-sample", "wide") else max(2, its // 3)
                seconds, cpu = timed(run, n, args.repeats)
                per, cpu_per = seconds / (n * K), cpu / (n * K)
                print(
                    f"{name:14} {m:5} {K:3} {dtype:8} {label:10} {per * 1e6:12.1f} "
                    f"{flops(sizes, m) / per / 1e9:8.1f} {cpu_per * 1e6:12.1f}",
                    flush=True,
                )
    print(f"# load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
