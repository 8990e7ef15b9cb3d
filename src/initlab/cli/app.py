"""The Typer application and what every command shares: errors, console, status messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import typer.core
from rich.console import Console
from rich.table import Table

from initlab.report.files import check_file, check_folder, previous_outputs, write_all

if TYPE_CHECKING:
    import pandas as pd

_option_type = typer.core.TyperOption.display_type_rich


def _type_of_value(option: typer.core.TyperOption, ctx: Any) -> str | None:
    """The help's type column: none for a flag (Typer writes ``<bool>``, but a flag takes no
    value: ``--verbose``, not ``--verbose <bool>``)."""
    return None if option.is_flag else _option_type(option, ctx)


typer.core.TyperOption.display_type_rich = _type_of_value  # type: ignore[method-assign, assignment]

app = typer.Typer(
    name="initlab",
    help="The weight-initialization lab: see how the way a network's weights start decides "
    "whether it learns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def console() -> Console:
    """Standard output; a wide page when not on a terminal, so tables are not folded."""
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def drawing(what: str = "figures") -> AbstractContextManager[object]:
    """ "drawing figures…" with a spinner on stderr while the figures render, when stderr is a
    terminal (nothing in a pipe); the line goes when they are done. Progress bars of training
    live in :mod:`initlab.runs.progress`, shared with the Python API."""
    if not sys.stderr.isatty():
        return nullcontext()
    return Console(stderr=True).status(f"drawing {what}…")


def rich_table(frame: pd.DataFrame, title: str) -> Table:
    """``frame`` as a rich table: numeric columns right-aligned, every value as ``str``."""
    import pandas as pd

    table = Table(title=title)
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    return table


def write_outputs(
    out: str | os.PathLike,
    files: Mapping[str, bytes | str],
    *,
    json_file: Path | None = None,
    json_name: str = "results.json",
    open_name: str | None = None,
    blank_line: bool = True,
) -> None:
    """Write ``files`` into ``out`` and ``files[json_name]`` also to ``json_file`` when given, as
    one transaction (all or nothing; the previous run's other files in ``out`` removed), then say
    "Wrote N files to OUT/" (with "(open OUT/open_name)" when given), after a blank line unless
    ``blank_line`` is false."""
    stale = previous_outputs(out, files)
    also = {json_file: files[json_name]} if json_file is not None else None
    write_all(out, files, also)
    where = f" (open {Path(out) / open_name})" if open_name is not None else ""
    lead = "\n" if blank_line else ""
    console().print(f"{lead}Wrote {len(files)} files to {out}/{where}")
    if stale:
        console().print(f"Removed the previous run's {', '.join(stale)} from {out}/")


def check_outputs(out: str | os.PathLike | None, json_file: Path | None = None) -> None:
    """Refuse a bad ``--out`` folder or ``--json`` file before any work (the writer checks them
    again when it writes): one :class:`~initlab.errors.InitlabError` naming the path and why."""
    if out is not None:
        check_folder(out)
    if json_file is not None:
        check_file(json_file, "--json", folder=out)


def _version(value: bool) -> None:
    if value:
        from initlab._version import __version__

        print(f"initlab {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """The weight-initialization lab."""
