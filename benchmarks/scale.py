"""Scale, measured (a benchmark, not a test): memory of many models, and a sweep end to end.

1. **Memory**: in a fresh process, train K = 1 and then K = 4,096 models of the course's network
   (2-10-5-1 on its 300 points, He, 1,000 iterations, the fast engine) and report the process's
   peak resident memory (``ru_maxrss``) after each: what 4,096 models add over one, and the total.
   The parameters alone are 4,096 × 91 × 8 B ≈ 3 MB.
2. **A sweep end to end**: ``initlab.sweep`` of 5 initializers × 50 seeds × 15,000 iterations on
   the course's problem into a new store (batches of 64, the fast engine, accuracies recorded every
   1,000 iterations), beside the engine alone training the same 250 models in the same batches
   (``initlab.engine.train``, no measuring or writing).

    python benchmarks/scale.py [--json scale.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

MEMORY = """
import resource, json
import numpy as np
from initlab import engine, initializers
from initlab.data import load
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network
net = Network((2, 10, 5, 1))
data = load("circles")
X, Y = data.X_train.T, data.y_train.reshape(1, -1).astype(float)
he = initializers.get("he")
out = {}
for K in (1, 4096):
    params = initial_batch(net, [(he, k) for k in range(K)])
    h = engine.train(net, params, X, Y, 0.01, 1000, 1000, engine="fast")
    assert h.engine == "fast"
    out[K] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

INITS = ["zeros", "random", "he", "glorot_normal", "lecun_normal"]


def memory() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY], capture_output=True, text=True, check=True
    )
    peaks = json.loads(done.stdout)
    one, many = peaks["1"], peaks["4096"]
    return {"peak_mb_K1": one, "peak_mb_K4096": many, "added_mb_K4096": many - one}


def sweep_end_to_end() -> dict[str, float]:
    import numpy as np

    import initlab
    from initlab import engine, initializers
    from initlab.data import load
    from initlab.engine.initial import initial_batch
    from initlab.nn.network import Network

    net = Network((2, 10, 5, 1))
    data = load("circles")
    X, Y = data.X_train.T, data.y_train.reshape(1, -1).astype(float)
    pairs = [(initializers.get(i), s) for i in INITS for s in range(50)]
    engine.train(net, initial_batch(net, pairs[:2]), X, Y, 0.01, 2, engine="fast")  # loaded
    start = time.perf_counter()
    for first in range(0, len(pairs), 64):
        batch = initial_batch(net, pairs[first : first + 64])
        engine.train(net, batch, X, Y, np.full(len(batch[0][0]), 0.01), 15000, 1000, engine="fast")
    alone = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        outcome = initlab.sweep(
            INITS, "0-49", store=os.path.join(folder, "s.db"), engine="fast", progress=False
        )
        whole = time.perf_counter() - start
    assert outcome.ran == 250
    return {"sweep_seconds": whole, "engine_alone_seconds": alone, "runs": 250}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args()
    result: dict[str, object] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
    }
    result.update(memory())
    print(
        f"memory: K=1 peak {result['peak_mb_K1']:.0f} MB, K=4,096 peak "
        f"{result['peak_mb_K4096']:.0f} MB (+{result['added_mb_K4096']:.0f} MB for 4,096 models)"
    )
    result.update(sweep_end_to_end())
    print(
        f"sweep 5 inits × 50 seeds × 15,000 iterations: {result['sweep_seconds']:.1f} s end to end,"
        f" {result['engine_alone_seconds']:.1f} s for the engine alone"
    )
    result["load_average_after"] = os.getloadavg()
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
