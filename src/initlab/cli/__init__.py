"""The ``initlab`` command line: a thin shell over :mod:`initlab.api`.

Bad input (:class:`~initlab.errors.InitlabError`), and any operating-system error (a file that
cannot be read or written), becomes one message on stderr and exit code 2.

Each command lives in its own module, which registers it on :data:`initlab.cli.app.app` when
imported. :func:`main` imports only the module of the command named on the command line (all of
them for ``--help`` or an unknown name), so ``initlab inits`` loads neither the studies' modules
nor Typer's description of the other commands. ``initlab.cli.app`` (the attribute, as
``from initlab.cli import app``) is the application with every command.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

from initlab.errors import InitlabError

# what every command shares, imported now, so that the package's attribute ``app`` it binds can be
# dropped: ``app`` here is the application with every command (``__getattr__``), not the submodule
# (a later import of a loaded submodule does not bind it again)
importlib.import_module("initlab.cli.app")
globals().pop("app", None)

#: each command and the module (``initlab.cli.<module>``) that registers it
COMMANDS = {
    "bench": "bench",
    "collapse": "collapse",
    "compare": "compare",
    "coordcheck": "coordcheck",
    "diagnose": "diagnose",
    "explore": "explore",
    "inits": "inits",
    "isometry": "isometry",
    "residual": "residual",
    "sweep": "sweep",
    "summarize": "sweep",
    "export": "sweep",
    "theory": "theory",
    "trainability": "trainability",
}


def register(argv: Sequence[str] | None = None) -> Any:
    """Import the module of the command in ``argv`` (``sys.argv``-like), or every command's when
    ``argv`` is ``None`` or names none; returns the Typer application."""
    words = [] if argv is None else [a for a in argv[1:] if not a.startswith("-")]
    named = words[0] if words and words[0] in COMMANDS else None
    for module in sorted({COMMANDS[named]} if named else set(COMMANDS.values())):
        importlib.import_module(f"initlab.cli.{module}")
    from initlab.cli.app import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # the application with every command
        return register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    _engine_words()
    application = globals().get("app") or register(sys.argv)  # ``app`` set here: a stand-in
    try:
        application()
    except InitlabError as error:
        print(f"initlab: error: {error}", file=sys.stderr)
        sys.exit(2)
    except OSError as error:  # the last net: a file the checks could not foresee
        where = f"{error.filename}: " if error.filename else ""
        print(f"initlab: error: {where}{error.strerror or error}", file=sys.stderr)
        sys.exit(2)


def _engine_words() -> None:
    """Show the engine's one-line notes (a first compile, auto's choice) on stderr."""
    logger = logging.getLogger("initlab.engine")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("initlab: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


__all__ = ["COMMANDS", "app", "main", "register"]
