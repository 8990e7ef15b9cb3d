"""The one measuring loop: train K models in segments, freeze those that diverge, measure at each
stop.

:func:`initlab.engine.train` is deterministic, so training up to a stop and then on from the
parameters reached is bit for bit one uninterrupted call; stopping lets a caller measure the
models on the way (:func:`initlab.diagnose` its per-layer statistics at each checkpoint, a sweep its
train and test accuracy every ``every`` iterations, :func:`initlab.compare` nothing until the end).

Divergence across segments: within one engine call a model whose cost stops being finite is frozen
(parameters zeroed, learning rate 0) and its later costs are NaN. A later call does not know it
diverged, and a zeroed network has the finite cost ln 2, so here the model keeps learning rate 0
in every later segment and its costs from its divergence on are NaN in the merged record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from initlab.engine import auto, kernel_cache, reference
from initlab.engine.history import History, empty_records
from initlab.engine.params import Params, n_models
from initlab.engine.train import train

if TYPE_CHECKING:
    from initlab.nn.network import Network

Progress = Callable[[int], None]
AtStop = Callable[[int, Params, np.ndarray], None]


def train_segments(
    network: Network,
    initial: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    stops: Sequence[int],
    every: int,
    *,
    engine: str = "numpy",
    dtype: str = "float64",
    progress: Progress | None = None,
    at_stop: AtStop | None = None,
    record_all: bool = False,
) -> History:
    """Train the K models of ``initial`` on ``X`` ``(n_in, m)``, ``Y`` ``(n_out, m)``, stopping at
    each of ``stops`` (increasing, > 0; the last is the number of iterations).

    ``at_stop(iteration, params, diverged_at)`` is called at iteration 0 with ``initial`` and at
    every stop with the parameters reached; ``diverged_at`` ``(K,)`` is −1 for the models still
    training. ``progress(i)`` is called with the iterations finished, counted from 0 over all
    segments. Returns one :class:`~initlab.engine.History` in global iterations: the cost at every
    multiple of ``every`` below the last stop (before that iteration's update), NaN from a model's
    divergence on; ``diverged_at``; the final costs and parameters; the engine, dtype and note of
    the last segment.

    A segment that starts at a multiple of ``every`` records the cost every ``every`` iterations,
    as one engine call would; one that does not (and every segment with ``record_all``) records it
    every iteration and keeps the multiples of ``every``. Recording a cost also checks it is finite,
    so ``record_all`` watches every iteration's cost for divergence, not only the logits.
    """
    K = n_models(initial)
    total = stops[-1] if len(stops) else 0
    recorded, costs, diverged_at = empty_records(K, total, every)
    lr_k = np.broadcast_to(np.asarray(lr, dtype=float), (K,)).copy()
    params, start, history = initial, 0, None
    auto_note = ""
    if engine == "auto":  # one engine for the whole job, chosen for its whole length
        kernel = kernel_cache.kernel_for(network)
        engine, auto_note = auto.choose(network.sizes, int(X.shape[1]), K, total, dtype, kernel)
    if at_stop is not None:
        at_stop(0, params, diverged_at)
    for stop in stops:
        record = every if start % every == 0 and not record_all else 1
        history = train(
            network,
            params,
            X,
            Y,
            np.where(diverged_at >= 0, 0.0, lr_k),  # a diverged model stays frozen
            stop - start,
            record,
            _offset(progress, start),
            engine=engine,
            dtype=dtype,
        )
        keep = (start + history.iterations) % every == 0
        costs[:, (start + history.iterations[keep]) // every] = history.costs[:, keep]
        newly = (history.diverged_at >= 0) & (diverged_at < 0)
        diverged_at[newly] = start + history.diverged_at[newly]
        params, start = history.params, stop
        if at_stop is not None:
            at_stop(stop, params, diverged_at)
    merged = _merged(network, initial, X, Y, history, recorded, costs, diverged_at, dtype)
    merged.note = merged.note or auto_note
    return merged


def _merged(
    network: Network,
    initial: Params,
    X: np.ndarray,
    Y: np.ndarray,
    last: History | None,
    recorded: np.ndarray,
    costs: np.ndarray,
    diverged_at: np.ndarray,
    dtype: str,
) -> History:
    """The segments as one :class:`History`: costs NaN from each model's divergence on."""
    if last is None:  # nothing to train: the initial parameters are the final ones
        with np.errstate(over="ignore", invalid="ignore"):
            final = np.asarray(reference.cost(network, initial, X, Y), dtype=float)
        last = History(recorded, costs, final, diverged_at, initial, dtype=dtype)
    final = last.final_costs.astype(float)
    for k in np.flatnonzero(diverged_at >= 0):
        costs[k, recorded >= diverged_at[k]] = np.nan
        final[k] = np.nan
    return History(
        recorded,
        costs,
        final,
        diverged_at,
        last.params,
        engine=last.engine,
        dtype=last.dtype,
        note=last.note,
    )


def _offset(progress: Progress | None, done: int) -> Progress | None:
    """``progress`` counting from ``done`` (an engine call reports the iterations it finished)."""
    if progress is None:
        return None
    return lambda i: progress(done + i)
