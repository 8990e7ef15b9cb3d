"""``initlab sweep``, ``summarize`` and ``export``: many runs, a results store, statistics.

The studies are imported when a command runs, so ``initlab --help`` loads none of them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from initlab.cli.app import app, check_outputs, console, drawing, rich_table, write_outputs
from initlab.runs import defaults as D

if TYPE_CHECKING:
    from initlab.runs.execute import SweepOutcome

HELP = {
    "inits": "Initializer specs, comma-separated (default: zeros,random,he).",
    "seeds": "Seeds: 0-31, 0-9,20 ... (default: 0-9).",
    "layers": "Networks, sizes comma-separated, several separated by ';' (2,10,5,1;"
    "auto,32,auto; residual blocks: auto,64,res64x4,auto) (default: auto,10,5,auto).",
    "depth": "Hidden-layer counts, with --width: networks (n_in, width × depth, n_out).",
    "width": "Hidden-layer widths, with --depth.",
    "activation": "Hidden activations, comma-separated (default: relu).",
    "lr": "Learning rates, comma-separated (default: 0.01).",
    "dataset": "Dataset specs, comma-separated (default: circles).",
    "iterations": "Iterations, comma-separated (default: 15000).",
    "every": "Record cost and accuracy every this many iterations (default: 1000).",
    "target": "Test accuracy counted as success (default: 0.9).",
    "batch_size": "Runs trained together per engine pass (and written per transaction) "
    "(default: 64).",
    "store": "The SQLite results store (default: results.db).",
    "backend": "local (this process) or dask (default: local).",
    "scheduler": "Dask scheduler address, tcp://HOST:PORT (--backend dask; none: a local cluster).",
    "timeout": "Seconds to reach the scheduler (default: 10).",
    "engine": "Training engine (default: auto).",
    "parametrization": "Parametrizations, comma-separated: sp, ntk, mup (μP); ntk and mup need "
    "--base-width (default: sp).",
    "base_width": "The hidden width at which ntk and mup equal sp.",
}


def _run(settings: dict[str, Any]) -> SweepOutcome:
    """:func:`initlab.sweep` with ``settings`` (a progress bar on a terminal:
    :mod:`initlab.runs.progress`); Ctrl-C says how to resume."""
    from initlab.experiments.sweep import sweep

    try:
        return sweep(**settings)
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: every finished batch is in {settings['store']}; rerun the same "
            "command to resume",
            file=sys.stderr,
        )
        raise typer.Exit(130) from None


@app.command()
def sweep(
    spec: str | None = typer.Option(
        None,
        "--spec",
        help="A TOML file with the sweep's settings (see docs/sweep.md); "
        "options given here override it.",
    ),
    inits: str | None = typer.Option(None, help=HELP["inits"]),
    seeds: str | None = typer.Option(None, help=HELP["seeds"]),
    layers: str | None = typer.Option(None, help=HELP["layers"]),
    depth: str | None = typer.Option(None, help=HELP["depth"]),
    width: str | None = typer.Option(None, help=HELP["width"]),
    activation: str | None = typer.Option(None, help=HELP["activation"]),
    lr: str | None = typer.Option(None, help=HELP["lr"]),
    dataset: str | None = typer.Option(None, help=HELP["dataset"]),
    iterations: str | None = typer.Option(None, help=HELP["iterations"]),
    every: int | None = typer.Option(None, help=HELP["every"]),
    target: float | None = typer.Option(None, help=HELP["target"]),
    batch_size: int | None = typer.Option(None, help=HELP["batch_size"]),
    store: str | None = typer.Option(None, help=HELP["store"]),
    backend: str | None = typer.Option(None, help=HELP["backend"]),
    scheduler: str | None = typer.Option(None, help=HELP["scheduler"]),
    timeout: float | None = typer.Option(None, help=HELP["timeout"]),
    engine: str | None = typer.Option(None, help=HELP["engine"]),
    parametrization: str | None = typer.Option(None, help=HELP["parametrization"]),
    base_width: int | None = typer.Option(None, help=HELP["base_width"]),
) -> None:
    """Train a grid of runs (initializers × seeds × networks × ...) into a results store.

    Rerunning the same command resumes: runs already in the store are skipped.
    """
    given = {
        "inits": inits,
        "seeds": seeds,
        "layers": layers,
        "depth": depth,
        "width": width,
        "activation": activation,
        "lr": lr,
        "dataset": dataset,
        "iterations": iterations,
        "every": every,
        "target": target,
        "batch_size": batch_size,
        "store": store,
        "backend": backend,
        "scheduler": scheduler,
        "timeout": timeout,
        "engine": engine,
        "parametrization": parametrization,
        "base_width": base_width,
    }
    from initlab.experiments.sweep import sweep_settings

    settings = sweep_settings(spec, given)
    outcome = _run(settings)
    console().print(str(outcome))
    console().print(f"Summarize with: initlab summarize --store {settings['store']} --by init")


@app.command()
def summarize(
    store: str = typer.Option(D.STORE, help="The results store."),
    by: str = typer.Option(
        "init",
        help="Group by these columns, comma-separated: "
        "init, init_name, layers, depth, width, activation, dataset, lr, "
        "iterations, every, seed.",
    ),
    target: float = typer.Option(D.TARGET, help="Test accuracy counted as success."),
    metric: str = typer.Option(
        "test_accuracy", help="The figure's metric: test_accuracy, final_cost or success."
    ),
    x: str | None = typer.Option(
        None, help="The figure's x axis (one of --by; default: the first swept one)."
    ),
    confidence: float = typer.Option(D.CONFIDENCE, help="Confidence level of the intervals."),
    resamples: int = typer.Option(D.RESAMPLES, help="Bootstrap resamples."),
    seed: int = typer.Option(D.BOOTSTRAP_SEED, help="Seed of the bootstrap's numpy Generator."),
    out: str = typer.Option(
        D.SUMMARY_OUT,
        help="Folder for summary.csv, pairs.csv, summary.md and summary.png.",
    ),
) -> None:
    """Statistics of a sweep: means with bootstrap CIs, success rates with Wilson intervals,
    Wilcoxon signed-rank tests between initializers, and a figure."""
    from initlab.experiments.summary import summarize as summarize_store

    check_outputs(out)

    summary = summarize_store(
        str(store),
        by,
        target=target,
        metric=metric,
        x=x,
        confidence=confidence,
        n_resamples=resamples,
        seed=seed,
    )
    with drawing():
        files = summary.files()
    console().print(
        rich_table(
            summary.display_table(), f"{summary.n_runs} runs in {store}, by {', '.join(summary.by)}"
        )
    )
    if not summary.pairs.empty:
        console().print(
            rich_table(
                summary.display_pairs(),
                f"Initializers over matched runs ({summary.pair_metric}): Wilcoxon signed-rank",
            )
        )
    if not summary.best_lr.empty:
        console().print(
            rich_table(summary.display_best_lr(), "Best learning rate (lowest mean final cost)")
        )
    write_outputs(out, files)


@app.command()
def export(
    out: str = typer.Argument(..., help="The file to write: .csv or .parquet."),
    store: str = typer.Option(D.STORE, help="The results store."),
    history: bool = typer.Option(
        False, "--history", help="Export the cost/accuracy history instead of one row per run."
    ),
) -> None:
    """Write a store's runs (or their histories) to a CSV or Parquet file."""
    from initlab.experiments.sweep import export as export_store

    path = export_store(str(store), out, "history" if history else "runs")
    console().print(f"Wrote {path}")
