"""``initlab isometry``: Jacobian spectra, Gaussian vs orthogonal, tanh vs ReLU, critical vs not."""

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
def isometry(
    activation: Annotated[
        str, typer.Option(help=f"Activation beside ReLU: {', '.join(activations.REGISTRY)}.")
    ] = D.ISOMETRY_ACTIVATION,
    depths: Annotated[str, typer.Option(help="Depths, comma-separated.")] = ",".join(
        map(str, D.ISOMETRY_DEPTHS)
    ),
    width: Annotated[int, typer.Option(help="Units per layer.")] = D.ISOMETRY_WIDTH,
    sigma_b2: Annotated[float, typer.Option(help="Bias variance σ_b².")] = D.ISOMETRY_SIGMA_B2,
    off_critical: Annotated[
        float, typer.Option(help="Off-critical σ_w² as a multiple of the critical one.")
    ] = D.ISOMETRY_OFF_CRITICAL,
    inputs: Annotated[
        int, typer.Option(help="Networks per spectrum (one input on q* each).")
    ] = D.ISOMETRY_INPUTS,
    seed: Annotated[int, typer.Option(help="Seed of numpy's default_rng.")] = 0,
    out: Annotated[Path, typer.Option(help="Folder for the figure and the report.")] = Path(
        D.ISOMETRY_OUT
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write every number here.")
    ] = None,
) -> None:
    """Squared singular values of the input-output Jacobian at several depths, with the
    free-probability density, mean and variance (Pennington, Schoenholz & Ganguli 2017)."""
    from initlab.signal.isometry import isometry as run

    check_outputs(out, json_file)
    depth_list = numbers("--depths", depths, int)
    total = 8 * len(depth_list) // (2 if activation == "relu" else 1)
    with progress_bar(True, total, "spectra", unit="spectra") as progress:
        result = run(
            activation,
            depth_list,
            width=width,
            sigma_b2=sigma_b2,
            off_critical=off_critical,
            inputs=inputs,
            seed=seed,
            progress=progress,
        )
    files = result.files()
    console().print(rich_table(result.table(), "Jacobian spectra: measured beside theory"))
    write_outputs(out, files, json_file=json_file, open_name="report.html")
