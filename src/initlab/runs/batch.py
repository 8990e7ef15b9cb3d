"""Batches: runs that share a network, activation, dataset and iteration count, trained together.

Runs of one :attr:`~initlab.runs.spec.RunSpec.group` are trained together as one batch of K models
(:func:`batches`), each with its own initial weights and learning rate; :func:`run_batch` trains
one batch and measures every run in it (:class:`RunResult`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab import initializers
from initlab._version import __version__
from initlab.checks import positive_integer
from initlab.engine.initial import initial_batch
from initlab.nn.network import Network
from initlab.runs import defaults as D
from initlab.runs.measure import train_and_measure
from initlab.runs.spec import RunSpec, load_dataset


@dataclass(frozen=True)
class Batch:
    """Runs trained together in one engine pass: same dataset, activation, network, iterations."""

    index: int
    runs: tuple[RunSpec, ...]

    @property
    def model_iterations(self) -> int:
        return len(self.runs) * self.runs[0].iterations

    def only(self, keys: Iterable[str]) -> Batch | None:
        """This batch restricted to the runs whose key is in ``keys``; ``None`` when empty."""
        keep = set(keys)
        runs = tuple(r for r in self.runs if r.key in keep)
        return Batch(self.index, runs) if runs else None


def batches(runs: Sequence[RunSpec], batch_size: int = D.BATCH_SIZE) -> list[Batch]:
    """Split ``runs`` into batches of at most ``batch_size`` runs sharing a :attr:`RunSpec.group`.

    The split depends only on the grid and ``batch_size``, never on what is already done, so a
    resumed sweep trains exactly the batches an uninterrupted one would.
    """
    batch_size = positive_integer("batch_size", batch_size)
    groups: dict[tuple, list[RunSpec]] = {}
    for run in runs:
        groups.setdefault(run.group, []).append(run)
    out: list[Batch] = []
    for members in groups.values():
        for start in range(0, len(members), batch_size):
            out.append(Batch(len(out), tuple(members[start : start + batch_size])))
    return out


@dataclass
class RunResult:
    """What a run measured. Accuracies and costs are ``None`` once the run diverged.

    ``history`` is ``[(iteration, cost, train accuracy, test accuracy), ...]`` at iterations
    0, every, 2·every, ... (before that iteration's update, as the course prints the cost) and at
    ``iterations`` (after the last update), up to divergence. ``iters_to_target`` is the first of
    those iterations whose test accuracy reached ``target``. ``wall_time`` is the batch's seconds
    divided by its ``batch_size``.
    """

    spec: RunSpec
    final_cost: float | None
    best_cost: float | None
    test_cost: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    diverged_at: int | None
    target: float
    iters_to_target: int | None
    history: list[tuple[int, float | None, float | None, float | None]]
    wall_time: float
    batch_size: int
    engine: str
    initlab_version: str = __version__

    @property
    def key(self) -> str:
        return self.spec.key

    def row(self) -> dict[str, Any]:
        """One row of the results table: the spec's columns, then the measurements."""
        return {
            "key": self.key,
            **self.spec.columns(),
            "final_cost": self.final_cost,
            "best_cost": self.best_cost,
            "test_cost": self.test_cost,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "diverged_at": self.diverged_at,
            "target": self.target,
            "iters_to_target": self.iters_to_target,
            "wall_time": self.wall_time,
            "batch_size": self.batch_size,
            "engine": self.engine,
            "initlab_version": self.initlab_version,
        }


def run_batch(
    batch: Batch,
    engine_name: str = "auto",
    target: float = D.TARGET,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """Train every run of ``batch`` as one K-model engine pass and measure each
    (:func:`train_and_measure`); one :class:`RunResult` per run, in order."""
    started = time.perf_counter()
    first = batch.runs[0]
    dataset = load_dataset(first.dataset)
    network = Network(
        first.layers,
        first.activation,
        first.output,
        first.blocks,
        first.parametrization,
        first.base_width,
    )
    X = dataset.X_train.T
    initial = initial_batch(network, [(initializers.get(r.init), r.seed) for r in batch.runs], X)
    lr = np.array([r.lr for r in batch.runs], dtype=float)
    m = train_and_measure(
        network, dataset, initial, lr, first.iterations, first.every, engine_name, progress
    )
    K = len(batch.runs)
    wall = (time.perf_counter() - started) / K
    results = []
    for k, run in enumerate(batch.runs):
        diverged = m.diverged_at[k] >= 0
        finite = np.isfinite(m.costs[k])
        finite_test = bool(np.isfinite(m.test_costs[k]))  # test logits may overflow alone
        reached = np.flatnonzero(np.nan_to_num(m.test_accuracy[k], nan=-1.0) >= target)
        results.append(
            RunResult(
                spec=run,
                final_cost=None if diverged else float(m.costs[k, -1]),
                best_cost=float(np.min(m.costs[k, finite])) if finite.any() else None,
                test_cost=None if diverged or not finite_test else float(m.test_costs[k]),
                train_accuracy=None if diverged else float(m.train_accuracy[k, -1]),
                test_accuracy=None if diverged else float(m.test_accuracy[k, -1]),
                diverged_at=int(m.diverged_at[k]) if diverged else None,
                target=float(target),
                iters_to_target=int(m.points[reached[0]]) if reached.size else None,
                history=[
                    (
                        p,
                        float(m.costs[k, j]),
                        float(m.train_accuracy[k, j]),
                        float(m.test_accuracy[k, j]),
                    )
                    for j, p in enumerate(m.points)
                    if finite[j]
                ],
                wall_time=wall,
                batch_size=K,
                engine=m.engine,
            )
        )
    return results
