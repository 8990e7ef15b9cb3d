"""Full-batch gradient descent for K models of one shape, in one pass per iteration.

Dispatch only. Two engines run the same loop with the same arguments: ``"numpy"``, the readable
reference (one NumPy pass per iteration over all K models, :func:`initlab.engine.reference.train`),
and ``"fast"``, the compiled kernel (the whole loop in one numba call, parallel over the models,
:func:`initlab.engine.fast.train`), equal to the reference to rounding. ``"auto"`` picks fast when
numba is there and the kernel covers the network, unless the kernel is not compiled yet and numpy
would finish the job sooner than the compile (:mod:`initlab.engine.auto`; the note says so). When
fast runs the first time in a process, the kernel the network needs (the course-size, wide or
residual one: :func:`initlab.engine.kernel_cache.kernel_for`) is loaded, or compiled with a word
before and after (:func:`initlab.engine.kernel_cache.ensure_compiled`). A small ReLU network with a
sigmoid output runs instead on a kernel generated for its shape (:mod:`initlab.engine.fused`, the
same bits) when that kernel is ready or the job is long enough to compile it
(:func:`initlab.engine.fused.chosen`). When fast is asked for
but cannot run, numpy runs and :attr:`History.note` says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from initlab.engine import auto, fused, kernel_cache, reference
from initlab.engine.inputs import DTYPES, Progress, check_shapes
from initlab.engine.params import n_models
from initlab.errors import InitlabError, unknown_choice

if TYPE_CHECKING:
    from initlab.engine.history import History
    from initlab.engine.params import Params
    from initlab.nn.network import Network

ENGINES = ("numpy", "fast", "auto")


def check_engine(engine: str) -> str:
    """``engine`` if it is one of :data:`ENGINES`, else an :class:`InitlabError` naming them."""
    if not isinstance(engine, str) or engine not in ENGINES:
        raise unknown_choice("engine", str(engine), ENGINES)
    return engine


def check_dtype(dtype: object) -> str:
    """``"float64"`` or ``"float32"`` (also given as a numpy dtype), else an error naming them."""
    try:
        name = np.dtype(dtype).name  # type: ignore[call-overload]
    except TypeError:
        name = str(dtype)
    if name not in DTYPES:
        raise InitlabError(f"dtype must be one of {', '.join(DTYPES)}; got {dtype!r}")
    return name


def fast_unavailable(network: Network, dtype: str = "float64") -> str | None:
    """Why the fast engine cannot train ``network`` in ``dtype`` (numba missing, or no kernel for
    an activation or output), or ``None`` when it can."""
    try:
        from initlab.engine import fast, fast_residual
    except ImportError as error:  # numba is a dependency; a broken install still trains
        return f"the fast engine needs numba ({error})"
    return (fast_residual if network.blocks else fast).unsupported(network, dtype)


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
    run, note = reference.train, ""
    # shapes first: nothing is chosen, compiled or trained for an input no engine can take
    X, Y = check_shapes(network, params, X, Y)
    kernel = kernel_cache.kernel_for(network)
    samples, models = X.shape[1], n_models(params)
    # the numpy engine asks nothing of the compiled ones
    generated = engine != "numpy" and fused.chosen(network, dtype, samples, models, iterations)
    if engine == "auto" and not generated:
        engine, note = auto.choose(network.sizes, samples, models, iterations, dtype, kernel)
    elif engine == "auto":  # its kernel is ready, or the job is long enough to compile it
        engine = "fast"
    if engine == "fast":
        reason = fast_unavailable(network, dtype)
        if reason is None and generated:
            run = fused.train
        elif reason is None:
            from initlab.engine import fast_residual, fast_wide

            kernel_cache.ensure_compiled(dtype, kernel)
            # fast_wide.train runs fast.train itself when the network has no wide layer
            run = fast_residual.train if network.blocks else fast_wide.train
        else:
            note = f"{reason}; ran the numpy engine instead"
    history = run(network, params, X, Y, lr, iterations, every, progress, dtype)
    history.note = note
    return history
