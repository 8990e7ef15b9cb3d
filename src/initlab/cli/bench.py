"""``initlab bench``: time the seed's loop, the peers (NumPy stacked, PyTorch, JAX), the NumPy
engine and the compiled engine, beside the machine's measured dgemm roof."""

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
    ("GFLOP/s", "right"),
    ("% of roof", "right"),
    ("threads", "right"),
    ("spread", "right"),
    ("CPU µs/model-iter", "right"),
]


def results_table(bench: Benchmark) -> Table:
    """One row per timed configuration: µs per model-iteration (wall; and CPU of all threads),
    the speed-up over the seed's loop, GFLOP/s and its share of the dgemm roof, threads, the
    spread of the repeats. A peer that is not installed is a row marked absent."""
    out = Table(
        title="µs per model-iteration (median of repeats); speed-up over the seed's loop; "
        "GFLOP/s of the matrix products against the dgemm roof measured in this run"
    )
    for column, justify in COLUMNS:
        out.add_column(column, justify=justify)
    for r in bench.results:
        head = [r.network, f"{r.samples:,}"]
        if r.absent:
            out.add_row(*head, f"{r.engine} (absent)", r.dtype, f"{r.models:,}", "—")
            continue
        speedup = "" if r.speedup_vs_seed_loop is None else f"{r.speedup_vs_seed_loop:,.1f}×"
        engine_name = r.engine if not r.note else f"{r.engine} (ran numpy)"
        out.add_row(
            *head,
            engine_name,
            r.dtype,
            f"{r.models:,}",
            f"{r.us_per_model_iter:,.2f}",
            speedup,
            f"{r.gflops:,.1f}",
            f"{100 * r.roof_fraction:.0f} %",
            "" if r.threads is None else str(r.threads),
            f"{100 * r.spread:.0f} %",
            f"{r.cpu_us_per_model_iter:,.2f}",
        )
    return out


def summary_lines(bench: Benchmark) -> list[str]:
    """Busy warnings, the roof, the compile cost, the course's comparison, memory, notes and the
    machine, in words."""
    lines = [f"warning: {w}" for w in bench.warnings]
    roof = bench.roof
    if roof:
        lines.append(
            f"roof: a {roof['n']}×{roof['n']} float64 dgemm runs at {roof['gflops']:.1f} GFLOP/s "
            f"on {roof['blas_threads']} BLAS threads (float32's roof taken as twice that); the "
            f"NumPy loops were timed on {bench.blas_threads or 'default'} BLAS thread(s)"
        )
    for call in bench.compile.get("first_call", []):
        if call.get("seconds") is not None:
            lines.append(
                f"compiled kernel, first call in this process ({call['dtype']}): "
                f"{call['seconds']:.2f} s ({call['source']})"
            )
    for call in bench.compile.get("generated", []):
        lines.append(
            f"kernel generated for {call['network']} ({call['dtype']}): "
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
    notes = sorted({r.note for r in bench.results if r.note and not r.absent})
    lines += sorted({f"absent: {r.engine}: {r.note}" for r in bench.results if r.absent})
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
PeersOption = Annotated[
    bool,
    typer.Option(
        "--peers/--no-peers",
        help="Also time NumPy stacked, PyTorch bmm and JAX jit+vmap+scan (those installed: "
        "pip install 'initlab\\[peers]').",
    ),
]
BlasOption = Annotated[
    int,
    typer.Option(
        "--blas-threads", min=0, help="BLAS threads of the NumPy loops (0: BLAS's own default)."
    ),
]


@app.command()
def bench(
    quick: QuickOption = False,
    json_file: JsonOption = None,
    peers: PeersOption = True,
    blas_threads: BlasOption = 1,
) -> None:
    """Time the seed's loop, the peers (NumPy, PyTorch, JAX), the NumPy engine and the compiled
    engine on three networks, beside the machine's measured dgemm roof."""
    check_outputs(None, json_file)
    from initlab import bench as benchmark

    def progress(text: str) -> None:
        if sys.stderr.isatty():
            print(f"  timing {text} …", file=sys.stderr)

    result = benchmark.run(
        quick=quick, progress=progress, peers=peers, blas_limit=blas_threads or None
    )
    console().print(results_table(result))
    for line in summary_lines(result):
        console().print(line)
    if json_file is not None:
        write_file(json_file, result.to_json())
        console().print(f"\nWrote {json_file}")
