"""``initlab compare``: the course's experiment, or any variation of it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from initlab.api import compare as run_compare
from initlab.cli.app import app, console, progress_bar
from initlab.comparison import Comparison
from initlab.nn.network import parse_sizes
from initlab.viz.files import write_all, write_file


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
    out = Table(title=f"{result.network} on {result.dataset.spec}, lr {result.lr:g}, "
                f"{result.iterations:,} iterations, seed {result.seed}")
    for column, justify in [("init", "left"), ("train acc", "right"), ("test acc", "right"),
                            ("final cost", "right"), ("diagnosis", "left")]:
        out.add_column(column, justify=justify)
    for run in result.runs:
        if run.diverged:
            out.add_row(run.init, "diverged", "diverged", "diverged", run.diagnosis)
        else:
            out.add_row(run.init, f"{run.train_accuracy:.1%}", f"{run.test_accuracy:.1%}",
                        f"{run.final_cost:.4g}", run.diagnosis)
    return out


@app.command()
def compare(
    inits: str = typer.Option("zeros,random,he", help="Initializers, comma-separated specs."),
    layers: str = typer.Option("2,10,5,1", help="Layer sizes, input first."),
    lr: float = typer.Option(0.01, help="Learning rate of gradient descent."),
    iterations: int = typer.Option(15000, help="Gradient-descent iterations."),
    every: int = typer.Option(1000, help="Record (and print) the cost every this many iterations."),
    seed: int = typer.Option(3, help="Seed of numpy's RandomState for the initial weights."),
    dataset: str = typer.Option("circles", help="Dataset spec, e.g. circles or circles:noise=0.1."),
    out: Path = typer.Option(Path("initlab-out"), help="Folder for figures, results and report."),
    json_file: Path | None = typer.Option(None, "--json", help="Also write the results here."),
) -> None:
    """Train one network per initializer and compare them (defaults: the course's experiment)."""
    with progress_bar(iterations, "training") as progress:
        result = run_compare(
            inits, parse_sizes(layers), dataset=dataset, lr=lr, iterations=iterations,
            every=every, seed=seed, progress=progress,
        )
    print_costs(result)
    print()
    console().print(table(result))
    files = result.files()
    write_all(out, files)
    if json_file is not None:
        write_file(json_file, files["results.json"])
    console().print(f"\nWrote {len(files)} files to {out}/ (open {out / 'report.html'})")
