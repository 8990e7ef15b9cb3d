"""``initlab coordcheck``: activation sizes across widths, and the best learning rate, SP vs μP."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from initlab.cli.app import app, check_outputs, console, rich_table, write_outputs
from initlab.cli.lists import numbers
from initlab.nn import activations
from initlab.runs import defaults as D


@app.command()
def coordcheck(
    activation: Annotated[
        str, typer.Option(help=f"Hidden activation: {', '.join(activations.REGISTRY)}.")
    ] = D.COORD_ACTIVATION,
    widths: Annotated[
        str, typer.Option(help="Widths of the coord check, up to 8,192 (e.g. 64,128,…,4096).")
    ] = ",".join(map(str, D.COORD_WIDTHS)),
    parametrizations: Annotated[str, typer.Option(help="sp, ntk and/or mup.")] = "sp,mup",
    depth: Annotated[int, typer.Option(help="Hidden layers.")] = D.COORD_DEPTH,
    steps: Annotated[int, typer.Option(help="SGD steps before measuring.")] = D.COORD_STEPS,
    lr: Annotated[float, typer.Option(help="Learning rate of the coord check.")] = D.COORD_LR,
    dataset: Annotated[str, typer.Option(help="Dataset spec.")] = D.COORD_DATASET,
    batch: Annotated[int, typer.Option(help="Samples in the one batch.")] = D.COORD_BATCH,
    seeds: Annotated[str, typer.Option(help="Seeds averaged, e.g. 0-1.")] = D.COORD_SEEDS,
    sigma_w2: Annotated[float, typer.Option(help="Hidden σ_w².")] = D.COORD_SIGMA_W2,
    lrs: Annotated[str, typer.Option(help="Learning rates of the transfer plot.")] = ",".join(
        map(str, D.COORD_LRS)
    ),
    lr_widths: Annotated[str, typer.Option(help="Widths of the transfer plot.")] = ",".join(
        map(str, D.COORD_LR_WIDTHS)
    ),
    lr_steps: Annotated[int, typer.Option(help="SGD steps per transfer run.")] = (D.COORD_LR_STEPS),
    out: Annotated[Path, typer.Option(help="Folder for the figures and the report.")] = Path(
        D.COORD_OUT
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write every number here.")
    ] = None,
) -> None:
    """The coord check (size of each layer's pre-activations after a few SGD steps, across
    widths) and learning-rate transfer, standard parametrization beside μP (Yang et al. 2022,
    Tensor Programs V)."""
    from initlab.signal.coordcheck import coordcheck as run

    check_outputs(out, json_file)
    result = run(
        activation,
        numbers("--widths", widths, int),
        parametrizations=[p.strip() for p in parametrizations.split(",") if p.strip()],
        depth=depth,
        steps=steps,
        lr=lr,
        dataset=dataset,
        batch=batch,
        seeds=seeds,
        sigma_w2=sigma_w2,
        lrs=numbers("--lrs", lrs),
        lr_widths=numbers("--lr-widths", lr_widths, int),
        lr_steps=lr_steps,
    )
    files = result.files()
    console().print(rich_table(result.table(), "Width scaling"))
    write_outputs(out, files, json_file=json_file, open_name="report.html")
