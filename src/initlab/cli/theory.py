"""``initlab theory``: the order-to-chaos phase diagram of an activation (mean-field theory)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from initlab.cli.app import app, check_outputs, console, drawing, write_outputs
from initlab.nn import activations
from initlab.runs import defaults as D

if TYPE_CHECKING:
    from initlab.experiments.phase import PhaseDiagram


def table(result: PhaseDiagram) -> Table:
    out = Table(
        title=f"{result.activation}: where each initializer puts a {result.width}-unit hidden layer"
    )
    for column in ("init", "σ_w²", "σ_b²", "q*", "χ(q*)", "phase"):
        out.add_column(column, justify="left" if column in ("init", "phase") else "right")
    for p in result.points:
        out.add_row(
            p.init,
            f"{p.sigma_w2:.4g}",
            f"{p.sigma_b2:.4g}",
            f"{p.q_star:.4g}",
            f"{p.chi:.4g}",
            p.phase,
        )
    return out


@app.command()
def theory(
    activation: Annotated[
        str, typer.Option(help=f"Activation: {', '.join(activations.REGISTRY)}.")
    ] = D.THEORY_ACTIVATION,
    inits: Annotated[
        str, typer.Option(help="Initializers to mark (variance-based ones).")
    ] = ",".join(D.THEORY_INITS),
    width: Annotated[
        int, typer.Option(help="Hidden-layer width (matters for random, normal, ...).")
    ] = D.THEORY_WIDTH,
    sigma_w2_max: Annotated[float | None, typer.Option(help="Right end of the σ_w² axis.")] = None,
    sigma_b2_max: Annotated[float, typer.Option(help="Top of the σ_b² axis.")] = D.SIGMA_B2_MAX,
    out: Annotated[Path, typer.Option(help="Folder for phase.png and theory.json.")] = Path(
        D.THEORY_OUT
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the numbers here.")
    ] = None,
) -> None:
    """Draw the order-to-chaos phase diagram (χ(q*) over σ_w², σ_b²) with its critical line
    χ = 1, and mark where each initializer sits (Poole et al. 2016; Schoenholz et al. 2017)."""
    from initlab.experiments import phase_diagram

    check_outputs(out, json_file)

    result = phase_diagram(
        activation, inits, width=width, sigma_w2_max=sigma_w2_max, sigma_b2_max=sigma_b2_max
    )
    with drawing():
        files = result.files()
    console().print(table(result))
    crossing = result.line_w2[0]
    console().print(f"Critical line at σ_b² = 0: σ_w² = {crossing:.4g}")
    write_outputs(
        out,
        files,
        json_file=json_file,
        json_name="theory.json",
        open_name="phase.png",
        blank_line=False,
    )
