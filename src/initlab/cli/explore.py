"""``initlab explore``: the live playground in the browser (issue 12).

A thin shell over :func:`initlab.explore.server.serve`; the server's packages (Starlette, uvicorn,
pydantic) are the ``initlab[explore]`` extra, imported only when the command runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from initlab.cli.app import app
from initlab.errors import InitlabError


@app.command()
def explore(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; 0.0.0.0 serves a classroom (prints a warning)."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the URL without opening a browser.")
    ] = False,
) -> None:
    """Serve the live playground: initializers racing side by side, the why drawn beside each.

    The first line with http:// is the URL to open; it carries the access token."""
    try:
        from initlab.explore import server
    except ImportError as error:
        raise InitlabError(
            f"initlab explore needs the explore extra ({error.name} is missing): "
            'pip install "initlab[explore]"'
        ) from None
    try:
        server.serve(host, port, open_browser=not no_browser)
    except KeyboardInterrupt:
        pass
