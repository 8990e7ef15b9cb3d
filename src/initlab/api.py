"""The public Python API: :func:`compare`.

Arrays follow scikit-learn's convention (``X`` of shape ``(n_samples, n_features)``); the engine's
features × samples layout stays inside.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from initlab import data, engine, initializers
from initlab import engine as _engine
from initlab.analysis.diagnosis import diagnose as one_line_diagnosis
from initlab.analysis.diagnosis import facts_from_stats
from initlab.analysis.layer_stats import layer_stats
from initlab.checks import integer_at_least, positive_number
from initlab.comparison import Comparison
from initlab.data.dataset import Dataset
from initlab.diagnostics import (
    DEFAULT_DEPTH,
    DEFAULT_INITS,
    DEFAULT_WIDTH,
    Diagnostics,
    default_checkpoints,
    measure,
    predict,
)
from initlab.engine import reference
from initlab.engine.train import check_dtype as dtype_check
from initlab.engine.train import check_engine as engine_check
from initlab.errors import InitlabError
from initlab.nn import activations, outputs
from initlab.nn.network import Network, check_layers, parse_layers
from initlab.nn.outputs import decide, targets
from initlab.phase import PhaseDiagram, compute
from initlab.runs.run import Run
from initlab.specs import split_spec_list

COURSE_INITS = ("zeros", "random", "he")
COURSE_LAYERS = (2, 10, 5, 1)
DEFAULT_LAYERS = ("auto", 10, 5, "auto")  # the course's 2-10-5-1 on circles; fits any dataset

InitSpec = str | initializers.Initializer | Callable[..., np.ndarray]


def _initializers(inits: str | Sequence[InitSpec]) -> list[initializers.Initializer]:
    specs = split_spec_list(inits) if isinstance(inits, str) else list(inits)
    if not specs:
        raise InitlabError(
            f"give at least one initializer; valid: {', '.join(initializers.names())}"
        )
    return [initializers.get(spec) for spec in specs]


def _network(
    layers: str | Sequence[int | str],
    dataset: Dataset,
    activation: str | Sequence[str] = "relu",
    output: str = "auto",
) -> Network:
    """The network for ``dataset``: ``auto`` first/last sizes become the number of features and
    the output units the labels need (1 for sigmoid, one per class for softmax)."""
    layers = parse_layers(layers) if isinstance(layers, str) else check_layers(layers)
    out = outputs.for_classes(dataset.n_classes, output)
    units = out.units(dataset.n_classes)
    sizes = (
        dataset.n_features if layers[0] == "auto" else layers[0],
        *layers[1:-1],
        units if layers[-1] == "auto" else layers[-1],
    )
    if sizes[0] != dataset.n_features:
        raise InitlabError(
            f"the layer list starts with {sizes[0]} inputs but dataset {dataset.spec!r} has "
            f"{dataset.n_features} features; the first size must be {dataset.n_features} (or auto)"
        )
    if sizes[-1] != units:
        raise InitlabError(
            f"the {out.name} output for {dataset.n_classes} classes needs {units} output "
            f"unit{'s' if units > 1 else ''}; the layer list ends with {sizes[-1]}: make the last "
            f"size {units} (or auto)"
        )
    return Network(tuple(sizes), activation, out.name)


def compare(
    inits: str | Sequence[InitSpec] = COURSE_INITS,
    layers: str | Sequence[int | str] = DEFAULT_LAYERS,
    *,
    dataset: str | Dataset = "circles",
    activation: str | Sequence[str] = "relu",
    output: str = "auto",
    lr: float = 0.01,
    iterations: int = 15000,
    every: int = 1000,
    seed: int = 3,
    progress: Callable[[int], None] | None = None,
    seeds: str | Sequence[int] | None = None,
    seeds_progress: Callable[[int], None] | None = None,
    engine: str = "auto",
    dtype: str = "float64",
) -> Comparison:
    """Train one network per initializer on the same data and compare them.

    The defaults are the course's experiment: a 2-10-5-1 ReLU/sigmoid network on the course's
    circles, learning rate 0.01, 15,000 iterations, the cost recorded every 1,000, and each
    initializer drawing from ``RandomState(seed)`` with seed 3. All runs train together, as one
    batch of K models.

    ``layers`` may start and end with ``"auto"`` (the data's number of features; the output
    units its labels need), also as text ``"auto,32,32,auto"``. ``activation`` is one spec for
    every hidden layer or one per hidden layer (``"relu,tanh"`` or a list). ``output`` is
    ``"auto"`` (sigmoid for 2 classes, softmax for more), ``"sigmoid"`` or ``"softmax"``.
    ``dataset`` is a spec such as
    ``"moons:noise=0.2"``, ``"csv:my.csv,label=species"`` or a :class:`~initlab.data.Dataset`.

    ``seeds`` (``"0-49"`` or a list) also trains every initializer once per seed, all else equal,
    and attaches the statistics over them as ``result.over_seeds`` (a
    :class:`~initlab.summary.Summary`; an "Over N seeds" section of the report);
    ``seeds_progress(n)`` is called with each increment of their model-iterations.

    ``engine`` is ``"auto"`` (the compiled engine when it covers the network, else numpy),
    ``"fast"`` or ``"numpy"``; ``dtype`` ``"float64"`` or ``"float32"``. ``result.engine`` says
    which ran and ``result.engine_note`` why, when it is not the one asked for.

    >>> result = compare(["zeros", "he"], iterations=100)   # doctest: +SKIP
    >>> result.run("he").train_accuracy                      # doctest: +SKIP
    """
    lr = positive_number("lr", lr)
    iterations = integer_at_least("iterations", iterations, 1)
    every = integer_at_least("every", every, 1)
    seed = integer_at_least("seed", seed, 0)
    engine_name = engine_check(engine)
    dtype = dtype_check(dtype)
    inits_ = _initializers(inits)
    dataset_ = data.load(dataset)
    network = _network(layers, dataset_, activation, output)

    forward = reference.layer_forward(network, dataset_.X_train.T)  # for data-dependent inits
    models = [
        initializers.init_network(network.sizes, ini, np.random.RandomState(seed), forward=forward)
        for ini in inits_
    ]
    initial = _engine.stack(models)  # the module: ``engine`` is the argument here
    X = dataset_.X_train.T
    Y = targets(dataset_.y_train, network.output_layer(), dataset_.n_classes)
    history = _engine.train(
        network, initial, X, Y, lr, iterations, every, progress, engine=engine_name, dtype=dtype
    )
    runs = _evaluate(network, dataset_, inits_, seed, initial, history, iterations=iterations)
    result = Comparison(
        dataset_,
        network,
        lr,
        iterations,
        every,
        seed,
        runs,
        history.engine,
        dtype=history.dtype,
        engine_note=history.note,
    )
    if seeds is not None:
        result.over_seeds = _over_seeds(
            inits_, network, dataset_, lr, iterations, every, seeds, seeds_progress, engine_name
        )
    return result


def _over_seeds(
    inits: list[initializers.Initializer],
    network: Network,
    dataset: Dataset,
    lr: float,
    iterations: int,
    every: int,
    seeds: str | Sequence[int],
    progress: Callable[[int], None] | None,
    engine_name: str = "auto",
):
    """Every initializer once per seed, as one batch (float64, on ``engine_name``); their
    statistics by initializer."""
    import pandas as pd

    from initlab.analysis import statistics
    from initlab.runs import sweep as sweeps
    from initlab.summary import Summary

    seeds_ = sweeps.parse_seeds(seeds)
    if not seeds_:
        raise InitlabError(f"--seeds gives no seeds; write e.g. 0-49; got {seeds!r}")
    pairs = [(ini, s) for ini in inits for s in seeds_]
    X = dataset.X_train.T
    initial = engine.stack(
        [sweeps.initial_params(network, ini, np.random.RandomState(s), X) for ini, s in pairs]
    )
    m = sweeps.train_and_measure(
        network,
        dataset,
        initial,
        np.full(len(pairs), lr),
        iterations,
        every,
        engine_name,
        progress,
    )
    target = statistics.DEFAULT_TARGET
    reached = np.nan_to_num(m.test_accuracy, nan=-1.0) >= target
    runs = pd.DataFrame(
        {
            "init": [ini.spec for ini, _ in pairs],
            "seed": [s for _, s in pairs],
            "train_accuracy": m.train_accuracy[:, -1],
            "test_accuracy": m.test_accuracy[:, -1],
            "final_cost": m.costs[:, -1],
            "diverged_at": pd.array(
                [int(d) if d >= 0 else None for d in m.diverged_at], dtype="Int64"
            ),
            "iters_to_target": pd.array(
                [m.points[int(np.argmax(r))] if r.any() else None for r in reached], dtype="Int64"
            ),
        }
    )
    table = statistics.summary_table(runs, ["init"], target=target)
    tests = statistics.wilcoxon_pairs(runs, ["init"], "test_accuracy")
    return Summary(
        table,
        tests,
        ["init"],
        target,
        0.95,
        "test_accuracy",
        "test_accuracy",
        None,
        len(runs),
        f"{len(seeds_)} seeds",
    )


def _evaluate(
    network: Network,
    dataset: Dataset,
    inits: list[initializers.Initializer],
    seed: int,
    initial: engine.Params,
    history: engine.History,
    *,
    iterations: int = 0,
) -> list[Run]:
    """One :class:`Run` per model: accuracies, costs, per-layer statistics at init and at the end
    (:mod:`initlab.analysis.layer_stats`) with the theory's prediction, and the diagnosis derived
    from them."""
    output = network.output_layer()
    X_test, Y_test = dataset.X_test.T, targets(dataset.y_test, output, dataset.n_classes)
    X, Y = dataset.X_train.T, targets(dataset.y_train, output, dataset.n_classes)
    at_init = layer_stats(network, initial, X, Y, iteration=0)
    at_end = layer_stats(network, history.params, X, Y, iteration=iterations)
    with np.errstate(over="ignore", invalid="ignore"):
        train_labels = decide(reference.predict_proba(network, history.params, dataset.X_train.T))
        test_logits = reference.forward(network, history.params, X_test).logits
    test_labels = decide(output.predict(test_logits))
    test_costs = output.cost(test_logits, Y_test)
    runs = []
    for k, ini in enumerate(inits):
        diverged = history.diverged(k)
        final_params = engine.unstack(history.params, k)
        facts = facts_from_stats(
            at_init,
            at_end,
            k,
            diverged_at=int(history.diverged_at[k]) if diverged else None,
            initial_cost=float(history.costs[k, 0]),
            final_cost=None if diverged else float(history.final_costs[k]),
            train_accuracy=None if diverged else float(np.mean(train_labels[k] == dataset.y_train)),
        )
        distinct = list(facts.distinct_units)
        try:
            theory_ = predict(ini, network, at_init, k).to_dict()
            theory_note = None
        except InitlabError as error:
            theory_, theory_note = None, str(error)
        runs.append(
            Run(
                init=ini.spec,
                seed=seed,
                costs=history.cost_pairs(k),
                final_cost=facts.final_cost,
                test_cost=None if diverged else float(test_costs[k]),
                train_accuracy=facts.train_accuracy,
                test_accuracy=None
                if diverged
                else float(np.mean(test_labels[k] == dataset.y_test)),
                diverged_at=facts.diverged_at,
                diagnosis=one_line_diagnosis(facts),
                initial_params=engine.unstack(initial, k),
                final_params=final_params,
                facts={
                    "hidden_sizes": list(network.hidden),
                    "distinct_units": distinct,
                    "initial_saturated_share": facts.saturated_share,
                    "layers": {
                        "init": at_init.model(k),
                        "end": None if diverged else at_end.model(k),
                    },
                    "theory": theory_,
                    "theory_note": theory_note,
                    **_per_class(dataset, train_labels[k], test_labels[k], diverged),
                },
            )
        )
    return runs


def _per_class(
    dataset: Dataset, train_labels: np.ndarray, test_labels: np.ndarray, diverged: bool
) -> dict[str, dict[str, float | None]]:
    """For 3 or more classes: ``{"train_per_class_accuracy": {class: accuracy}, "test_…": …}``,
    the share of each class's samples predicted as that class (``None`` if diverged or absent)."""
    if dataset.n_classes <= 2:
        return {}
    out = {}
    for part, y, predicted in (
        ("train", dataset.y_train, train_labels),
        ("test", dataset.y_test, test_labels),
    ):
        out[f"{part}_per_class_accuracy"] = {
            dataset.class_name(int(c)): (
                None if diverged or not np.any(y == c) else float(np.mean(predicted[y == c] == c))
            )
            for c in dataset.classes
        }
    return out


# -- sweeps: many runs, a results store, statistics ----------------------------------------------


def sweep(
    inits: str | Sequence[str] = COURSE_INITS,
    seeds: str | int | Sequence[int] = "0-9",
    *,
    layers: str | Sequence | None = None,
    depth: int | Sequence[int] | None = None,
    width: int | Sequence[int] | None = None,
    activation: str | Sequence[str] = "relu",
    lr: float | Sequence[float] = 0.01,
    dataset: str | Sequence[str] = "circles",
    iterations: int | Sequence[int] = 15000,
    every: int = 1000,
    store: str = "results.db",
    backend: str = "local",
    scheduler: object = None,
    timeout: float = 10.0,
    batch_size: int = 64,
    target: float = 0.9,
    engine: str = "auto",
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
):
    """Train every run of a grid not yet in ``store`` and add it there; returns what was done.

    The grid is the product of ``inits`` × ``seeds`` × networks × ``activation`` × ``lr`` ×
    ``dataset`` × ``iterations``; each axis takes one value, a list or comma-separated text
    (``seeds="0-31"``). Networks are the explicit ``layers`` lists plus ``(n_in, width × depth,
    n_out)`` for each ``depth`` and ``width``; by default the course's ``(n_in, 10, 5, n_out)``.
    Runs of one network, activation, dataset and iteration count train together, ``batch_size``
    at a time, on ``backend`` (``"local"``, or ``"dask"`` with ``scheduler="tcp://HOST:PORT"``; no
    scheduler starts a local cluster); each finished batch is written in one transaction. Rerun to
    resume: runs already stored are skipped. See ``docs/sweep.md``.

    >>> outcome = sweep(["zeros", "he"], "0-9", iterations=1000, store="s.db")  # doctest: +SKIP
    >>> load("s.db").groupby("init").test_accuracy.mean()                       # doctest: +SKIP
    """
    from initlab.runs import backends
    from initlab.runs import sweep as sweeps

    grid = sweeps.make_grid(
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
    )
    runner = backends.get(backend, scheduler=scheduler, timeout=timeout, engine=engine)
    return sweeps.execute(
        grid,
        store,
        runner,
        batch_size=batch_size,
        target=target,
        progress=progress,
        on_start=on_start,
    )


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


def summarize(
    store,
    by: str | Sequence[str] = "init",
    *,
    target: float = 0.9,
    metric: str = "test_accuracy",
    x: str | None = None,
    confidence: float = 0.95,
    n_resamples: int = 10_000,
    seed: int = 0,
):
    """Statistics of a sweep's runs grouped by ``by`` (e.g. ``"init,depth"``): a
    :class:`~initlab.summary.Summary` with the table (mean, sd, median and bootstrap CI of test
    accuracy and final cost; success rate ≥ ``target`` with its Wilson interval; median
    iterations to ``target``), Wilcoxon signed-rank tests between initializers over matched
    runs, and a figure of ``metric`` against ``x`` (default: the first other swept column of
    ``by``). ``store`` is a store path or a DataFrame from :func:`load`; the bootstrap draws from
    ``default_rng(seed)``.
    """
    import pandas as pd

    from initlab.analysis import statistics
    from initlab.summary import Summary
    from initlab.viz.sweep import METRICS

    if metric not in METRICS:
        raise InitlabError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    if not isinstance(target, (int, float)) or not 0 <= target <= 1:
        raise InitlabError(f"target must be an accuracy between 0 and 1; got {target!r}")
    confidence = float(confidence)
    n_resamples = integer_at_least("n_resamples", n_resamples, 1)
    if isinstance(store, pd.DataFrame):
        runs, source = store, "a DataFrame"
    else:
        from initlab.runs.store import open_store

        opened = open_store(store)
        try:
            runs = opened.runs()
            reached = opened.iters_to_target(target)
        finally:
            opened.close()
        runs["iters_to_target"] = pd.array([reached.get(k) for k in runs["key"]], dtype="Int64")
        source = str(store)
    columns = [c for c in statistics.AXES if c in runs.columns]
    by_ = statistics.check_by(by, columns)
    if runs.empty:
        raise InitlabError(f"{source} holds no runs yet; run `initlab sweep` first")
    if x is None:
        others = [c for c in by_ if c not in ("init", "init_name")]
        varied = [c for c in others if runs[c].nunique(dropna=False) > 1]
        x = (varied or others or [None])[0]
    elif x not in by_:
        raise InitlabError(f"the figure's x axis {x!r} must be one of --by ({', '.join(by_)})")
    table = statistics.summary_table(
        runs, by_, target=target, confidence=confidence, n_resamples=n_resamples, seed=seed
    )
    pair_metric = "test_accuracy" if metric == "success" else metric
    pairs = statistics.wilcoxon_pairs(runs, by_, pair_metric)
    return Summary(
        table, pairs, by_, float(target), confidence, metric, pair_metric, x, len(runs), source
    )


def export(store: str, out, table: str = "runs"):
    """Write a store's ``runs`` (or ``history``) table to ``out``: ``.csv`` or ``.parquet``
    (needs pyarrow: ``pip install 'initlab[parquet]'``). Returns the path written."""
    import io
    from pathlib import Path

    from initlab.viz.files import write_file

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InitlabError(f"export writes .csv or .parquet files; got {str(out)!r}")
    frame = load(store, table)
    if suffix == ".csv":
        return write_file(out, frame.to_csv(index=False))
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InitlabError(
            "writing parquet needs pyarrow; install it with pip install 'initlab[parquet]' or "
            "export to .csv"
        ) from None
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return write_file(out, buffer.getvalue())


def diagnose(
    inits: str | Sequence[InitSpec] = DEFAULT_INITS,
    layers: str | Sequence[int | str] | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    width: int = DEFAULT_WIDTH,
    dataset: str | Dataset = "circles",
    activation: str | Sequence[str] = "relu",
    output: str = "auto",
    lr: float = 0.01,
    iterations: int = 1000,
    checkpoints: Sequence[int] | None = None,
    every: int = 10,
    seed: int = 3,
    engine: str = "auto",
    progress: Callable[[int], None] | None = None,
) -> Diagnostics:
    """Look inside: per-layer statistics of one network under each initializer, at initialization
    and at checkpoints of training, beside the mean-field theory's prediction.

    The default is the seed's story layer by layer: ``depth`` = 20 hidden layers of ``width`` = 64
    ReLU units on the course's circles, initialized with zeros, large random, LeCun normal and He
    (each from ``RandomState(seed)``), trained by full-batch gradient descent for ``iterations``
    and measured at ``checkpoints`` (default 0, 10, 100, ..., ``iterations``). ``layers`` (as in
    :func:`compare`) overrides ``depth`` and ``width``. ``engine`` as in :func:`compare`.

    >>> result = diagnose(["zeros", "he"], depth=5, iterations=10)   # doctest: +SKIP
    >>> result.table()                                                 # doctest: +SKIP
    """
    lr = positive_number("lr", lr)
    iterations = integer_at_least("iterations", iterations, 0)
    every = integer_at_least("every", every, 1)
    seed = integer_at_least("seed", seed, 0)
    engine_name = engine_check(engine)
    if layers is None:
        depth = integer_at_least("depth", depth, 1)
        width = integer_at_least("width", width, 1)
        layers = ("auto", *([width] * depth), "auto")
    points = _checkpoints(checkpoints, iterations)
    inits_ = _initializers(inits)
    dataset_ = data.load(dataset)
    network = _network(layers, dataset_, activation, output)
    forward = reference.layer_forward(network, dataset_.X_train.T)
    initial = _engine.stack(
        [
            initializers.init_network(
                network.sizes, ini, np.random.RandomState(seed), forward=forward
            )
            for ini in inits_
        ]
    )
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
        progress=progress,
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


THEORY_INITS = ("zeros", "lecun_normal", "glorot_normal", "he", "torch_linear", "random")


def phase_diagram(
    activation: str = "tanh",
    inits: str | Sequence[InitSpec] = THEORY_INITS,
    *,
    width: int = 64,
    sigma_w2_max: float | None = None,
    sigma_b2_max: float = 0.5,
) -> PhaseDiagram:
    """The order-to-chaos phase diagram of ``activation`` (mean-field theory): χ(q*) over the
    (σ_w², σ_b²) plane, the critical line χ(q*) = 1, and where each of ``inits`` puts a hidden
    layer of ``width`` units. Initializers must be variance-based (the error names them).

    >>> phase_diagram("tanh", "lecun_normal,he").table()   # doctest: +SKIP
    """
    activation_ = activations.get(activation)
    width = integer_at_least("width", width, 1)
    if sigma_w2_max is not None:
        sigma_w2_max = positive_number("sigma_w2_max", sigma_w2_max)
    sigma_b2_max = positive_number("sigma_b2_max", sigma_b2_max)
    return compute(activation_, _initializers(inits), width, sigma_w2_max, sigma_b2_max)
