"""``initlab collapse``: born-dead and collapsed deep narrow ReLU networks over depth × width."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from initlab.cli.app import app, check_outputs, console, write_outputs


@app.command()
def collapse(
    depths: Annotated[str, typer.Option(help="Hidden-layer counts, comma-separated.")] = (
        "2,5,10,15,20"
    ),
    widths: Annotated[str, typer.Option(help="Units per hidden layer, comma-separated.")] = (
        "2,3,4,6"
    ),
    inits: Annotated[str, typer.Option(help="Initializers, one map each.")] = "he,rai",
    trials: Annotated[int, typer.Option(help="Networks drawn per cell (born dead).")] = 1000,
    runs: Annotated[int, typer.Option(help="Networks trained per cell on |x| (0: skip).")] = 16,
    iterations: Annotated[int, typer.Option(help="Gradient-descent steps per run.")] = 600,
    lr: Annotated[float, typer.Option(help="Learning rate (mean squared error).")] = 0.05,
    seed: Annotated[int, typer.Option(help="Network t is drawn from RandomState(seed + t).")] = 0,
    out: Annotated[Path, typer.Option(help="Folder for collapse.png and collapse.json.")] = Path(
        "initlab-collapse"
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the numbers here.")
    ] = None,
) -> None:
    """Draw how often deep narrow ReLU networks are born dead (a constant function at
    initialization) and collapse to a constant after training on |x|, over depth × width, for
    each initializer (Lu, Shin, Su & Karniadakis 2020: He vs their RAI)."""
    from initlab.signal.collapse import collapse_map

    check_outputs(out, json_file)
    result = collapse_map(depths, widths, inits, trials, runs, iterations, lr, seed)
    table = Table(title="Born dead (share of initial networks) at the narrowest width")
    table.add_column("depth", justify="right")
    for init in result.inits:
        table.add_column(init, justify="right")
    table.add_column("bound (zero bias, one input)", justify="right")
    for a, depth in enumerate(result.depths):
        shares = [f"{result.born_dead[i, a, 0]:.3f}" for i in range(len(result.inits))]
        table.add_row(str(depth), *shares, f"{result.bound[a, 0]:.3f}")
    console().print(table)
    write_outputs(
        out,
        result.files(),
        json_file=json_file,
        json_name="collapse.json",
        open_name="collapse.png",
        blank_line=False,
    )
