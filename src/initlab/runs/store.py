"""The results store: one SQLite file, one row per run, written one batch per transaction.

Tables (schema version 1):

- ``initlab_meta(name, value)`` — ``application = initlab`` and ``schema_version``: how a file is
  recognized as an initlab store (``PRAGMA application_id`` is set too);
- ``runs`` — one row per run, keyed by the hash of its canonical spec
  (:attr:`initlab.runs.spec.RunSpec.key`): the spec's columns, the canonical spec JSON, final,
  best and test cost, train/test accuracy, diverged-at, iterations to the target accuracy, wall
  time, engine and initlab version;
- ``history(key, iteration, cost, train_accuracy, test_accuracy)`` — each run's curve.

Safety: the database runs in WAL mode with a busy timeout, every batch is written in one
``BEGIN IMMEDIATE`` … ``COMMIT`` (all of its runs or none, whatever kills the process), and rows
are inserted with ``INSERT OR IGNORE`` on the key, so two sweeps writing one store at once neither
corrupt it nor duplicate a run. Python's standard :mod:`sqlite3`; nothing else.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from initlab.errors import InitlabError

if TYPE_CHECKING:
    from initlab.runs.batch import RunResult

SCHEMA_VERSION = 1
APPLICATION_ID = 0x696E6974  # "init"
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another to finish its transaction
SQLITE_HEADER = b"SQLite format 3\x00"

RUN_COLUMNS = (
    ("key", "TEXT PRIMARY KEY"),
    ("spec", "TEXT NOT NULL"),
    ("init", "TEXT NOT NULL"),
    ("init_name", "TEXT NOT NULL"),
    ("layers", "TEXT NOT NULL"),
    ("depth", "INTEGER NOT NULL"),
    ("width", "INTEGER"),
    ("activation", "TEXT NOT NULL"),
    ("output", "TEXT NOT NULL"),
    ("dataset", "TEXT NOT NULL"),
    ("lr", "REAL NOT NULL"),
    ("iterations", "INTEGER NOT NULL"),
    ("every", "INTEGER NOT NULL"),
    ("seed", "INTEGER NOT NULL"),
    ("final_cost", "REAL"),
    ("best_cost", "REAL"),
    ("test_cost", "REAL"),
    ("train_accuracy", "REAL"),
    ("test_accuracy", "REAL"),
    ("diverged_at", "INTEGER"),
    ("target", "REAL"),
    ("iters_to_target", "INTEGER"),
    ("wall_time", "REAL"),
    ("batch_size", "INTEGER"),
    ("engine", "TEXT"),
    ("initlab_version", "TEXT"),
    ("finished", "TEXT"),
)
INTEGER_COLUMNS = ("width", "diverged_at", "iters_to_target")
NUMBER_COLUMNS = ("final_cost", "best_cost", "test_cost", "train_accuracy", "test_accuracy")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS initlab_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs ({", ".join(f"{name} {kind}" for name, kind in RUN_COLUMNS)});
CREATE TABLE IF NOT EXISTS history (
    key TEXT NOT NULL REFERENCES runs(key),
    iteration INTEGER NOT NULL,
    cost REAL,
    train_accuracy REAL,
    test_accuracy REAL,
    PRIMARY KEY (key, iteration)
) WITHOUT ROWID;
"""


class Store:
    """An open results store; use :func:`open_store` (a context manager closes it)."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.connection = connection

    # -- reading ---------------------------------------------------------------------------------

    def keys(self) -> set[str]:
        """Keys of every run in the store."""
        with self.errors():
            return {row[0] for row in self.connection.execute("SELECT key FROM runs")}

    def done(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are in the store (read fresh: another sweep may have written them)."""
        keys = list(keys)
        found: set[str] = set()
        with self.errors():
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    row[0]
                    for row in self.connection.execute(
                        f"SELECT key FROM runs WHERE key IN ({marks})", chunk
                    )
                )
        return found

    def count(self) -> int:
        with self.errors():
            return int(self.connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    def runs(self) -> pd.DataFrame:
        """The ``runs`` table in insertion order; missing numbers are NaN / ``<NA>``."""
        with self.errors():
            frame = pd.read_sql_query("SELECT * FROM runs ORDER BY rowid", self.connection)
        for column in (*INTEGER_COLUMNS, *NUMBER_COLUMNS):
            numbers = pd.to_numeric(frame[column], errors="coerce")
            bad = numbers.isna() & frame[column].notna()
            if column in INTEGER_COLUMNS:
                bad |= numbers.notna() & (numbers != numbers.round())
            if bad.any():
                row = int(bad.to_numpy().argmax())
                value = frame[column][row]
                value = value.item() if hasattr(value, "item") else value  # numpy → Python
                kind = "an integer" if column in INTEGER_COLUMNS else "a number"
                raise InitlabError(
                    f"store {str(self.path)!r} was edited by hand: column {column} of run "
                    f"{frame['key'][row]!r} holds {value!r}, not {kind} (or empty); "
                    "fix or delete that row, or sweep into a new --store"
                )
            frame[column] = numbers.astype("Int64" if column in INTEGER_COLUMNS else float)
        frame["parametrization"] = [_parametrization(spec) for spec in frame["spec"]]
        return frame

    def history(self) -> pd.DataFrame:
        """The ``history`` table: ``key, iteration, cost, train_accuracy, test_accuracy``."""
        with self.errors():
            return pd.read_sql_query(
                "SELECT history.* FROM history JOIN runs USING (key) "
                "ORDER BY runs.rowid, history.iteration",
                self.connection,
            )

    def iters_to_target(self, target: float) -> dict[str, int]:
        """For each run that reached it: the first recorded iteration with test accuracy ≥
        ``target``."""
        with self.errors():
            rows = self.connection.execute(
                "SELECT key, MIN(iteration) FROM history WHERE test_accuracy >= ? GROUP BY key",
                (float(target),),
            )
            return {key: int(iteration) for key, iteration in rows}

    # -- writing ---------------------------------------------------------------------------------

    def write(self, results: Sequence[RunResult]) -> int:
        """Write one batch's runs and histories in one transaction; returns the runs added
        (runs already present — written by another sweep — are left as they are)."""
        finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
        names = [name for name, _ in RUN_COLUMNS]
        run_rows, history_rows = [], []
        for result in results:
            row = {**result.row(), "spec": result.spec.to_json(), "finished": finished}
            run_rows.append(tuple(row[name] for name in names))
            history_rows += [(result.key, *point) for point in result.history]
        with self.errors():
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                before = self.connection.total_changes
                self.connection.executemany(
                    f"INSERT OR IGNORE INTO runs ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' * len(names))})",
                    run_rows,
                )
                added = self.connection.total_changes - before
                self.connection.executemany(
                    "INSERT OR IGNORE INTO history VALUES (?, ?, ?, ?, ?)", history_rows
                )
                self.connection.execute("COMMIT")
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
        return added

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn SQLite's errors into one :class:`InitlabError` naming the store."""
        try:
            yield
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise InitlabError(
                    f"store {str(self.path)!r} stayed locked by another process for more than "
                    f"{BUSY_TIMEOUT:g} s; wait for it to finish or use another --store"
                ) from None
            raise _corrupt(self.path, error) from None
        except sqlite3.DatabaseError as error:
            raise _corrupt(self.path, error) from None


def _corrupt(path: Path, error: Exception) -> InitlabError:
    return InitlabError(
        f"{str(path)!r} is not a readable initlab store (SQLite says: {error}); it may be "
        "corrupt — give another --store, or move this file away to start a new one"
    )


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise InitlabError(f"--store must be a file; {str(path)!r} is a directory")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise InitlabError(
            f"{str(path)!r} is not an initlab database (it is not an SQLite file); give a new "
            "or existing initlab store with --store"
        )


def _check_schema(path: Path, connection: sqlite3.Connection, create: bool) -> None:
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not tables and create:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            from initlab._version import __version__

            connection.executemany(
                "INSERT OR IGNORE INTO initlab_meta VALUES (?, ?)",
                [
                    ("application", "initlab"),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created", now),
                    ("created_by", f"initlab {__version__}"),
                ],
            )
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return
    if "initlab_meta" not in tables:
        what = f"its tables are {', '.join(sorted(tables))}" if tables else "it is empty"
        raise InitlabError(
            f"{str(path)!r} is not an initlab database ({what}); give a new or existing "
            "initlab store with --store"
        )
    meta = dict(connection.execute("SELECT name, value FROM initlab_meta"))
    if meta.get("application") != "initlab" or not {"runs", "history"} <= tables:
        raise InitlabError(f"{str(path)!r} is not an initlab database (no initlab tables)")
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        raise InitlabError(
            f"store {str(path)!r} was edited by hand: its schema_version is "
            f"{meta['schema_version']!r}, not an integer (this initlab writes {SCHEMA_VERSION}); "
            "restore it or sweep into a new --store"
        ) from None
    if version > SCHEMA_VERSION:
        raise InitlabError(
            f"store {str(path)!r} has schema version {version}; this initlab reads version "
            f"{SCHEMA_VERSION} or older — upgrade initlab"
        )


def open_store(path: str | os.PathLike, *, create: bool = False, check: bool = False) -> Store:
    """Open the store at ``path``: for reading only (the default), or with ``create`` to add runs
    (a new store is made when there is no file).

    Reading writes nothing (no schema, no journal mode) and works on a store the user cannot
    change: SQLite opens a read-only file ``mode=ro``, and ``immutable=1`` when its folder is
    read-only too and SQLite cannot make its shared-memory file there. Adding needs the file
    and its folder writable (WAL mode keeps two side files there); a read-only one is refused
    before SQLite opens it, leaving no side files.
    Refuses, with one :class:`InitlabError`, a path that cannot be a store (a folder, a file
    under a file), a file that is not an initlab database or is corrupt (``check`` runs SQLite's
    ``quick_check`` over the whole file first, as a sweep does before adding to it).
    """
    path = Path(path)
    try:
        _check_path(path, create)
    except OSError as error:
        raise InitlabError(f"cannot use store {str(path)!r}: {error.strerror}") from None
    if not create:
        return _open_read_only(path)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    store = Store(path, connection)
    try:
        with store.errors():
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            _check_schema(path, connection, create)
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode})")
            if check:
                result = connection.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(f"quick_check: {result}")
    except BaseException:
        connection.close()
        raise
    return store


def _can(path: Path, mode: int) -> bool:
    """Whether this process may access ``path`` in ``mode`` (by its effective user, as SQLite's
    own opens are checked)."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, mode, effective_ids=effective)


def _check_path(path: Path, create: bool) -> None:
    """Refuse a path that cannot hold a store (under a file, a folder, not SQLite), a missing
    store to read and, to add runs, a file or folder this process cannot write; make the folders
    of a new store."""
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise InitlabError(
                f"store {str(path)!r} cannot be made: {str(parent)!r} is a file, not a folder"
            )
    exists = path.exists()
    if not exists and not create:
        raise InitlabError(f"no store at {str(path)!r}; run `initlab sweep --store {path}` first")
    if exists:
        _check_header(path)
    if create:
        folder = path.parent if exists or path.parent.exists() else None
        if exists and not _can(path, os.R_OK | os.W_OK):
            raise InitlabError(
                f"store {str(path)!r} is read-only for you; a sweep adds runs to it: make it "
                "writable or give another --store (summarize and export only read it)"
            )
        if folder is not None and not _can(folder, os.W_OK | os.X_OK):
            raise InitlabError(
                f"store {str(path)!r} is in a read-only folder {str(folder)!r}; a sweep writes "
                "the store and its -wal and -shm files there: give a --store in a writable folder"
            )
        path.parent.mkdir(parents=True, exist_ok=True)


def _open_read_only(path: Path) -> Store:
    """A store opened for reading only: ``mode=ro``, or ``immutable=1`` where SQLite cannot make
    its shared-memory file (a read-only folder; nothing can be writing there)."""
    from urllib.parse import quote

    last: sqlite3.Error | None = None
    writable = _can(path, os.W_OK) and _can(path.resolve().parent, os.W_OK | os.X_OK)
    # where it can, SQLite opens read-write (nothing is written) so that closing the last
    # connection removes the -wal and -shm files; read-only files and folders get mode=ro
    for flags in ("mode=rw",) if writable else ("mode=ro", "immutable=1"):
        uri = f"file:{quote(str(path.resolve()))}?{flags}"
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        store = Store(path, connection)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            connection.execute("SELECT name FROM sqlite_master").fetchall()
        except sqlite3.OperationalError as error:  # e.g. no -shm file in a read-only folder
            connection.close()
            last = error
            continue
        try:
            with store.errors():
                _check_schema(path, connection, False)
        except BaseException:
            connection.close()
            raise
        return store
    raise _corrupt(path, last or sqlite3.OperationalError("cannot open"))


def _parametrization(spec: str) -> str:
    """A run's parametrization from its canonical spec JSON: ``"sp"`` (also every run stored
    before parametrizations existed), or ``"mup:base_width=64"``."""
    try:
        canonical = json.loads(spec)
    except (TypeError, ValueError):
        return "sp"
    name = canonical.get("parametrization", "sp") if isinstance(canonical, dict) else "sp"
    return name if name == "sp" else f"{name}:base_width={canonical.get('base_width')}"
