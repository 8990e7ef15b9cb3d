"""``initlab inits``: every initializer with its formula, defaults and its PyTorch / Keras / JAX
names (the same table as docs/initializers.md)."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from initlab.cli.app import app, console
from initlab.initializers.catalog import TRUNCATION_NOTE, cell, rows

FRAMEWORKS = (("pytorch", "PyTorch"), ("keras", "Keras"), ("jax", "JAX"), ("other", ""))


def table() -> Table:
    """Name (and aliases), formula, defaults, and the frameworks' names one per line."""
    out = Table(title="initializers (weights are (fan_out, fan_in))", show_lines=True, expand=True)
    out.add_column("name / aliases", no_wrap=True)
    out.add_column("formula", ratio=5)
    out.add_column("defaults", ratio=2, overflow="fold")
    out.add_column("PyTorch / Keras / JAX", ratio=4)
    for row in rows():
        name = row["name"] + "".join(f"\n= {alias}" for alias in row["aliases"])
        names = [
            f"{label}: {row[key]}" if label else row[key] for key, label in FRAMEWORKS if row[key]
        ]
        defaults = cell(row, "defaults").replace(", ", "\n")
        out.add_row(name, row["formula"], defaults, "\n".join(names) or "—")
    return out


@app.command()
def inits(
    json_output: bool = typer.Option(False, "--json", help="Print the table as JSON instead."),
) -> None:
    """List every initializer: formula, default parameters and its PyTorch / Keras / JAX names."""
    if json_output:
        print(json.dumps(rows(), indent=2, ensure_ascii=False))
        return
    console().print(table())
    console().print(
        f"\n{TRUNCATION_NOTE}\nUse any of them as name or name:key=value,... e.g. "
        "--inits he_uniform:mode=fan_out,variance_scaling:scale=2,mode=fan_avg"
    )
