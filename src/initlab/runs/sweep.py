"""Sweeps: a grid of runs, each with a canonical spec and a key, trained in batches.

A sweep is the product of its axes — initializers × seeds × networks × activations × learning
rates × datasets × iteration counts. Every run is a :class:`RunSpec` whose canonical form (every
name resolved through its registry, every parameter filled in) is hashed into its ``key``: the same
run always has the same key, whatever aliases or spelling the command line used, so a results
store can tell what is done. Runs that share a network, activation, dataset and iteration count are
trained together as one batch of K models (:func:`batches`), each with its own initial weights and
learning rate; :func:`run_batch` trains one batch and measures every run in it.

A seed ``S`` means numpy's legacy ``RandomState(S)`` drawing W1, (b1), W2, ... in order, as
``initlab compare --seed S`` does: ``he`` with seed 3 on the course's problem is the course's run.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from initlab import data, engine, initializers
from initlab._version import __version__
from initlab.checks import integer_at_least, positive_number
from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.engine.params import n_models
from initlab.errors import InitlabError
from initlab.nn import activations, outputs
from initlab.nn.network import Network, check_sizes
from initlab.runs.segments import train_segments
from initlab.specs import split_spec_list

DEFAULT_BATCH_SIZE = 64
DEFAULT_TARGET = 0.9
MAX_SEED = 2**32 - 1  # RandomState accepts seeds 0 … 2³² − 1
SPEC_VERSION = 1  # bump if the meaning of a canonical spec changes


# -- one run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides a run's numbers, in canonical form.

    ``init``, ``activation`` and ``dataset`` are canonical spec texts (registry name with every
    parameter), ``layers`` the full size list, ``output`` the output layer's name.
    """

    init: str
    layers: tuple[int, ...]
    activation: str
    output: str
    dataset: str
    lr: float
    iterations: int
    every: int
    seed: int

    def canonical(self) -> dict[str, Any]:
        """The JSON-ready canonical spec; its hash is :attr:`key`."""
        return {
            "spec_version": SPEC_VERSION,
            "init": self.init,
            "layers": list(self.layers),
            "activation": self.activation,
            "output": self.output,
            "dataset": self.dataset,
            "lr": self.lr,
            "iterations": self.iterations,
            "every": self.every,
            "seed": self.seed,
            "rng": "numpy.random.RandomState",
        }

    def to_json(self) -> str:
        return json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))

    @property
    def key(self) -> str:
        """SHA-256 of the canonical JSON (sorted keys, no spaces), first 32 hex digits."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:32]

    @property
    def group(self) -> tuple:
        """What runs must share to train in one batch."""
        return (
            self.dataset,
            self.activation,
            self.output,
            self.layers,
            self.iterations,
            self.every,
        )

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.layers) - 2

    @property
    def width(self) -> int | None:
        """The hidden width when every hidden layer has it, else ``None``."""
        hidden = set(self.layers[1:-1])
        return hidden.pop() if len(hidden) == 1 else None

    def columns(self) -> dict[str, Any]:
        """The spec as table columns (what :func:`initlab.load` shows and ``--by`` groups on)."""
        return {
            "init": self.init,
            "init_name": self.init.partition(":")[0],
            "layers": "-".join(str(s) for s in self.layers),
            "depth": self.depth,
            "width": self.width,
            "activation": self.activation,
            "output": self.output,
            "dataset": self.dataset,
            "lr": self.lr,
            "iterations": self.iterations,
            "every": self.every,
            "seed": self.seed,
        }


# -- the grid ------------------------------------------------------------------------------------


def parse_seeds(text: str | int | Sequence[int]) -> tuple[int, ...]:
    """Seeds from ``"0-31"``, ``"0-9,20,30-32"``, an int or a list of ints (duplicates dropped).

    >>> parse_seeds("0-2,7")
    (0, 1, 2, 7)
    """
    if isinstance(text, str):
        items: list[Any] = [piece.strip() for piece in text.split(",") if piece.strip()]
    elif isinstance(text, (list, tuple)):
        items = list(text)
    else:
        items = [text]
    seeds: list[int] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            seeds.append(item)
            continue
        single = re.fullmatch(r"\d+", item) if isinstance(item, str) else None
        span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", item) if isinstance(item, str) else None
        if single:
            seeds.append(int(item))
        elif span:
            low, high = int(span[1]), int(span[2])
            if high < low:
                raise InitlabError(
                    f"seed range {item!r} runs backwards; write low-high with low <= high, "
                    f"e.g. {high}-{low}"
                )
            seeds.extend(range(low, high + 1))
        else:
            raise InitlabError(
                f"seeds are integers >= 0 or ranges low-high, separated by commas, e.g. 0-31 or "
                f"0-9,20; got {item!r}"
            )
    for seed in seeds:
        if not 0 <= seed <= MAX_SEED:
            raise InitlabError(f"a seed must be between 0 and {MAX_SEED}; got {seed}")
    return tuple(dict.fromkeys(seeds))


def _list(value: Any) -> list[Any]:
    """A comma-separated text or a scalar or a list → a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_spec_list(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _numbers(name: str, value: Any, kind: type) -> list[Any]:
    out = []
    for item in _list(value):
        if isinstance(item, str):
            try:
                item = kind(item)
            except ValueError:
                raise InitlabError(
                    f"{name} must be {'integers' if kind is int else 'numbers'} separated by "
                    f"commas; got {item!r}"
                ) from None
        if kind is int:
            out.append(integer_at_least(name, item, 1))
        else:
            out.append(positive_number(name, item))
    return list(dict.fromkeys(out))


AUTO = "auto"


def _check_layers(layers: Sequence[Any], given: Any) -> tuple[int | str, ...]:
    """Sizes >= 1; the first and last may be ``"auto"`` (from each dataset)."""
    sizes: list[int | str] = []
    for i, size in enumerate(layers):
        if isinstance(size, str) and size.strip().lower() == AUTO and i in (0, len(layers) - 1):
            sizes.append(AUTO)
            continue
        try:
            sizes.append(int(size) if isinstance(size, str) else size)
        except ValueError:
            raise InitlabError(
                f"--layers must be integers separated by commas (the first and last may be auto; "
                f"several networks separated by ';'), e.g. 2,10,5,1; got {given!r}"
            ) from None
    check_sizes([1 if s == AUTO else s for s in sizes])
    return tuple(sizes)


def parse_layer_lists(value: Any) -> list[tuple[int | str, ...]]:
    """``"2,10,5,1"``, ``"auto,32,auto;2,10,5,1"`` or ``[[2, 10, 5, 1], ...]`` → size tuples."""
    if value is None:
        return []
    if isinstance(value, str):
        return [_check_layers(t.split(","), value) for t in value.split(";") if t.strip()]
    items = list(value)
    if items and all(not isinstance(i, (list, tuple)) for i in items):
        return [_check_layers(items, value)]
    return [_check_layers(list(v), value) for v in items]


@lru_cache(maxsize=32)
def load_dataset(spec: str) -> Dataset:
    """The dataset of a canonical spec, loaded once per process."""
    return data.load(spec)


@dataclass(frozen=True)
class Grid:
    """The axes of a sweep; :meth:`runs` is their product, in a fixed order.

    ``layers`` lists explicit networks; ``depths`` × ``widths`` adds ``(n_in, width × depth,
    n_out)`` networks, their ends taken from each dataset. With neither, the course's hidden
    layers ``(10, 5)`` are used.
    """

    inits: tuple[str, ...]
    seeds: tuple[int, ...]
    datasets: tuple[str, ...] = ("circles",)
    activations: tuple[str, ...] = ("relu",)
    lrs: tuple[float, ...] = (0.01,)
    layers: tuple[tuple[int | str, ...], ...] = ()
    depths: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()
    iterations: tuple[int, ...] = (15000,)
    every: int = 1000

    def networks(self, dataset: Dataset) -> list[tuple[tuple[int, ...], str]]:
        """``(sizes, output name)`` of every network of the grid on ``dataset``."""
        output = outputs.for_classes(dataset.n_classes)
        n_in, n_out = dataset.n_features, output.units(dataset.n_classes)
        sizes = []
        for given in self.layers:
            layers = (
                n_in if given[0] == AUTO else given[0],
                *given[1:-1],
                n_out if given[-1] == AUTO else given[-1],
            )
            if layers[0] != n_in or layers[-1] != n_out:
                raise InitlabError(
                    f"the layer list {','.join(map(str, layers))} does not fit dataset "
                    f"{dataset.spec!r}: it has {n_in} features and needs {n_out} output "
                    f"unit(s), so the list must start with {n_in} and end with {n_out}"
                )
            sizes.append(layers)
        for depth in self.depths:
            for width in self.widths:
                sizes.append((n_in, *([width] * depth), n_out))
        if not self.layers and not self.depths:
            sizes.append((n_in, 10, 5, n_out))
        return [(s, output.name) for s in dict.fromkeys(sizes)]

    def runs(self) -> list[RunSpec]:
        """Every run of the grid, without duplicates, grouped so batches share a network."""
        specs: dict[str, RunSpec] = {}
        for dataset_spec in self.datasets:
            dataset = load_dataset(dataset_spec)
            for activation in self.activations:
                for sizes, output in self.networks(dataset):
                    for iterations in self.iterations:
                        for lr in self.lrs:
                            for init in self.inits:
                                for seed in self.seeds:
                                    spec = RunSpec(
                                        init,
                                        sizes,
                                        activation,
                                        output,
                                        dataset.spec,
                                        lr,
                                        iterations,
                                        self.every,
                                        seed,
                                    )
                                    specs.setdefault(spec.key, spec)
        return list(specs.values())


def make_grid(
    inits: Any,
    seeds: Any,
    *,
    datasets: Any = "circles",
    activations_: Any = "relu",
    lrs: Any = 0.01,
    layers: Any = None,
    depths: Any = None,
    widths: Any = None,
    iterations: Any = 15000,
    every: Any = 1000,
) -> Grid:
    """Validate the axes and put every name in canonical form; an empty axis is an error."""
    for spec in _list(inits):
        if not isinstance(spec, str):
            raise InitlabError(
                f"a sweep's initializers are registry specs such as 'he' or 'random:scale=5' "
                f"(they must be stored by name); got {spec!r}"
            )
    grid_inits = tuple(dict.fromkeys(initializers.get(spec).spec for spec in _list(inits)))
    grid_seeds = parse_seeds(seeds) if seeds is not None else ()
    grid_datasets = tuple(dict.fromkeys(load_dataset(str(s)).spec for s in _list(datasets)))
    grid_acts = tuple(dict.fromkeys(activations.get(str(a)).spec for a in _list(activations_)))
    grid_lrs = tuple(_numbers("lr", lrs, float))
    grid_layers = tuple(parse_layer_lists(layers))
    grid_depths = tuple(_numbers("depth", depths, int))
    grid_widths = tuple(_numbers("width", widths, int))
    grid_iterations = tuple(_numbers("iterations", iterations, int))
    every_ = integer_at_least("every", int(every) if isinstance(every, str) else every, 1)
    if bool(grid_depths) != bool(grid_widths):
        given, missing = ("depth", "width") if grid_depths else ("width", "depth")
        raise InitlabError(
            f"--{given} needs --{missing} too: networks are (n_in, width × depth, "
            f"n_out); give both, or --layers"
        )
    axes = {
        "inits": grid_inits,
        "seeds": grid_seeds,
        "dataset": grid_datasets,
        "activation": grid_acts,
        "lr": grid_lrs,
        "iterations": grid_iterations,
    }
    for name, values in axes.items():
        if not values:
            raise InitlabError(
                f"the grid is empty: --{name} gives no values; give at least one "
                f"(e.g. --inits he --seeds 0-9)"
            )
    return Grid(
        grid_inits,
        grid_seeds,
        grid_datasets,
        grid_acts,
        grid_lrs,
        grid_layers,
        grid_depths,
        grid_widths,
        grid_iterations,
        every_,
    )


# -- batches -------------------------------------------------------------------------------------


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


def batches(runs: Sequence[RunSpec], batch_size: int = DEFAULT_BATCH_SIZE) -> list[Batch]:
    """Split ``runs`` into batches of at most ``batch_size`` runs sharing a :attr:`RunSpec.group`.

    The split depends only on the grid and ``batch_size``, never on what is already done, so a
    resumed sweep trains exactly the batches an uninterrupted one would.
    """
    batch_size = integer_at_least("batch_size", batch_size, 1)
    groups: dict[tuple, list[RunSpec]] = {}
    for run in runs:
        groups.setdefault(run.group, []).append(run)
    out: list[Batch] = []
    for members in groups.values():
        for start in range(0, len(members), batch_size):
            out.append(Batch(len(out), tuple(members[start : start + batch_size])))
    return out


# -- training and measuring one batch ------------------------------------------------------------


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


@dataclass
class Measured:
    """K models trained together, measured at ``points`` (0, every, 2·every, ..., iterations).

    ``costs``, ``train_accuracy`` and ``test_accuracy`` are ``(K, len(points))``, NaN from the
    point where a model diverged; ``test_costs`` is ``(K,)`` after the last update;
    ``diverged_at`` is ``(K,)``, −1 for a model that did not diverge.
    """

    points: list[int]
    costs: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    test_costs: np.ndarray
    diverged_at: np.ndarray
    engine: str


def train_and_measure(
    network: Network,
    dataset: Dataset,
    initial: engine.Params,
    lr: np.ndarray,
    iterations: int,
    every: int,
    engine_name: str = "auto",
    progress: Callable[[int], None] | None = None,
) -> Measured:
    """Train the K models of ``initial`` on ``dataset`` and measure them every ``every`` iterations.

    Training stops every ``every`` iterations (:func:`initlab.runs.segments.train_segments`, the
    same arithmetic as one uninterrupted :func:`initlab.engine.train` call; a model that diverged
    stays frozen) so the train and test accuracy can be measured at each recorded iteration.
    ``progress(n)`` is called with the model-iterations done in each segment.
    """
    output = network.output_layer()
    n_classes = dataset.n_classes
    X, Y = dataset.X_train.T, outputs.targets(dataset.y_train, output, n_classes)
    X_test = dataset.X_test.T
    K = n_models(initial)
    points = [*range(0, iterations, every), iterations]
    train_acc = np.full((K, len(points)), np.nan)
    test_acc = np.full((K, len(points)), np.nan)
    done = [0]

    def accuracies(point: int, params: engine.Params, diverged_at: np.ndarray) -> None:
        j = len(points) - 1 if point == iterations else point // every
        with np.errstate(over="ignore", invalid="ignore"):
            train_pred = outputs.decide(reference.predict_proba(network, params, X))
            test_pred = outputs.decide(reference.predict_proba(network, params, X_test))
        train_acc[:, j] = np.mean(train_pred == dataset.y_train, axis=-1)
        test_acc[:, j] = np.mean(test_pred == dataset.y_test, axis=-1)
        if progress is not None and point > done[0]:
            progress(K * (point - done[0]))
        done[0] = point

    history = train_segments(
        network, initial, X, Y, lr, points[1:], every, engine=engine_name, at_stop=accuracies
    )
    params, diverged_at = history.params, history.diverged_at
    costs = np.column_stack([history.costs, history.final_costs])
    with np.errstate(over="ignore", invalid="ignore"):
        test_costs = output.cost(
            reference.forward(network, params, X_test).logits,
            outputs.targets(dataset.y_test, output, n_classes),
        )
    point_array = np.array(points)
    for k in np.flatnonzero(diverged_at >= 0):
        dead = point_array >= diverged_at[k]
        train_acc[k, dead] = test_acc[k, dead] = np.nan
        test_costs[k] = np.nan
    return Measured(points, costs, train_acc, test_acc, test_costs, diverged_at, history.engine)


def run_batch(
    batch: Batch,
    engine_name: str = "auto",
    target: float = DEFAULT_TARGET,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """Train every run of ``batch`` as one K-model engine pass and measure each
    (:func:`train_and_measure`); one :class:`RunResult` per run, in order."""
    started = time.perf_counter()
    first = batch.runs[0]
    dataset = load_dataset(first.dataset)
    network = Network(first.layers, first.activation, first.output)
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
        reached = np.flatnonzero(np.nan_to_num(m.test_accuracy[k], nan=-1.0) >= target)
        results.append(
            RunResult(
                spec=run,
                final_cost=None if diverged else float(m.costs[k, -1]),
                best_cost=float(np.min(m.costs[k, finite])) if finite.any() else None,
                test_cost=None if diverged else float(m.test_costs[k]),
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


# -- a whole sweep into a store ------------------------------------------------------------------


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
        return (
            f"{self.total} runs in the grid: {self.already} already in {self.store}, "
            f"{self.ran} trained now in {self.seconds:.1f} s ({self.batches} batches, "
            f"backend {self.backend}, engine {engines})"
        )


def execute(
    grid: Grid,
    store_path: str,
    backend: Any,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    target: float = DEFAULT_TARGET,
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
    from initlab.runs.store import open_store

    if not isinstance(target, (int, float)) or not 0 <= target <= 1:
        raise InitlabError(f"target must be an accuracy between 0 and 1; got {target!r}")
    runs = grid.runs()
    planned = batches(runs, batch_size)
    started = time.perf_counter()
    ran = added = n_batches = 0
    engines: dict[str, None] = {}
    with backend:
        store = open_store(store_path, create=True, check=True)
        try:
            done = store.done(r.key for r in runs)
            todo = [b.only(r.key for r in b.runs if r.key not in done) for b in planned]
            todo = [b for b in todo if b is not None]
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


# -- a sweep described in a TOML file ------------------------------------------------------------

SPEC_KEYS = {
    "inits": "initializer specs, a list or comma-separated text",
    "seeds": "seeds: a list of integers or text like '0-31'",
    "layers": "one network [2, 10, 5, 1] or several [[2, 10, 5, 1], [2, 32, 1]]",
    "depth": "hidden-layer counts (with width)",
    "width": "hidden-layer widths (with depth)",
    "activation": "hidden activations",
    "lr": "learning rates",
    "dataset": "dataset specs",
    "iterations": "gradient-descent iterations",
    "every": "record cost and accuracy every this many iterations",
    "target": "the test accuracy that counts as success",
    "batch_size": "runs trained together in one engine pass",
    "store": "the results store",
    "backend": "local or dask",
    "scheduler": "the Dask scheduler address",
    "timeout": "seconds to reach the scheduler",
    "engine": "the training engine",
}


def _line_of(text: str, key: str, table: bool = False) -> int | None:
    pattern = (
        rf"^\s*\[\s*{re.escape(key)}\s*\]" if table else rf"^\s*[\"']?{re.escape(key)}[\"']?\s*="
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    return None


def read_spec(path: str | Any) -> dict[str, Any]:
    """The settings of a sweep spec file (TOML), checked for unknown keys.

    Keys are the ``initlab sweep`` options (:data:`SPEC_KEYS`), at the top level or in a
    ``[sweep]`` table. An unknown key raises an :class:`InitlabError` naming it and its line.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InitlabError(f"cannot read the spec file {str(path)!r}: {error.strerror}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InitlabError(f"spec file {str(path)!r} is not valid TOML: {error}") from None
    if set(document) == {"sweep"} and isinstance(document["sweep"], dict):
        document = document["sweep"]
    for key, value in document.items():
        if key not in SPEC_KEYS:
            from initlab.errors import did_you_mean

            line = _line_of(text, key, table=isinstance(value, dict))
            where = f" on line {line}" if line else ""
            raise InitlabError(
                f"unknown key {key!r}{where} of spec file {str(path)!r}"
                f"{did_you_mean(key, SPEC_KEYS)}; valid keys: {', '.join(SPEC_KEYS)}"
            )
    return dict(document)
