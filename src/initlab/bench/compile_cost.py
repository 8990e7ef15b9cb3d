"""What the compiled kernels cost before they run: the general kernel's first call in a process
(loaded from numba's cache, or compiled), a kernel generated for one network's shape
(:mod:`initlab.engine.fused`, loaded or generated and compiled), and a compile from an empty cache
in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import numpy as np

from initlab import engine
from initlab.bench.problems import LR
from initlab.engine.train import fast_unavailable
from initlab.nn.network import Network


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


def generated(network: Network, dtype: str = "float64") -> dict[str, Any]:
    """Load, or generate and compile, the kernel of ``network``'s shape in ``dtype``, timed."""
    from initlab.engine import fused

    was_ready = fused.is_ready(network.sizes, dtype)
    seconds = fused.compile(network, dtype)
    source = "compiled" if not was_ready else ("cache" if seconds > 0 else "already loaded")
    return {"network": str(network), "dtype": dtype, "seconds": seconds, "source": source}


_COLD = """
import time
t = time.perf_counter()
from initlab.bench.compile_cost import first_call
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
