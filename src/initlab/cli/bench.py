"""``initlab bench``: time the seed's loop, the NumPy engine and the compiled engine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from initlab.cli.app import app, check_outputs, console
from initlab.report.files import write_file

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from initlab.bench import Benchmark

#: the results table's columns and how each is aligned
COLUMNS: list[tuple[str, JustifyMethod]] = [
    ("network", "left"),
    ("samples", "right"),
    ("engine", "left"),
    ("dtype", "left"),
    ("K", "right"),
    ("µs/model-iter", "right"),
    ("speed-up", "right"),
    ("CPU µs/model-iter", "right"),
    ("compile s", "right"),
]


def results_table(bench: Benchmark) -> Table:
    """One row per timed configuration: µs per model-iteration (wall, and CPU of all threads)
    and the speed-up over the seed's loop."""
    out = Table(title="µs per model-iteration (median of repeats); speed-up over the seed's loop")
    for column, justify in COLUMNS:
        out.add_column(column, justify=justify)
    for r in bench.results:
        speedup = "" if r.speedup_vs_seed_loop is None else f"{r.speedup_vs_seed_loop:,.1f}×"
        engine_name = r.engine if not r.note else f"{r.engine} (ran numpy)"
        out.add_row(
            r.network,
            f"{r.samples:,}",
            engine_name,
            r.dtype,
            f"{r.models:,}",
            f"{r.us_per_model_iter:,.2f}",
            speedup,
            f"{r.cpu_us_per_model_iter:,.2f}",
            f"{r.compile_s:.2f}" if r.compile_s else "",
        )
    return out


def summary_lines(bench: Benchmark) -> list[str]:
    """The compile cost, the course's comparison, memory, notes and the machine, in words."""
    lines = []
    for call in bench.compile.get("first_call", []):
        if call.get("seconds") is not None:
            lines.append(
                f"compiled kernel, first call in this process ({call['dtype']}): "
                f"{call['seconds']:.2f} s ({call['source']})"
            )
    cold = bench.compile.get("cold")
    if cold and cold.get("seconds") is not None:
        lines.append(
            f"compiling from an empty numba cache (float64): {cold['seconds']:.1f} s, "
            "once per machine; later runs load the cache"
        )
    course = bench.course
    if course:
        lines.append(
            f"the course's comparison (3 inits × {course['iterations']:,} iterations, one batch): "
            f"fast {course['fast_s']:.3f} s, numpy {course['numpy_s']:.2f} s"
        )
    for mem in bench.memory:
        lines.append(
            f"peak memory added training {mem['models']} models of {mem['network']} on "
            f"{mem['samples']:,} samples ({mem['engine']}): {mem['peak_added_bytes'] / 2**20:.1f} "
            f"MiB (parameters {mem['params_bytes'] / 2**20:.2f} MiB; {mem['method']})"
        )
    notes = sorted({r.note for r in bench.results if r.note})
    lines += [f"note: {note}" for note in notes]
    m = bench.machine
    lines.append(
        f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, numpy {m['numpy']}, "
        f"numba {m.get('numba')}, {m['date']}"
    )
    return lines


QuickOption = Annotated[
    bool, typer.Option("--quick", help="Shorter timings, fewer configurations (under a minute).")
]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Also write the results here.")]


@app.command()
def bench(quick: QuickOption = False, json_file: JsonOption = None) -> None:
    """Time the seed's own loop, the NumPy engine and the compiled engine (K = 1 to 512 models)."""
    from initlab import bench as benchmark

    check_outputs(None, json_file)

    def progress(text: str) -> None:
        if sys.stderr.isatty():
            print(f"  timing {text} …", file=sys.stderr)

    result = benchmark.run(quick=quick, progress=progress)
    console().print(results_table(result))
    for line in summary_lines(result):
        console().print(line)
    if json_file is not None:
        write_file(json_file, result.to_json())
        console().print(f"\nWrote {json_file}")
