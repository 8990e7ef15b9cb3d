"""Peak memory of training K models, measured in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, cast

from initlab import engine
from initlab.bench.problems import EVERY, LR, problems

_MEMORY = """
import json
from initlab.bench import memory
print(json.dumps(memory.memory_peak_here({index}, {K}, {engine_name!r})))
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
        added = max(0, cast(int, _status_kib("VmHWM")) - before) * 1024  # there, as VmRSS is
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
