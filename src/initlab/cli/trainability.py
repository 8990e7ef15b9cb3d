"""``initlab trainability``: test accuracy over (σ_w², depth) with 6·ξ_c drawn over it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from initlab.cli.app import app, check_outputs, console, rich_table, write_outputs
from initlab.cli.lists import numbers
from initlab.nn import activations
from initlab.runs import defaults as D
from initlab.runs.progress import progress_bar


@app.command()
def trainability(
    activation: Annotated[
        str, typer.Option(help=f"Hidden activation: {', '.join(activations.REGISTRY)}.")
    ] = D.TRAINABILITY_ACTIVATION,
    sigma_w2: Annotated[str, typer.Option(help="Weight variances σ_w², comma-separated.")] = (
        ",".join(map(str, D.TRAINABILITY_SIGMA_W2))
    ),
    depths: Annotated[str, typer.Option(help="Hidden-layer counts, comma-separated.")] = ",".join(
        map(str, D.TRAINABILITY_DEPTHS)
    ),
    dataset: Annotated[str, typer.Option(help="Dataset spec.")] = D.TRAINABILITY_DATASET,
    width: Annotated[int, typer.Option(help="Units per hidden layer.")] = D.TRAINABILITY_WIDTH,
    lr: Annotated[float, typer.Option(help="Learning rate.")] = D.TRAINABILITY_LR,
    iterations: Annotated[int, typer.Option(help="Gradient-descent iterations.")] = (
        D.TRAINABILITY_ITERATIONS
    ),
    seeds: Annotated[str, typer.Option(help="Seeds, e.g. 0-3.")] = D.TRAINABILITY_SEEDS,
    store: Annotated[Path, typer.Option(help="Results store (resumes).")] = Path(
        D.TRAINABILITY_STORE
    ),
    backend: Annotated[str, typer.Option(help="local or dask.")] = D.BACKEND,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler tcp://HOST:PORT.")] = None,
    engine: Annotated[str, typer.Option(help="Training engine: auto, fast or numpy.")] = D.ENGINE,
    out: Annotated[Path, typer.Option(help="Folder for the figure and the report.")] = Path(
        D.TRAINABILITY_OUT
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write every number here.")
    ] = None,
) -> None:
    """Train a grid of networks over (σ_w², depth) and draw their test accuracy with the depth
    scale 6·ξ_c over it (Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017). Reruns resume."""
    from initlab.signal.trainability import trainability as run

    check_outputs(out, json_file)
    values = numbers("--sigma-w2", sigma_w2)
    depth_list = numbers("--depths", depths, int)
    with progress_bar(True, len(values) * len(depth_list), "runs", unit="runs") as progress:
        result = run(
            activation,
            values,
            depth_list,
            dataset=dataset,
            width=width,
            lr=lr,
            iterations=iterations,
            seeds=seeds,
            store=str(store),
            backend=backend,
            scheduler=scheduler,
            engine=engine,
            progress=progress,
        )
    files = result.files()
    console().print(rich_table(result.table(), "Deepest trainable depth beside 6·ξ_c"))
    write_outputs(out, files, json_file=json_file, open_name="report.html")
