"""The public Python API: :func:`compare`.

Arrays follow scikit-learn's convention (``X`` of shape ``(n_samples, n_features)``); the engine's
features × samples layout stays inside."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from initlab.errors import InitlabError
from initlab.runs import defaults as D
from initlab.runs.progress import Choice, counting_bar

if TYPE_CHECKING:
    from initlab.runs.execute import SweepOutcome


def sweep(
    inits: str | Sequence[str] = D.INITS,
    seeds: str | int | Sequence[int] = D.SWEEP_SEEDS,
    *,
    layers: str | Sequence | None = None,
    depth: int | Sequence[int] | None = None,
    width: int | Sequence[int] | None = None,
    activation: str | Sequence[str] = D.ACTIVATION,
    lr: float | Sequence[float] = D.LR,
    dataset: str | Sequence[str] = D.DATASET,
    iterations: int | Sequence[int] = D.ITERATIONS,
    every: int = D.EVERY,
    store: str = D.STORE,
    backend: str = D.BACKEND,
    scheduler: object = None,
    timeout: float = D.SCHEDULER_TIMEOUT,
    batch_size: int = D.BATCH_SIZE,
    target: float = D.TARGET,
    engine: str = D.ENGINE,
    parametrization: str | Sequence[str] = D.PARAMETRIZATION,
    base_width: int | None = None,
    progress: Choice = True,
    on_start: Callable[[int], None] | None = None,
) -> SweepOutcome:
    """Train every run of a grid not yet in ``store`` and add it there; returns what was done.

    The grid is the product of ``inits`` × ``seeds`` × networks × ``activation`` × ``lr`` ×
    ``dataset`` × ``iterations``; each axis takes one value, a list or comma-separated text
    (``seeds="0-31"``). Networks are the explicit ``layers`` lists plus ``(n_in, width × depth,
    n_out)`` for each ``depth`` and ``width``; by default the course's ``(n_in, 10, 5, n_out)``.
    ``parametrization`` (``"sp"``, ``"ntk"``, ``"mup"``, one or several) is an axis too, ntk and
    mup relative to hidden width ``base_width``: sweep ``width`` × ``lr`` under sp and mup and
    :func:`summarize` ``by="parametrization,width,lr"`` shows the best learning rate per width.
    Runs of one network, activation, dataset and iteration count train together, ``batch_size``
    at a time, on ``backend`` (``"local"``, or ``"dask"`` with ``scheduler="tcp://HOST:PORT"``; no
    scheduler starts a local cluster); each finished batch is written in one transaction. Rerun to
    resume: runs already stored are skipped. See ``docs/sweep.md``.

    ``progress``: ``True`` shows a bar of the model-iterations to train in a notebook or a
    terminal, never in a pipe; ``False`` none; a function is called with each increment of them
    (and ``on_start(total)`` once before training).

    >>> outcome = sweep(["zeros", "he"], "0-9", iterations=1000, store="s.db")  # doctest: +SKIP
    >>> load("s.db").groupby("init").test_accuracy.mean()                       # doctest: +SKIP
    """
    from initlab.runs import backends
    from initlab.runs.execute import execute
    from initlab.runs.grid import make_grid

    grid = make_grid(
        inits,
        seeds,
        datasets=dataset,
        activations_=activation,
        lrs=lr,
        layers=layers,
        depths=depth,
        widths=width,
        iterations=iterations,
        every=every,
        parametrizations=parametrization,
        base_width=base_width,
    )
    runner = backends.get(backend, scheduler=scheduler, timeout=timeout, engine=engine)
    with counting_bar(progress, "sweep", "model-iterations") as (start, advance):
        return execute(
            grid,
            store,
            runner,
            batch_size=batch_size,
            target=target,
            progress=advance,
            on_start=_both(start, on_start),
        )


def _both(
    first: Callable[[int], None] | None, second: Callable[[int], None] | None
) -> Callable[[int], None] | None:
    """One callback calling ``first`` then ``second`` (either may be ``None``)."""
    if first is None or second is None:
        return first or second

    def call(n: int) -> None:
        first(n)
        second(n)

    return call


def sweep_settings(
    spec_file: str | None = None, given: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The keyword arguments of :func:`sweep`: its own defaults, then the settings of the TOML
    ``spec_file`` (keys as :data:`initlab.runs.sweep_file.SPEC_KEYS`), then ``given`` (its
    ``None`` values left out) — what ``initlab sweep --spec FILE --lr ...`` runs."""
    from initlab.runs.sweep_file import read_spec

    settings = {
        name: parameter.default
        for name, parameter in inspect.signature(sweep).parameters.items()
        if name not in ("progress", "on_start")
    }
    if spec_file is not None:
        settings.update(read_spec(spec_file))
    settings.update({k: v for k, v in (given or {}).items() if v is not None})
    settings["store"] = str(settings["store"])
    return settings


def load(store: str, table: str = "runs"):
    """A results store as a pandas DataFrame: ``table="runs"`` (one row per run: its spec and
    numbers) or ``"history"`` (each run's cost and accuracies every ``every`` iterations)."""
    from initlab.runs.store import open_store

    if table not in ("runs", "history"):
        raise InitlabError(f"table must be 'runs' or 'history'; got {table!r}")
    opened = open_store(store)
    try:
        return opened.runs() if table == "runs" else opened.history()
    finally:
        opened.close()


def export(store: str, out, table: str = "runs"):
    """Write a store's ``runs`` (or ``history``) table to ``out``: ``.csv`` or ``.parquet``
    (needs pyarrow: ``pip install 'initlab[parquet]'``). Returns the path written."""
    import io
    from pathlib import Path

    from initlab.report.files import check_file, write_file

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InitlabError(f"export writes .csv or .parquet files; got {str(out)!r}")
    _not_the_store(out, store)
    check_file(out, "export file")
    frame = load(store, table)
    if suffix == ".csv":
        return write_file(out, frame.to_csv(index=False), "export file")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InitlabError(
            "writing parquet needs pyarrow; install it with pip install 'initlab[parquet]' or "
            "export to .csv"
        ) from None
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return write_file(out, buffer.getvalue(), "export file")


def _not_the_store(out, store: str) -> None:
    """Refuse to export onto the store itself or its SQLite side files (-wal, -shm, -journal):
    the same file by path (resolved, so ``./r.db`` and ``r.db`` match) or by ``os.path.samefile``
    (hard and symbolic links)."""
    import os
    from pathlib import Path

    for suffix in ("", "-wal", "-shm", "-journal"):
        kept = Path(f"{store}{suffix}")
        same = Path(os.path.realpath(out)) == Path(os.path.realpath(kept))
        if not same and out.exists() and kept.exists():
            same = os.path.samefile(out, kept)
        if same:
            what = "the results store" if not suffix else f"the results store's {suffix[1:]} file"
            raise InitlabError(
                f"export file {str(out)!r} is {what} {str(kept)!r}; exporting there would "
                "destroy the runs; give another file name"
            )
