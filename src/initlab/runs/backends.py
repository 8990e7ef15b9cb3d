"""Where a sweep's batches run: in this process, or on a Dask cluster.

A backend takes the sweep's batches and yields each batch's results as they arrive; the caller (the
one process holding the store) writes them, so a store has exactly one writer per sweep and a sweep
on a cluster resumes like a local one.

- :class:`LocalBackend` trains the batches one after the other in this process (the default).
- :class:`DaskBackend` submits every batch to a ``dask.distributed`` scheduler
  (``tcp://HOST:PORT``) and yields results in the order they complete. Workers need initlab (and
  the same numpy) installed; they never touch the store. Without an address it starts a
  ``LocalCluster`` with one single-threaded worker process per core.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator, Sequence

from initlab import checks
from initlab.checks import choice
from initlab.engine.train import check_engine
from initlab.errors import InitlabError
from initlab.runs import defaults as D
from initlab.runs.batch import Batch, RunResult, run_batch

BACKENDS = ("local", "dask")

Pending = Callable[[Batch], Batch | None]
Progress = Callable[[int], None]


def _pending_part(batch: Batch, pending: Pending | None, progress: Progress | None) -> Batch | None:
    """What of ``batch`` still has to run (``pending(batch)``, or all of it without ``pending``);
    the model-iterations of the runs it drops are reported to ``progress`` as done."""
    part = pending(batch) if pending is not None else batch
    if progress is not None:
        progress(batch.model_iterations - (part.model_iterations if part else 0))
    return part


class LocalBackend:
    """Train each batch in this process, in order."""

    name = "local"

    def __init__(self, engine: str = "auto"):
        self.engine = check_engine(engine)

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(
        self,
        batches: Sequence[Batch],
        *,
        target: float = D.TARGET,
        pending: Pending | None = None,
        progress: Progress | None = None,
    ) -> Iterator[list[RunResult]]:
        """Yield each batch's results; ``pending(batch)`` (asked just before a batch starts)
        drops runs another sweep finished meanwhile, or the whole batch (``None``)."""
        for batch in batches:
            todo = _pending_part(batch, pending, progress)
            if todo is not None:
                yield run_batch(todo, self.engine, target, progress)


def _probe(address: str, timeout: float) -> None:
    """Fail fast, with the address, when nothing listens at a ``tcp://HOST:PORT`` scheduler."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    try:
        protocol, location = parse_address(address)
        if protocol != "tcp":
            return
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as error:
        raise InitlabError(
            f"bad scheduler address {address!r} ({error}); write tcp://HOST:PORT, e.g. "
            "tcp://10.0.0.5:8786"
        ) from None
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as error:
        raise InitlabError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({error}); start "
            f"one with `dask scheduler` and workers with `dask worker {address}`, or check the "
            "address"
        ) from None


class DaskBackend:
    """Send batches to a ``dask.distributed`` cluster; yield their results as they complete.

    ``scheduler`` is an address (``tcp://HOST:PORT``), an existing ``distributed.Client``, or
    ``None`` for a ``LocalCluster`` on this machine. ``timeout`` bounds the connection attempt.
    """

    name = "dask"

    def __init__(
        self,
        scheduler: object = None,
        *,
        timeout: float = D.SCHEDULER_TIMEOUT,
        engine: str = "auto",
        n_workers: int | None = None,
    ):
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InitlabError(
                "--backend dask needs dask.distributed; install it with pip install 'initlab[dask]'"
            ) from None
        self.scheduler = scheduler
        self.timeout = checks.check("the scheduler timeout", timeout, checks.POSITIVE_AMOUNT)
        self.engine = check_engine(engine)
        self.n_workers = n_workers

    def __enter__(self) -> DaskBackend:
        """Check that the scheduler answers (a ``tcp://`` address), before any work starts."""
        if isinstance(self.scheduler, str):
            _probe(self.scheduler, self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _connect(self):
        from distributed import Client, LocalCluster

        if self.scheduler is not None and not isinstance(self.scheduler, str):
            return self.scheduler, None, None
        if self.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.n_workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
            return Client(cluster, set_as_default=False), cluster, True
        try:
            client = Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except Exception as error:  # noqa: BLE001 — any failure to connect is the same to a user
            raise InitlabError(
                f"cannot connect to the Dask scheduler at {self.scheduler} within "
                f"{self.timeout:g} s ({type(error).__name__}: {error}); check the address and "
                "that `dask scheduler` runs there"
            ) from None
        return client, None, True

    def run(
        self,
        batches: Sequence[Batch],
        *,
        target: float = D.TARGET,
        pending: Pending | None = None,
        progress: Progress | None = None,
    ) -> Iterator[list[RunResult]]:
        """Submit every pending batch at once; yield results in completion order."""
        from distributed import as_completed

        todo = []
        for batch in batches:
            part = _pending_part(batch, pending, progress)
            if part is not None:
                todo.append(part)
        if not todo:
            return
        client, cluster, owned = self._connect()
        futures = []
        try:
            futures = [
                client.submit(run_batch, batch, self.engine, target, pure=False) for batch in todo
            ]
            for future in as_completed(futures, loop=client.loop):
                results = future.result()
                future.release()
                if progress is not None:
                    progress(sum(r.spec.iterations for r in results))
                yield results
        finally:
            if futures:
                client.cancel([f for f in futures if not f.done()])
            if owned:
                client.close()
            if cluster is not None:
                cluster.close()


def get(
    name: str,
    *,
    scheduler: object = None,
    timeout: float = D.SCHEDULER_TIMEOUT,
    engine: str = "auto",
) -> LocalBackend | DaskBackend:
    """The backend called ``name`` (``local`` or ``dask``)."""
    if choice("backend", name, BACKENDS) == "local":
        if scheduler is not None:
            raise InitlabError(
                f"--scheduler {scheduler} needs --backend dask; the local backend runs here"
            )
        return LocalBackend(engine)
    return DaskBackend(scheduler, timeout=timeout, engine=engine)
