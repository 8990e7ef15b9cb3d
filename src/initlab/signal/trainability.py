"""The trainability map: test accuracy over (σ_w², depth) with the depth scale 6·ξ_c drawn over it.

Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017 ("Deep information propagation", §5, Fig. 5):
a network of depth L trains when L is below a few correlation depth scales; their heat map of
accuracy over (σ_w², L) is bounded by the curve 6·ξ_c (:mod:`initlab.signal.depth_scales`),
which diverges at the critical σ_w². Here every cell is a sweep run
(:func:`initlab.experiments.sweep.sweep`): initializer ``variance_scaling`` with scale σ_w²
(normal, fan_in: Var W = σ_w²/fan_in, zero biases, so σ_b² = 0), ``depth`` hidden layers of
``width`` units, full-batch gradient descent for ``iterations``. Runs of one depth train in one
batch on the fast engine; the results go to a SQLite store, so a rerun resumes and a larger grid
reuses what is done; ``backend="dask"`` spreads the batches over a cluster for the full-size figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from initlab import initializers
from initlab._version import __version__
from initlab.analysis.json_numbers import json_number, json_numbers
from initlab.checks import positive_number
from initlab.data.naming import dataset_name
from initlab.errors import InitlabError
from initlab.experiments.result import Result, now
from initlab.experiments.sweep import load, sweep
from initlab.nn import activations
from initlab.report.document import FigureSection, Report
from initlab.runs import defaults as D
from initlab.signal.depth_scales import compute as scales_of
from initlab.signal.depth_scales import critical_sigma_w2
from initlab.viz import trainability as figures

DEPTH_SCALE_FACTOR = 6.0  # trainable to about 6 ξ_c (Schoenholz et al. 2017)


def init_spec(sigma_w2: float) -> str:
    """The canonical registry spec drawing W ~ N(0, σ_w²/fan_in): ``variance_scaling``, normal,
    fan_in (as the store keeps it)."""
    return initializers.get(
        f"variance_scaling:scale={float(sigma_w2)!r},mode=fan_in,distribution=normal"
    ).spec


def xi_c_curve(activation: str, sigma_w2: Sequence[float]) -> np.ndarray:
    """ξ_c at σ_b² = 0 for each σ_w² (∞ on the critical line, NaN where q* is unbounded)."""
    act = activations.get(activation)
    return np.array([scales_of(act, float(s), 0.0).xi_c for s in sigma_w2])


def trainable_depth(depths: np.ndarray, accuracy: np.ndarray, threshold: float) -> np.ndarray:
    """For each σ_w² (column of ``accuracy``, rows the sorted ``depths``) the deepest depth whose
    accuracy reaches ``threshold`` with every shallower depth reaching it too (0 if none)."""
    out = np.zeros(accuracy.shape[1])
    for j in range(accuracy.shape[1]):
        ok = np.nan_to_num(accuracy[:, j], nan=0.0) >= threshold
        run = np.cumprod(ok).astype(bool)
        out[j] = depths[run].max() if run.any() else 0
    return out


@dataclass(kw_only=True, repr=False)
class Trainability(Result):
    """Mean test accuracy ``accuracy[i, j]`` at ``depths[i]`` and ``sigma_w2[j]`` (over
    ``seeds``; a diverged run counts as chance, ``chance``), with ξ_c of every σ_w²."""

    activation: str
    dataset: str
    width: int
    lr: float
    iterations: int
    seeds: str
    store: str
    sigma_w2: np.ndarray
    depths: np.ndarray
    accuracy: np.ndarray
    chance: float
    xi_c: np.ndarray
    created: str = field(default_factory=now)

    @property
    def threshold(self) -> float:
        """Trainable: mean test accuracy at least halfway from chance to the best cell."""
        best = float(np.nanmax(self.accuracy)) if np.isfinite(self.accuracy).any() else 1.0
        return self.chance + 0.5 * (best - self.chance)

    def trainable_depths(self) -> np.ndarray:
        return trainable_depth(self.depths, self.accuracy, self.threshold)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "σ_w²": self.sigma_w2,
                "ξ_c": [_text(x) for x in self.xi_c],
                "6·ξ_c": [_text(DEPTH_SCALE_FACTOR * x) for x in self.xi_c],
                "deepest trainable": self.trainable_depths().astype(int),
            }
        )

    def figure(self):
        fine = np.linspace(float(self.sigma_w2.min()), float(self.sigma_w2.max()), 61)
        return figures.trainability_map(
            self.sigma_w2,
            self.depths,
            self.accuracy,
            fine,
            DEPTH_SCALE_FACTOR * xi_c_curve(self.activation, fine),
            critical_w2=critical_sigma_w2(self.activation, 0.0),
            title=f"{self.activation}, width {self.width}, {dataset_name(self.dataset)}: "
            f"test accuracy after {self.iterations:,} iterations (lr {self.lr:g})",
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "initlab_version": __version__,
            "created": self.created,
            "study": "trainability",
            "activation": self.activation,
            "dataset": self.dataset,
            "width": self.width,
            "lr": self.lr,
            "iterations": self.iterations,
            "seeds": self.seeds,
            "store": self.store,
            "sigma_b2": 0.0,
            "sigma_w2": json_numbers(self.sigma_w2),
            "depths": [int(d) for d in self.depths],
            "test_accuracy": [json_numbers(row) for row in self.accuracy],
            "chance": self.chance,
            "threshold": self.threshold,
            "xi_c": [json_number(x) for x in self.xi_c],
            "trainable_depth": [int(d) for d in self.trainable_depths()],
        }

    def report(self) -> Report:
        return Report(
            title="Trainability over (σ_w², depth)",
            lead=(
                "Mean test accuracy of networks of each depth, weights N(0, σ_w²/fan_in), zero "
                "biases. Schoenholz et al. 2017 found networks train up to about 6·ξ_c layers, "
                "ξ_c the correlation depth scale, infinite at the critical σ_w²."
            ),
            table=self.table(),
            sections=[
                FigureSection(
                    "trainability",
                    "The trainability map",
                    "Bright cells trained; the white curve is 6·ξ_c, the dashed line the "
                    "critical σ_w².",
                    self.figure(),
                )
            ],
            settings={"initlab": __version__, "store": self.store, "created": self.created},
        )

    def heading(self) -> str:
        return (
            f"{self.activation} width {self.width} on {self.dataset}, "
            f"{len(self.sigma_w2)} σ_w² × {len(self.depths)} depths"
        )

    def outcomes(self) -> list[tuple[str, str]]:
        deepest = self.trainable_depths()
        return [
            (f"σ_w²={s:g}", f"deepest trainable {int(d)}, 6·ξ_c = {_text(6 * x)}")
            for s, d, x in zip(self.sigma_w2, deepest, self.xi_c, strict=True)
        ]


def _text(value: float) -> str:
    if math.isinf(value):
        return "∞"
    return "—" if math.isnan(value) else f"{value:.3g}"


def trainability(
    activation: str = D.TRAINABILITY_ACTIVATION,
    sigma_w2: Sequence[float] = D.TRAINABILITY_SIGMA_W2,
    depths: Sequence[int] = D.TRAINABILITY_DEPTHS,
    *,
    dataset: str = D.TRAINABILITY_DATASET,
    width: int = D.TRAINABILITY_WIDTH,
    lr: float = D.TRAINABILITY_LR,
    iterations: int = D.TRAINABILITY_ITERATIONS,
    seeds: str | int | Sequence[int] = D.TRAINABILITY_SEEDS,
    store: str = D.TRAINABILITY_STORE,
    backend: str = D.BACKEND,
    scheduler: object = None,
    engine: str = D.ENGINE,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Trainability:
    """Train the grid σ_w² × depth (× seeds) into ``store`` (skipping what it holds) and read the
    map back; see the module docstring. Each depth's runs are one batch."""
    act = activations.get(activation)
    values = [float(positive_number("sigma_w2", s)) for s in sigma_w2]
    if not values:
        raise InitlabError("give at least one σ_w², e.g. --sigma-w2 0.5,1,2,4")
    specs = {init_spec(s): s for s in values}
    sweep(
        list(specs),
        seeds,
        depth=list(depths),
        width=width,
        activation=act.spec,
        lr=lr,
        dataset=dataset,
        iterations=iterations,
        every=iterations,
        store=store,
        backend=backend,
        scheduler=scheduler,
        batch_size=max(1, len(specs)) * 64,
        engine=engine,
        progress=progress,
        on_start=on_start,
    )
    return collect(act.spec, values, list(depths), dataset, width, lr, iterations, seeds, store)


def collect(
    activation: str,
    sigma_w2: list[float],
    depths: list[int],
    dataset: str,
    width: int,
    lr: float,
    iterations: int,
    seeds: str | int | Sequence[int],
    store: str,
) -> Trainability:
    """The map from the runs in ``store`` that match the grid (others are left out)."""
    from initlab.runs.spec import load_dataset

    data = load_dataset(dataset)
    runs = load(store)
    runs = runs[
        (runs.activation == activation)
        & (runs.dataset == data.spec)
        & (runs.width == width)
        & (runs.lr == lr)
        & (runs.iterations == iterations)
    ]
    chance = 1.0 / data.n_classes
    order = sorted(set(depths))
    by_init = {init_spec(s): j for j, s in enumerate(sigma_w2)}
    accuracy = np.full((len(order), len(sigma_w2)), np.nan)
    for (init, depth), group in runs.groupby(["init", "depth"]):
        if init in by_init and depth in order:
            accuracy[order.index(depth), by_init[init]] = group.test_accuracy.fillna(chance).mean()
    return Trainability(
        activation=activation,
        dataset=data.spec,
        width=width,
        lr=lr,
        iterations=iterations,
        seeds=str(seeds),
        store=str(store),
        sigma_w2=np.array(sigma_w2),
        depths=np.array(order),
        accuracy=accuracy,
        chance=chance,
        xi_c=xi_c_curve(activation, sigma_w2),
    )
