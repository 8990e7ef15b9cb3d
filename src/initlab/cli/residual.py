"""``initlab residual``: residual initializers racing on a deep residual MLP beside a plain one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from initlab.cli.app import app, check_outputs, console, write_outputs
from initlab.runs import defaults as D


@app.command()
def residual(
    inits: Annotated[str, typer.Option(help="Initializers for the residual network.")] = (
        "rezero,skipinit,fixup,zero,idinit,he"
    ),
    blocks: Annotated[int, typer.Option(help="Residual blocks.")] = 64,
    width: Annotated[int, typer.Option(help="Units of every block.")] = 16,
    branch_layers: Annotated[int, typer.Option(help="Layers per branch: 1 or 2.")] = 1,
    dataset: Annotated[str, typer.Option(help="Dataset spec.")] = "spiral",
    lr: Annotated[float, typer.Option(help="Learning rate of gradient descent.")] = 0.05,
    iterations: Annotated[int, typer.Option(help="Gradient-descent iterations.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of numpy's RandomState.")] = D.SEED,
    engine: Annotated[str, typer.Option(help="Training engine: auto, fast or numpy.")] = D.ENGINE,
    out: Annotated[Path, typer.Option(help="Folder for race.png and race.json.")] = Path(
        "initlab-residual"
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the numbers here.")
    ] = None,
) -> None:
    """Race residual initializers (ReZero, SkipInit, Fixup, ZerO, IDInit, He) on a deep residual
    MLP (auto,W,resWxB,auto) against a plain MLP of the same depth with He, with each one's
    gradient per layer at initialization."""
    from initlab.experiments.residual_race import residual_race

    check_outputs(out, json_file)
    result = residual_race(
        inits,
        blocks=blocks,
        width=width,
        branch_layers=branch_layers,
        dataset=dataset,
        lr=lr,
        iterations=iterations,
        seed=seed,
        engine=engine,
    )
    table = Table(
        title=f"{result.residual.network} vs a plain MLP of {result.plain.network.depth} layers"
    )
    for column in ("network", "init", "final cost"):
        table.add_column(column)
    for kind, comparison in (("residual", result.residual), ("plain", result.plain)):
        for run in comparison.runs:
            cost = f"diverged at {run.diverged_at}" if run.diverged else f"{run.final_cost:.4g}"
            table.add_row(kind, run.init, cost)
    console().print(table)
    write_outputs(
        out,
        result.files(),
        json_file=json_file,
        json_name="race.json",
        open_name="race.png",
        blank_line=False,
    )
