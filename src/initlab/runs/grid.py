"""The grid of a sweep: the product of its axes, every run in canonical form.

A sweep is the product of its axes — initializers × seeds × networks × activations × learning
rates × datasets × iteration counts; :func:`make_grid` validates them and puts every name in
canonical form, :meth:`Grid.runs` lists the :class:`~initlab.runs.spec.RunSpec` of every run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab import checks, initializers
from initlab.checks import positive_integer, positive_number
from initlab.data.dataset import Dataset
from initlab.errors import InitlabError
from initlab.nn import activations
from initlab.nn.network import AUTO, fit_layers, parse_layer_lists
from initlab.nn.parametrization import check_parametrization
from initlab.nn.residual import Block, layer_items
from initlab.runs import defaults as D
from initlab.runs.spec import RunSpec, data_hash, load_dataset, parse_seeds
from initlab.specs import split_spec_list


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
    out: list[Any] = []
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
            out.append(positive_integer(name, item))
        else:
            out.append(positive_number(name, item))
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Grid:
    """The axes of a sweep; :meth:`runs` is their product, in a fixed order.

    ``layers`` lists explicit networks; ``depths`` × ``widths`` adds ``(n_in, width × depth,
    n_out)`` networks, their ends taken from each dataset. With neither, the course's hidden
    layers ``(10, 5)`` are used.
    """

    inits: tuple[str, ...]
    seeds: tuple[int, ...]
    datasets: tuple[str, ...] = (D.DATASET,)
    activations: tuple[str, ...] = (D.ACTIVATION,)
    lrs: tuple[float, ...] = (D.LR,)
    layers: tuple[tuple[int | str, ...], ...] = ()
    depths: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()
    iterations: tuple[int, ...] = (D.ITERATIONS,)
    every: int = D.EVERY
    parametrizations: tuple[str, ...] = (D.PARAMETRIZATION,)
    base_width: int | None = None  # the base hidden width of ntk and mup

    def networks(self, dataset: Dataset) -> list[tuple[tuple[int, ...], tuple[Block, ...], str]]:
        """``(sizes, residual blocks, output name)`` of every network of the grid on ``dataset``
        (:func:`~initlab.nn.network.fit_layers` resolves the ``auto`` ends and residual items)."""
        given = list(self.layers)
        given += [
            (AUTO, *([width] * depth), AUTO) for depth in self.depths for width in self.widths
        ]
        if not self.layers and not self.depths:
            given.append((AUTO, 10, 5, AUTO))
        fitted = [fit_layers(layers, dataset) for layers in given]
        unique = {(sizes, blocks): output.name for sizes, blocks, output in fitted}
        return [(sizes, blocks, output) for (sizes, blocks), output in unique.items()]

    def runs(self) -> list[RunSpec]:
        """Every run of the grid, without duplicates, grouped so batches share a network."""
        specs: dict[str, RunSpec] = {}
        for dataset_spec in self.datasets:
            dataset = load_dataset(dataset_spec)
            content = data_hash(dataset.spec)
            for activation in self.activations:
                for sizes, blocks, output in self.networks(dataset):
                    _check_inits(self.inits, sizes, blocks)
                    for scaling, iterations, lr, init, seed in itertools.product(
                        self.parametrizations, self.iterations, self.lrs, self.inits, self.seeds
                    ):
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
                            content,
                            blocks,
                            scaling,
                            None if scaling == "sp" else self.base_width,
                        )
                        specs.setdefault(spec.key, spec)
        return list(specs.values())


def _check_inits(inits: tuple[str, ...], sizes: tuple[int, ...], blocks: tuple[Block, ...]) -> None:
    """Refuse, before any training, an initializer that needs residual blocks (Fixup, SkipInit,
    ReZero) on a plain network: its rule over the whole network runs on a stand-in of one unit
    per layer with the same blocks, so it raises what it would raise in the first batch without
    drawing the real network."""
    ones = (1,) * len(sizes)
    zeros = [(np.zeros((1, 1)), np.zeros(1)) for _ in sizes[1:]]
    for spec in inits:
        initializer = initializers.get(spec)
        if initializer.network is None:
            continue
        try:
            initializer.network(list(zeros), ones, blocks, np.random.RandomState(0))
        except InitlabError as error:
            network = ",".join(str(item) for item in layer_items(sizes, blocks))
            raise InitlabError(
                f"network {network} with initializer {spec!r}: {error}; a sweep runs every "
                "initializer on every network, so sweep residual-only initializers and plain "
                "networks separately (into the same --store if you like)"
            ) from None


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
    parametrizations: Any = D.PARAMETRIZATION,
    base_width: Any = None,
) -> Grid:
    """Validate the axes and put every name in canonical form; an empty axis is an error.
    ``parametrizations`` (sp, ntk, mup: :mod:`initlab.nn.parametrization`) is an axis too; ntk
    and mup need ``base_width``, the hidden width at which they equal sp."""
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
    if layers is not None and not grid_layers:
        raise InitlabError(
            f"--layers gives no network; give sizes such as auto,10,5,auto (several separated by "
            f"';'), or leave it out for the default; got {layers!r}"
        )
    grid_depths = tuple(_numbers("depth", depths, int))
    grid_widths = tuple(_numbers("width", widths, int))
    grid_iterations = tuple(D.capped(n) for n in _numbers("iterations", iterations, int))
    if isinstance(every, str) and every.strip().isdigit():
        every = int(every)
    every_ = positive_integer("every", every)
    if bool(grid_depths) != bool(grid_widths):
        given, missing = ("depth", "width") if grid_depths else ("width", "depth")
        raise InitlabError(
            f"--{given} needs --{missing} too: networks are (n_in, width × depth, "
            f"n_out); give both, or --layers"
        )
    grid_scalings, base = _scalings(parametrizations, base_width)
    axes = {
        "parametrization": grid_scalings,
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
    _check_size(axes, grid_datasets, len(grid_layers), grid_depths, grid_widths, grid_iterations)
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
        grid_scalings,
        base,
    )


def _scalings(parametrizations: Any, base_width: Any) -> tuple[tuple[str, ...], int | None]:
    """The grid's parametrizations, checked, and its base width: an integer >= 1 when ntk or
    mup is swept, none for sp alone."""
    parametrizations = tuple(
        dict.fromkeys(check_parametrization(str(p)) for p in _list(parametrizations))
    )
    return parametrizations, _base_width(parametrizations, base_width)


def _base_width(parametrizations: tuple[str, ...], base_width: Any) -> int | None:
    if base_width is None or base_width == "":
        if any(p != "sp" for p in parametrizations):
            raise InitlabError(
                "--parametrization ntk or mup needs --base-width, the hidden width at which it "
                "equals sp (an integer >= 1, e.g. 64)"
            )
        return None
    if isinstance(base_width, str) and base_width.strip().isdigit():
        base_width = int(base_width)
    if parametrizations == ("sp",):
        raise InitlabError(
            f"--base-width is for --parametrization ntk or mup; got --base-width {base_width!r} "
            "with sp only"
        )
    return positive_integer("base_width", base_width)


def _check_size(
    axes: dict[str, tuple],
    datasets: tuple[str, ...],
    n_layers: int,
    depths: tuple[int, ...],
    widths: tuple[int, ...],
    iterations: tuple[int, ...],
) -> None:
    """Refuse a grid too large to list (:data:`~initlab.checks.RUN_RECORD_BYTES` per run) or
    a ``depth`` × ``width`` network too large to train, before any list of them exists (the
    sweep checks the exact memory and work of its batches before training)."""
    n_networks = n_layers + len(depths) * len(widths) or 1
    count = n_networks
    for values in axes.values():
        count *= len(values)
    checks.check_budget(f"the grid ({count:,} runs)", memory=count * checks.RUN_RECORD_BYTES)
    n_samples = max(max(len(d.X_train), len(d.X_test)) for d in (load_dataset(s) for s in datasets))
    for depth in depths:
        for width in widths:
            memory, work = checks.training_budget([width, width], n_samples, 1, max(iterations))
            checks.check_budget(
                f"a network of {depth:,} hidden layers of {width:,} units on {n_samples:,} "
                f"samples for {max(iterations):,} iterations",
                memory=depth * memory,
                work=depth * work,
            )
