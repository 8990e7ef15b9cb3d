"""``initlab compare``: the course's experiment, or any variation of it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from initlab import data
from initlab.cli.app import app, check_outputs, console, drawing, rich_table, write_outputs
from initlab.data.registry import short_spec
from initlab.nn import activations
from initlab.report.format import test_cost_or
from initlab.runs import defaults as D

if TYPE_CHECKING:
    from initlab.experiments.comparison import Comparison

PARAMETRIZATION_HELP = (
    "How each layer's initial scale and learning rate follow the width: sp (standard), ntk or "
    "mup (μP, Yang et al. 2022); ntk and mup need --base-width."
)
BASE_WIDTH_HELP = "With --parametrization ntk or mup: the hidden width at which it equals sp."
_GENERATED = [name for name in data.REGISTRY if not data.REGISTRY[name].takes_path]


def print_costs(result: Comparison) -> None:
    """The course's printout: the costs every ``every`` iterations, then the accuracies."""
    for run in result.runs:
        print(f"\n== {run.init} ==")
        for iteration, cost in run.costs:
            print(f"Cost after iteration {iteration}: {cost!r}")
        if run.diverged:
            print(f"Diverged at iteration {run.diverged_at}: the cost is no longer finite.")
        else:
            print(f"On the train set: Accuracy: {run.train_accuracy!r}")
            print(f"On the test set: Accuracy: {run.test_accuracy!r}")


def table(result: Comparison) -> Table:
    scaling = result.network.parametrization
    out = Table(
        title=f"{result.network} {result.network.activation_text()}"
        f"{'' if scaling == 'sp' else ' ' + result.network.parametrization_text()} on "
        f"{short_spec(result.dataset.spec)}, lr {result.lr:g}, "
        f"{result.iterations:,} iterations, seed {result.seed}"
    )
    for column in ("init", "train acc", "test acc", "final cost", "test cost", "diagnosis"):
        out.add_column(column, justify="left" if column in ("init", "diagnosis") else "right")
    for run in result.runs:
        if run.diverged:
            out.add_row(run.init, "diverged", "diverged", "diverged", "diverged", run.diagnosis)
        else:
            out.add_row(
                run.init,
                f"{run.train_accuracy:.1%}",
                f"{run.test_accuracy:.1%}",
                f"{run.final_cost:.4g}",
                _cost_text(test_cost_or(run.test_cost, run.diverged)),
                run.diagnosis,
            )
    return out


def _cost_text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.4g}"


@app.command()
def compare(
    inits: str = typer.Option(",".join(D.INITS), help="Initializers, comma-separated specs."),
    layers: str = typer.Option(
        ",".join(map(str, D.LAYERS)),
        help="Layer sizes, input first; the first and last may be auto (from the data).",
    ),
    activation: str = typer.Option(
        D.ACTIVATION,
        help="Hidden activation, one for all layers or one per hidden layer (relu,tanh,tanh): "
        f"{', '.join(activations.REGISTRY)}, with parameters like leaky_relu:slope=0.1.",
    ),
    output: str = typer.Option(
        D.OUTPUT,
        help="Output layer: auto (sigmoid for 2 classes, softmax for more), sigmoid, softmax.",
    ),
    lr: float = typer.Option(D.LR, help="Learning rate of gradient descent."),
    iterations: int = typer.Option(D.ITERATIONS, help="Gradient-descent iterations."),
    every: int = typer.Option(
        D.EVERY, help="Record (and print) the cost every this many iterations."
    ),
    seed: int = typer.Option(D.SEED, help="Seed of numpy's RandomState for the initial weights."),
    dataset: str = typer.Option(
        D.DATASET,
        help=f"Dataset spec: {', '.join(_GENERATED)} with parameters "
        "(moons:noise=0.2,n_samples=500; spiral:classes=3; standardize=true), "
        "or your file: csv:PATH[,label=COLUMN] or npz:PATH.",
    ),
    out: Path = typer.Option(Path(D.OUT), help="Folder for figures, results and report."),
    json_file: Path | None = typer.Option(None, "--json", help="Also write the results here."),
    seeds: str | None = typer.Option(
        None,
        help="Also train every initializer once per seed (0-49, 0-9,20) and add an "
        "'over N seeds' table (means with confidence intervals) to the report.",
    ),
    engine: str = typer.Option(
        D.ENGINE,
        help="Training engine: numpy (the reference), fast (compiled), auto (fast when it "
        "covers the network; numpy when a first compile would take longer than the job).",
    ),
    dtype: str = typer.Option(D.DTYPE, help="Float type of training: float64 or float32."),
    parametrization: str = typer.Option(D.PARAMETRIZATION, help=PARAMETRIZATION_HELP),
    base_width: int | None = typer.Option(None, help=BASE_WIDTH_HELP),
    verbose: bool = typer.Option(
        False, "--verbose", help="Say which engine ran, in which dtype, and any fallback."
    ),
) -> None:
    """Train one network per initializer and compare them (defaults: the course's experiment)."""
    from initlab.experiments import compare as run_compare

    check_outputs(out, json_file)

    _check_seeds(seeds)
    result = run_compare(  # a progress bar per training on a terminal (initlab.runs.progress)
        inits,
        layers,
        dataset=dataset,
        activation=activation,
        output=output,
        lr=lr,
        iterations=iterations,
        every=every,
        seed=seed,
        seeds=seeds,
        engine=engine,
        dtype=dtype,
        parametrization=parametrization,
        base_width=base_width,
    )
    if verbose:
        print_engine(result, engine)
    print_costs(result)
    print()
    console().print(table(result))
    if result.over_seeds is not None:
        print_over_seeds(result)
    with drawing():
        files = result.files()
    write_outputs(out, files, json_file=json_file, open_name="report.html")


def print_engine(result: Comparison, asked: str) -> None:
    """``--verbose``: the engine that ran (and dtype), and why, when it is not the one asked for."""
    print(f"engine: {result.engine} ({result.dtype}; asked for {asked})")
    if result.engine_note:
        print(f"engine note: {result.engine_note}")


def _check_seeds(seeds: str | None) -> None:
    """Bad ``--seeds`` raise here, before any training."""
    if seeds is not None:
        from initlab.runs.spec import parse_seeds

        parse_seeds(seeds)


def print_over_seeds(result: Comparison) -> None:
    """The "over N seeds" table and the paired tests, as in the report."""
    summary = result.over_seeds
    assert summary is not None  # called only when compare(seeds=...) was asked for
    n = int(summary.table["n"].max())
    console().print()
    console().print(rich_table(summary.compact_table(), f"Over {n} seeds"))
    if not summary.pairs.empty:
        console().print(
            rich_table(
                summary.display_pairs(), f"Initializers over the {n} seeds: Wilcoxon signed-rank"
            )
        )
