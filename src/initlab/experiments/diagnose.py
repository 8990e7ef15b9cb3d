""":func:`initlab.diagnose`: what every layer does, measured beside the theory.

:func:`measure` trains the K networks in segments — up to each checkpoint, then on from the
parameters reached (the engine is deterministic, so the segments are one run) — and takes the
per-layer statistics (:mod:`initlab.analysis.layer_stats`) at every checkpoint. For each
variance-based initializer it adds the mean-field prediction (:mod:`initlab.analysis.prediction`):
q_l of every layer run from each training sample's mean squared input, χ_l, and the gradient
norms ‖∂C/∂z_l‖ predicted from the measured output gradient at initialization.

Its result, :class:`~initlab.experiments.diagnostics.Diagnostics`, gives the numbers as a table
(``table()``, ``summary()``), JSON (``to_dict()``), figures (``figures()``) and the files of a
report (``files()``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from initlab import checks, data, initializers
from initlab.analysis.layer_stats import LayerStats, layer_stats
from initlab.analysis.prediction import InitTheory, predict
from initlab.checks import integer_at_least, positive_number
from initlab.data.dataset import Dataset
from initlab.engine import Params, reference
from initlab.engine.initial import initial_batch
from initlab.engine.train import check_engine as engine_check
from initlab.errors import InitlabError
from initlab.experiments.diagnostics import Diagnostics
from initlab.initializers.registry import Initializer
from initlab.nn.network import Network, network_for
from initlab.nn.outputs import decide, targets
from initlab.runs import defaults as D
from initlab.runs.progress import Choice, progress_bar
from initlab.runs.segments import train_segments

__all__ = ["Diagnostics", "InitTheory", "default_checkpoints", "diagnose", "measure", "predict"]

HISTOGRAM_VALUES = 6000  # activations kept per layer for the histograms (an even stride)


def default_checkpoints(iterations: int) -> list[int]:
    """0, then 10, 100, 1000, ... below ``iterations``, then ``iterations``.

    >>> default_checkpoints(500)
    [0, 10, 100, 500]
    """
    points = [0]
    step = 10
    while step < iterations:
        points.append(step)
        step *= 10
    return [*points, iterations] if iterations > 0 else points


def measure(
    network: Network,
    dataset: Dataset,
    inits: Sequence[Initializer],
    initial: Params,
    *,
    lr: float,
    iterations: int,
    checkpoints: Sequence[int],
    seed: int,
    every: int = 10,
    engine: str = "numpy",
    progress: Callable[[int], None] | None = None,
) -> Diagnostics:
    """Train the K models of ``initial`` in segments ending at each checkpoint
    (:func:`~initlab.runs.segments.train_segments`) and measure; ``engine`` is passed to
    :func:`initlab.engine.train` (``"numpy"``, ``"fast"`` or ``"auto"``)."""
    X = dataset.X_train.T
    Y = targets(dataset.y_train, network.output_layer(), dataset.n_classes)
    K = len(inits)
    alive = np.ones((len(checkpoints), K), dtype=bool)
    stats: list[LayerStats] = []

    def at_checkpoint(point: int, params: Params, diverged_at: np.ndarray) -> None:
        alive[len(stats)] = diverged_at < 0
        stats.append(layer_stats(network, params, X, Y, iteration=point))

    history = train_segments(
        network,
        initial,
        X,
        Y,
        float(lr),
        checkpoints[1:],
        every,
        engine=engine,
        progress=progress,
        at_stop=at_checkpoint,
        record_all=True,  # every iteration's cost is watched, those at multiples of every kept
    )
    params, diverged_at = history.params, history.diverged_at
    theories: list[InitTheory | None] = []
    notes: list[str] = []
    for k, ini in enumerate(inits):
        try:
            theories.append(predict(ini, network, stats[0], k))
            notes.append("")
        except InitlabError as error:
            theories.append(None)
            notes.append(str(error))
    with np.errstate(all="ignore"):
        train_labels = decide(reference.predict_proba(network, params, X))
        test_labels = decide(reference.predict_proba(network, params, dataset.X_test.T))
    ok = diverged_at < 0
    return Diagnostics(
        dataset=dataset,
        network=network,
        inits=[ini.spec for ini in inits],
        lr=float(lr),
        iterations=int(iterations),
        seed=int(seed),
        checkpoints=list(checkpoints),
        stats=stats,
        alive=alive,
        theories=theories,
        theory_notes=notes,
        costs=[history.cost_pairs(k) for k in range(K)],
        diverged_at=[int(d) if d >= 0 else None for d in diverged_at],
        train_accuracy=[
            float(np.mean(train_labels[k] == dataset.y_train)) if ok[k] else None for k in range(K)
        ],
        test_accuracy=[
            float(np.mean(test_labels[k] == dataset.y_test)) if ok[k] else None for k in range(K)
        ],
        histogram_values=histogram_values(network, initial, X),
        engine=history.engine,
    )


def histogram_values(network: Network, params: Params, X: np.ndarray) -> list[list[np.ndarray]]:
    """Each model's hidden activations on ``X`` (at most ``HISTOGRAM_VALUES`` per layer, an even
    stride through units and samples)."""
    with np.errstate(all="ignore"):
        cache = reference.forward(network, params, X)
    K = int(params[0][0].shape[0])
    out = []
    for k in range(K):
        layers = []
        for A in cache.A[1:]:
            flat = A[k].ravel()
            stride = max(1, math.ceil(flat.size / HISTOGRAM_VALUES))
            layers.append(flat[::stride].copy())
        out.append(layers)
    return out


def diagnose(
    inits: str | Sequence[initializers.InitSpec] = D.DIAGNOSE_INITS,
    layers: str | Sequence[int | str] | None = None,
    *,
    depth: int = D.DIAGNOSE_DEPTH,
    width: int = D.DIAGNOSE_WIDTH,
    dataset: str | Dataset = D.DATASET,
    activation: str | Sequence[str] = D.ACTIVATION,
    output: str = D.OUTPUT,
    lr: float = D.LR,
    iterations: int = D.DIAGNOSE_ITERATIONS,
    checkpoints: Sequence[int] | None = None,
    every: int = D.DIAGNOSE_EVERY,
    seed: int = D.SEED,
    engine: str = D.ENGINE,
    progress: Choice = True,
) -> Diagnostics:
    """Look inside: per-layer statistics of one network under each initializer, at initialization
    and at checkpoints of training, beside the mean-field theory's prediction.

    The default is the seed's story layer by layer: ``depth`` = 20 hidden layers of ``width`` = 64
    ReLU units on the course's circles, initialized with zeros, large random, LeCun normal and He
    (each from ``RandomState(seed)``), trained by full-batch gradient descent for ``iterations``
    and measured at ``checkpoints`` (default 0, 10, 100, ..., ``iterations``). ``layers`` (as in
    :func:`compare`) overrides ``depth`` and ``width``. ``engine`` and ``progress`` as in
    :func:`compare`.

    >>> result = diagnose(["zeros", "he"], depth=5, iterations=10)   # doctest: +SKIP
    >>> result.table()                                                 # doctest: +SKIP
    """
    lr = positive_number("lr", lr)
    iterations = D.capped(integer_at_least("iterations", iterations, 0))
    every = integer_at_least("every", every, 1)
    seed = checks.check("seed", seed, checks.SEED)
    engine_name = engine_check(engine)
    points = _checkpoints(checkpoints, iterations)
    inits_ = initializers.get_list(inits)
    dataset_ = data.load(dataset)
    n_samples = max(len(dataset_.X_train), len(dataset_.X_test))
    if layers is None:
        depth = integer_at_least("depth", depth, 1)
        width = integer_at_least("width", width, 1)
        # checked before the list of depth sizes exists: depth blocks of width → width
        memory, work = checks.training_budget([width, width], n_samples, len(inits_), iterations)
        checks.check_budget(
            f"diagnose: {len(inits_)} networks of {depth:,} hidden layers of {width:,} units on "
            f"{n_samples:,} samples for {iterations:,} iterations",
            memory=depth * memory,
            work=depth * work,
        )
        layers = ("auto", *([width] * depth), "auto")
    network = network_for(layers, dataset_, activation, output)
    checks.check_training("diagnose", network.sizes, n_samples, len(inits_), iterations)
    initial = initial_batch(network, [(ini, seed) for ini in inits_], dataset_.X_train.T)
    with progress_bar(progress, iterations, "training") as update:
        return measure(
            network,
            dataset_,
            inits_,
            initial,
            lr=lr,
            iterations=iterations,
            checkpoints=points,
            seed=seed,
            every=every,
            engine=engine_name,
            progress=update,
        )


def _checkpoints(checkpoints: Sequence[int] | None, iterations: int) -> list[int]:
    """Sorted checkpoints with 0 and ``iterations`` always among them."""
    if checkpoints is None:
        return default_checkpoints(iterations)
    points = set()
    for point in checkpoints:
        if (
            isinstance(point, bool)
            or not isinstance(point, (int, np.integer))
            or not (0 <= point <= iterations)
        ):
            raise InitlabError(
                f"checkpoints must be integers from 0 to iterations ({iterations}); got "
                f"{list(checkpoints)}"
            )
        points.add(int(point))
    return sorted(points | {0, iterations})
