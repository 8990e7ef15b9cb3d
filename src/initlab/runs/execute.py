"""A whole sweep into a results store: the batches not yet stored, run on a backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from initlab import checks
from initlab.runs import defaults as D
from initlab.runs.batch import Batch, batches
from initlab.runs.grid import Grid
from initlab.runs.progress import plural
from initlab.runs.spec import load_dataset
from initlab.runs.store import open_store


@dataclass
class SweepOutcome:
    """What a sweep did: ``total`` runs in its grid, ``already`` in the store before it started,
    ``ran`` trained now (``added`` of them new to the store), in ``seconds`` of wall time."""

    store: str
    total: int
    already: int
    ran: int
    added: int
    batches: int
    seconds: float
    backend: str
    engines: tuple[str, ...]

    def __str__(self) -> str:
        engines = ", ".join(self.engines) or "none"
        batches = plural(self.batches, "batch", "batches")
        return (
            f"{self.total:,} runs in the grid: {self.already:,} already in {self.store}, "
            f"{self.ran:,} trained now in {self.seconds:.1f} s ({batches}, "
            f"backend {self.backend}, engine {engines})"
        )


def execute(
    grid: Grid,
    store_path: str,
    backend: Any,
    *,
    batch_size: int = D.BATCH_SIZE,
    target: float = D.TARGET,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> SweepOutcome:
    """Run every run of ``grid`` not yet in the store at ``store_path`` on ``backend``.

    Batches are formed from the whole grid (:func:`batches`), then those already stored are
    skipped; each finished batch is written in one transaction as it arrives. The backend is
    entered (a scheduler reached) before the store is opened, so a bad address writes nothing.
    ``on_start(n)`` is called once before training with the model-iterations to do;
    ``progress(n)`` with each increment of them.
    """
    target = checks.check("target", target, checks.TARGET)
    runs = grid.runs()
    planned = batches(runs, batch_size)
    _check_budget(planned, len(runs))
    started = time.perf_counter()
    ran = added = n_batches = 0
    engines: dict[str, None] = {}
    with backend:
        store = open_store(store_path, create=True, check=True)
        try:
            done = store.done(r.key for r in runs)
            parts = (b.only(r.key for r in b.runs if r.key not in done) for b in planned)
            todo = [b for b in parts if b is not None]
            if on_start is not None:
                on_start(sum(b.model_iterations for b in todo))

            def pending(batch: Batch) -> Batch | None:
                keys = [r.key for r in batch.runs]
                return batch.only(set(keys) - store.done(keys))

            for results in backend.run(todo, target=target, pending=pending, progress=progress):
                added += store.write(results)
                ran += len(results)
                n_batches += 1
                engines.update(dict.fromkeys(r.engine for r in results))
        finally:
            store.close()
    return SweepOutcome(
        str(store_path),
        len(runs),
        len(done),
        ran,
        added,
        n_batches,
        time.perf_counter() - started,
        backend.name,
        tuple(engines),
    )


def _check_budget(planned: list[Batch], n_runs: int) -> None:
    """Refuse the sweep before any work when one batch cannot fit in memory or all of them
    together are more work than :data:`initlab.checks.MAX_WORK`
    (:func:`initlab.checks.training_budget`)."""
    memory = work = 0.0
    for batch in planned:
        run = batch.runs[0]
        dataset = load_dataset(run.dataset)
        records = 3 * (run.iterations // run.every + 1)  # cost, train and test accuracy
        n_samples = max(len(dataset.X_train), len(dataset.X_test))
        m, w = checks.training_budget(
            run.layers, n_samples, len(batch.runs), run.iterations, records
        )
        memory, work = max(memory, m), work + w
    checks.check_budget(f"the sweep ({n_runs:,} runs)", memory=memory, work=work)
