"""The first run after an install, measured in one script (a benchmark, not a test).

In fresh processes: ``initlab compare`` (the default job, ``--engine auto``) with an empty numba
cache (``NUMBA_CACHE_DIR`` and ``INITLAB_CACHE_DIR``, where generated kernels are kept, set to new
temporary folders, the project's own caches left alone),
and ``--engine numpy`` there; then, with numba's usual cache made warm (a 2-iteration
``--engine fast`` run first, which compiles only if it is cold, and says so), ``initlab compare``
again (warm). (``initlab bench`` times a compile from an empty cache.) And the start-up of
``initlab --help`` and ``initlab inits`` (best of 5), with ``python -X importtime``'s total for the
command line's imports. Prints one line per measurement and ``--json FILE`` writes them.

    python benchmarks/first_run.py [--json first_run.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

CLI = [sys.executable, "-c", "from initlab.cli import main; main()"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stderr.strip()


def import_ms(command: str, env: dict[str, str]) -> float:
    """``-X importtime``'s cumulative µs of ``initlab.cli`` and the command's own modules, in ms."""
    code = f"import sys; sys.argv = ['initlab', '{command}']\nfrom initlab.cli import main\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass"
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True
    )
    total = 0
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match and not match.group(2).startswith(" "):  # top-level imports only
            total += int(match.group(1))
    return total / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the measurements here")
    args = parser.parse_args()
    results: dict[str, object] = {"load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="initlab-first-run-") as folder:
        fresh = {"NUMBA_CACHE_DIR": "numba", "INITLAB_CACHE_DIR": "kernels"}
        cold = dict(os.environ, **{k: os.path.join(folder, v) for k, v in fresh.items()})
        env = {k: v for k, v in os.environ.items() if k not in fresh}
        out = os.path.join(folder, "out")
        for name, extra, where in (
            ("cold_auto", [], cold),
            ("numpy", ["--engine", "numpy"], cold),
            ("warm_up", ["--engine", "fast", "--iterations", "2"], env),
            ("warm_auto", [], env),
        ):
            seconds, said = timed([*CLI, "compare", "--out", out, *extra], where)
            results[name] = {"seconds": round(seconds, 2), "said": said}
            if name == "warm_auto":
                results["cold_over_warm"] = round(results["cold_auto"]["seconds"] / seconds, 2)
            print(f"initlab compare {' '.join(extra) or '(auto)'}: {seconds:.2f} s  {said}")
        for command in ("--help", "inits"):
            best = min(timed([*CLI, command], env)[0] for _ in range(5))
            ms = import_ms(command, env)
            results[command] = {"best_seconds": round(best, 3), "import_ms": round(ms, 1)}
            print(f"initlab {command}: {best:.3f} s (best of 5), imports {ms:.0f} ms")
    results["load_after"] = os.getloadavg()[0]
    print(f"cold / warm initlab compare: {results['cold_over_warm']:.2f}")
    print(f"load average before {results['load_before']:.1f}, after {results['load_after']:.1f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
