"""The public Python API: :func:`compare`.

Arrays follow scikit-learn's convention (``X`` of shape ``(n_samples, n_features)``); the engine's
features × samples layout stays inside."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from initlab import checks, data, engine, initializers
from initlab.analysis.chance import chance
from initlab.analysis.layer_stats import layer_stats
from initlab.analysis.verdict import facts_from_stats, outcome, recent_fall, verdict
from initlab.checks import integer_at_least, positive_number
from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.engine.train import check_dtype as dtype_check
from initlab.engine.train import check_engine as engine_check
from initlab.errors import InitlabError
from initlab.experiments.comparison import Comparison
from initlab.experiments.diagnose import (
    predict,
)
from initlab.initializers import InitSpec
from initlab.nn.network import Network, network_for
from initlab.nn.outputs import decide, targets
from initlab.runs import defaults as D
from initlab.runs.progress import Choice, per_model, progress_bar
from initlab.runs.run import Run
from initlab.runs.segments import train_segments


def compare(
    inits: str | Sequence[InitSpec] = D.INITS,
    layers: str | Sequence[int | str] = D.LAYERS,
    *,
    dataset: str | Dataset = D.DATASET,
    activation: str | Sequence[str] = D.ACTIVATION,
    output: str = D.OUTPUT,
    lr: float = D.LR,
    iterations: int = D.ITERATIONS,
    every: int = D.EVERY,
    seed: int = D.SEED,
    progress: Choice = True,
    seeds: str | Sequence[int] | None = None,
    seeds_progress: Choice = None,
    engine: str = D.ENGINE,
    dtype: str = D.DTYPE,
    parametrization: str = D.PARAMETRIZATION,
    base_width: int | None = None,
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
    :class:`~initlab.experiments.summary.Summary`; an "Over N seeds" section of the report);
    ``seeds_progress(n)`` is called with each increment of their model-iterations.
    ``progress``: a bar in a notebook or terminal (``True``), none (``False``), or a function of
    the iterations done (:mod:`initlab.runs.progress`).

    ``engine`` is ``"auto"`` (the compiled engine when it covers the network, else numpy),
    ``"fast"`` or ``"numpy"``; ``dtype`` ``"float64"`` or ``"float32"``. ``result.engine`` says
    which ran and ``result.engine_note`` why, when it is not the one asked for. ``parametrization``:
    ``"sp"``, ``"ntk"`` or ``"mup"`` with ``base_width`` (:mod:`initlab.nn.parametrization`).

    >>> compare(["zeros", "he"], iterations=100).run("he").train_accuracy  # doctest: +SKIP
    """
    lr, iterations, every, seed = _check_settings(lr, iterations, every, seed)
    engine_name, dtype = engine_check(engine), dtype_check(dtype)
    inits_ = initializers.get_list(inits)
    dataset_ = data.load(dataset)
    network = network_for(layers, dataset_, activation, output, parametrization, base_width)
    seeds_ = _check_sizes(seeds, network, dataset_, len(inits_), iterations, every)
    initial = initial_batch(network, [(ini, seed) for ini in inits_], dataset_.X_train.T)
    with progress_bar(progress, iterations, "training") as update:
        history = _train(
            network, dataset_, initial, lr, iterations, every, update, engine_name, dtype
        )
    runs = _evaluate(network, dataset_, inits_, seed, initial, history, iterations=iterations)
    result = Comparison(
        dataset=dataset_,
        network=network,
        lr=lr,
        iterations=iterations,
        every=every,
        seed=seed,
        runs=runs,
        engine=history.engine,
        dtype=history.dtype,
        engine_note=history.note,
    )
    if seeds_ is not None:
        if seeds_progress is None and not callable(progress):
            seeds_progress = progress
        result.over_seeds = _over_seeds(
            inits_, network, dataset_, lr, iterations, every, seeds_, seeds_progress, engine_name
        )
    return result


def _check_settings(lr: float, iterations: int, every: int, seed: int) -> tuple:
    """The learning rate, iterations (capped), recording interval and seed, checked."""
    return (
        positive_number("lr", lr),
        D.capped(integer_at_least("iterations", iterations, 1)),
        integer_at_least("every", every, 1),
        checks.check("seed", seed, checks.SEED),
    )


def _train(
    network: Network,
    dataset: Dataset,
    initial: engine.Params,
    lr: float,
    iterations: int,
    every: int,
    progress: Callable[[int], None] | None,
    engine_name: str,
    dtype: str,
) -> engine.History:
    """The K models trained together, as the course's loop: one segment of ``iterations``
    (:func:`~initlab.runs.segments.train_segments`), the cost every ``every``."""
    Y = targets(dataset.y_train, network.output_layer(), dataset.n_classes)
    return train_segments(
        network,
        initial,
        dataset.X_train.T,
        Y,
        lr,
        [iterations],
        every,
        engine=engine_name,
        dtype=dtype,
        progress=progress,
    )


def _check_sizes(
    seeds: str | Sequence[int] | None,
    network: Network,
    dataset: Dataset,
    n_inits: int,
    iterations: int,
    every: int,
) -> tuple[int, ...] | None:
    """Before any training: the comparison's runs checked to fit, and the seeds of
    ``compare(seeds=...)`` parsed and their runs checked too."""
    n_samples = max(len(dataset.X_train), len(dataset.X_test))
    checks.check_training("compare", network.sizes, n_samples, n_inits, iterations)
    if seeds is None:
        return None
    from initlab.runs.spec import parse_seeds

    seeds_ = parse_seeds(seeds)
    if not seeds_:
        raise InitlabError(f"--seeds gives no seeds; write e.g. 0-49; got {seeds!r}")
    records = 3 * (iterations // every + 1)  # cost, train and test accuracy at each record
    n_models = n_inits * len(seeds_)
    checks.check_training(
        "compare --seeds", network.sizes, n_samples, n_models, iterations, records
    )
    return seeds_


def _over_seeds(
    inits: list[initializers.Initializer],
    network: Network,
    dataset: Dataset,
    lr: float,
    iterations: int,
    every: int,
    seeds_: tuple[int, ...],
    progress: Choice,
    engine_name: str = "auto",
):
    """Every initializer once per seed, as one batch (float64, on ``engine_name``); their
    statistics by initializer. ``progress`` as :func:`compare`'s, but a function gets each
    increment of model-iterations; the bar counts iterations of every model."""
    import pandas as pd

    from initlab.analysis import statistics
    from initlab.experiments.summary import Summary
    from initlab.runs.measure import train_and_measure

    pairs = [(ini, s) for ini in inits for s in seeds_]
    initial = initial_batch(network, pairs, dataset.X_train.T)
    label = f"{len(seeds_)} seeds" if len(seeds_) != 1 else "1 seed"
    with progress_bar(progress, iterations, label) as update:
        m = train_and_measure(
            network,
            dataset,
            initial,
            np.full(len(pairs), lr),
            iterations,
            every,
            engine_name,
            progress if callable(progress) else per_model(update, len(pairs)),
        )
    target = D.TARGET
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
        table=table,
        pairs=tests,
        by=["init"],
        target=target,
        confidence=0.95,
        metric="test_accuracy",
        pair_metric="test_accuracy",
        x=None,
        n_runs=len(runs),
        source=f"{len(seeds_)} seeds",
    )


def _test_cost(cost: float, diverged: bool) -> float | None:
    """A run's test cost for :class:`Run`: ``None`` when the run diverged, and also when it did
    not but its test cost is not finite — the test logits overflowed on data far outside the
    training range while training stayed finite. The table then says ``"not finite (test logits
    overflowed)"`` (:data:`~initlab.report.format.TEST_NOT_FINITE`) where a diverged run says
    ``"diverged"``, and the JSON has ``null`` with ``"test_cost_finite": false`` (``null`` for a
    diverged run); never NaN."""
    return None if diverged or not np.isfinite(cost) else float(cost)


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
        test_costs = output.cost(test_logits, Y_test)  # may overflow alone: see _test_cost
    guess = chance(dataset.y_train, output, dataset.n_classes)
    runs = []
    for k, ini in enumerate(inits):
        diverged = history.diverged(k)
        final_params = engine.unstack(history.params, k)
        final_cost = None if diverged else float(history.final_costs[k])
        facts = facts_from_stats(
            at_init,
            at_end,
            k,
            diverged_at=int(history.diverged_at[k]) if diverged else None,
            initial_cost=float(history.costs[k, 0]),
            final_cost=final_cost,
            train_accuracy=None if diverged else float(np.mean(train_labels[k] == dataset.y_train)),
            test_cost=_test_cost(test_costs[k], diverged),
            test_accuracy=None if diverged else float(np.mean(test_labels[k] == dataset.y_test)),
            chance=guess,
            recent=recent_fall(history.cost_pairs(k), iterations, final_cost),
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
                test_cost=facts.test_cost,
                train_accuracy=facts.train_accuracy,
                test_accuracy=facts.test_accuracy,
                diverged_at=facts.diverged_at,
                diagnosis=verdict(facts),
                initial_params=engine.unstack(initial, k),
                final_params=final_params,
                facts={
                    "hidden_sizes": list(network.hidden),
                    "distinct_units": distinct,
                    "initial_saturated_share": facts.saturated_share,
                    "outcome": outcome(facts),
                    "chance": {"cost": guess[0], "accuracy": guess[1]},
                    "recent_fall": None if facts.recent is None else list(facts.recent),
                    "layers": {
                        "init": at_init.model(k),
                        "end": None if diverged else at_end.model(k),
                    },
                    "theory": theory_,
                    "theory_note": theory_note,
                    "test_cost_finite": None if diverged else bool(np.isfinite(test_costs[k])),
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
