"""What several test files share: the ``initlab`` command (in a subprocess or in this process)
and a store's rows."""

import os
import sqlite3
import subprocess
import sys

import pytest

# The real command, as the console script runs it (no dependence on the script being on PATH).
CLI = [sys.executable, "-c", "from initlab.cli import main; main()"]


def cli_env():
    """The environment for :data:`CLI`: this one, with matplotlib's non-interactive backend."""
    return {**os.environ, "MPLBACKEND": "Agg"}


def run_cli(*args, cwd=None):
    """``initlab ARGS`` in a subprocess, as a user runs it: the ``CompletedProcess`` (text)."""
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_env(),
    )


def run_main(monkeypatch, capsys, *args):
    """``initlab ARGS`` in this process, through ``main()`` as the console script calls it:
    (exit code, stdout, stderr)."""
    from initlab.cli import main

    monkeypatch.setattr(sys, "argv", ["initlab", *map(str, args)])
    with pytest.raises(SystemExit) as stop:
        main()
    captured = capsys.readouterr()
    return stop.value.code, captured.out, captured.err


def store_rows(path, columns):
    """``(runs, history)`` of the store at ``path``: ``columns`` of every run and every history
    row, both ordered by key (and iteration), to compare two stores."""
    connection = sqlite3.connect(path)
    runs = connection.execute(f"SELECT {columns} FROM runs ORDER BY key").fetchall()
    history = connection.execute("SELECT * FROM history ORDER BY key, iteration").fetchall()
    connection.close()
    return runs, history


def snapshot(root):
    """Every path under ``root`` (hidden ones too) with its bytes (``None`` for folders): what a
    refused command must leave exactly as it was."""
    out = {}
    for folder, dirs, names in os.walk(root):
        for d in dirs:
            out[os.path.relpath(os.path.join(folder, d), root)] = None
        for n in names:
            path = os.path.join(folder, n)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, root)] = handle.read()
    return out
