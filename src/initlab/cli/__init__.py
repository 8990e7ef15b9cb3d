"""The ``initlab`` command line: a thin shell over :mod:`initlab.api`.

Bad input (:class:`~initlab.errors.InitlabError`), and any operating-system error (a file that
cannot be read or written), becomes one message on stderr and exit code 2.
"""

from __future__ import annotations

import sys

from initlab.cli import bench as _bench  # noqa: F401  (registers the command)
from initlab.cli import compare as _compare  # noqa: F401  (registers the command)
from initlab.cli import coordcheck as _coordcheck  # noqa: F401  (registers the command)
from initlab.cli import diagnose as _diagnose  # noqa: F401  (registers the command)
from initlab.cli import explore as _explore  # noqa: F401  (registers the command)
from initlab.cli import inits as _inits  # noqa: F401  (registers the command)
from initlab.cli import isometry as _isometry  # noqa: F401  (registers the command)
from initlab.cli import sweep as _sweep  # noqa: F401  (registers sweep, summarize, export)
from initlab.cli import theory as _theory  # noqa: F401  (registers the command)
from initlab.cli import trainability as _trainability  # noqa: F401  (registers the command)
from initlab.cli.app import app
from initlab.errors import InitlabError


def main() -> None:
    try:
        app()
    except InitlabError as error:
        print(f"initlab: error: {error}", file=sys.stderr)
        sys.exit(2)
    except OSError as error:  # the last net: a file the checks could not foresee
        where = f"{error.filename}: " if error.filename else ""
        print(f"initlab: error: {where}{error.strerror or error}", file=sys.stderr)
        sys.exit(2)


__all__ = ["app", "main"]
