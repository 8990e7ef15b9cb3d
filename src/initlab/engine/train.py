"""Full-batch gradient descent for K models of one shape, in one pass per iteration.

Two engines run the same loop: ``"numpy"``, the readable reference below (one NumPy pass per
iteration over all K models, :mod:`initlab.engine.reference`), and ``"fast"``, the compiled kernel
of :mod:`initlab.engine.fast` (the whole loop in one numba call, parallel over the models), equal to
the reference to rounding. ``"auto"`` picks fast when numba is there and the kernel covers the
network. When fast is asked for but cannot run, numpy runs and :attr:`History.note` says why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from initlab.engine import reference
from initlab.engine.history import History, empty_records
from initlab.engine.params import Params, n_models
from initlab.errors import InitlabError, unknown_choice
from initlab.nn.network import Network

Progress = Callable[[int], None]

ENGINES = ("numpy", "fast", "auto")
DTYPES = ("float64", "float32")


def check_engine(engine: str) -> str:
    """``engine`` if it is one of :data:`ENGINES`, else an :class:`InitlabError` naming them."""
    if not isinstance(engine, str) or engine not in ENGINES:
        raise unknown_choice("engine", str(engine), ENGINES)
    return engine


def check_dtype(dtype: object) -> str:
    """``"float64"`` or ``"float32"`` (also given as a numpy dtype), else an error naming them."""
    try:
        name = np.dtype(dtype).name  # type: ignore[arg-type]
    except TypeError:
        name = str(dtype)
    if name not in DTYPES:
        raise InitlabError(f"dtype must be one of {', '.join(DTYPES)}; got {dtype!r}")
    return name


def fast_unavailable(network: Network, dtype: str = "float64") -> str | None:
    """Why the fast engine cannot train ``network`` in ``dtype`` (numba missing, or no kernel for
    an activation or output), or ``None`` when it can."""
    try:
        from initlab.engine import fast
    except ImportError as error:  # numba is a dependency; a broken install still trains
        return f"the fast engine needs numba ({error})"
    return fast.unsupported(network, dtype)


def train(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int = 1000,
    progress: Progress | None = None,
    *,
    engine: str = "numpy",
    dtype: str = "float64",
) -> History:
    """Train the K models in ``params`` (not modified) on ``X`` ``(n_in, m)``, ``Y`` ``(n_out, m)``.

    ``lr`` is one learning rate or one per model. Each iteration: forward, record the cost when
    ``i % every == 0``, backward, step — the course's loop. A model whose logits stop being finite
    is marked diverged at that iteration and frozen (its parameters zeroed, so nothing non-finite
    spreads); the others train on. ``progress(i)`` is called with the number of finished iterations.

    ``engine`` is ``"numpy"`` (the reference, the default here), ``"fast"`` or ``"auto"``;
    :attr:`History.engine` says which ran and :attr:`History.note` why, when fast was asked for and
    numpy ran. ``dtype`` is ``"float64"`` (default) or ``"float32"``: parameters, data and all the
    arithmetic in that type (costs are returned as float64).
    """
    engine = check_engine(engine)
    dtype = check_dtype(dtype)
    note = ""
    if engine in ("fast", "auto"):
        reason = fast_unavailable(network, dtype)
        if reason is None:
            from initlab.engine import fast

            return fast.train(network, params, X, Y, lr, iterations, every, progress, dtype)
        note = f"{reason}; ran the numpy engine instead"
    history = _train_numpy(network, params, X, Y, lr, iterations, every, progress, dtype)
    history.note = note
    return history


def _train_numpy(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int,
    progress: Progress | None,
    dtype: str,
) -> History:
    """The reference loop, one NumPy pass over all K models per iteration."""
    K = n_models(params)
    output = network.output_layer()
    dt = np.dtype(dtype)
    X, Y = np.asarray(X, dtype=dt), np.asarray(Y, dtype=dt)
    lr_k = np.broadcast_to(np.asarray(lr, dtype=dt), (K,)).reshape(K, 1, 1).copy()
    recorded, costs, diverged_at = empty_records(K, iterations, every)
    params = [(W.astype(dt, order="C"), b.astype(dt, order="C")) for W, b in params]  # copies
    report_every = max(1, min(every, iterations // 100 or 1))

    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(iterations):
            cache = reference.forward(network, params, X)
            bad = ~np.isfinite(cache.logits).all(axis=(-2, -1))
            if i % every == 0:
                column = costs[:, i // every]
                column[:] = output.cost(cache.logits, Y)
                bad |= ~np.isfinite(column)
            newly = bad & (diverged_at < 0)
            if newly.any():
                _freeze(params, newly, diverged_at, lr_k, i)
                cache = reference.forward(network, params, X)
            if i % every == 0:
                column[diverged_at >= 0] = np.nan
            grads = reference.backward(network, params, cache, output.grad(cache.logits, Y))
            params = reference.step(params, grads, lr_k)
            if progress is not None and (i + 1) % report_every == 0:
                progress(i + 1)
        final = reference.cost(network, params, X, Y)
        newly = ~np.isfinite(final) & (diverged_at < 0)
        if newly.any():
            _freeze(params, newly, diverged_at, lr_k, iterations)
    final = final.astype(float)
    final[diverged_at >= 0] = np.nan
    return History(recorded, costs, final, diverged_at, params, engine="numpy", dtype=dt.name)


def _freeze(
    params: Params, newly: np.ndarray, diverged_at: np.ndarray, lr_k: np.ndarray, i: int
) -> None:
    """Mark models ``newly`` diverged at iteration ``i``; zero their parameters and their lr."""
    diverged_at[newly] = i
    dead = diverged_at >= 0
    lr_k[dead] = 0.0
    for W, b in params:
        W[dead] = 0.0
        b[dead] = 0.0
