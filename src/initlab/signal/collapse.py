"""Collapse of deep narrow ReLU networks: born dead at initialization, and collapsed to a constant
after training on Lu et al.'s 1-D target |x|.

Lu, Su & Karniadakis (2018, "Collapse of deep and narrow neural nets") and Lu, Shin, Su &
Karniadakis (2020, "Dying ReLU and initialization") train 1 → depth × width ReLU → 1 networks on
``f(x) = |x|`` and find that deep narrow ones often converge to a constant (the target's mean),
most of all when they are born dead; RAI (``rai``) makes that rarer. :func:`collapse_map`
measures both over a depth × width grid for each initializer: the born-dead share
(:func:`~initlab.signal.born_dead.born_dead_probability`) and, for ``runs`` networks per cell
trained together, the share whose output is constant on the data after ``iterations`` steps of
full-batch gradient descent on the mean squared error (the papers train with Adam; plain gradient
descent here, the lab's optimizer). A run whose output stops being finite counts as diverged, not
collapsed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from initlab import checks, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.errors import InitlabError
from initlab.signal.born_dead import born_dead_probability, dead_at_a_point, narrow_network

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CONSTANT = 1e-6  # output range over the data, relative to the target's (1), that counts as constant


def collapsed_after_training(
    depth: int,
    width: int,
    init: str = "he",
    runs: int = 40,
    iterations: int = 2000,
    lr: float = 0.05,
    n_inputs: int = 64,
    seed: int = 0,
) -> tuple[float, float]:
    """``(collapsed share, diverged share)`` of ``runs`` networks (run r drawn from
    ``RandomState(seed + r)``) trained on |x| over ``n_inputs`` points of [−1, 1] by gradient
    descent on the mean squared error, ``dCost/dŷ = 2(ŷ − y)/m`` through the reference engine's
    backward pass."""
    network = narrow_network(depth, width)
    X = np.linspace(-1.0, 1.0, n_inputs).reshape(1, -1)
    Y = np.abs(X)
    ini = initializers.get(init)
    params = initial_batch(network, [(ini, seed + r) for r in range(runs)])
    lr_k = np.full((runs, 1, 1), float(lr))
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            cache = reference.forward(network, params, X)
            dlogits = (2.0 / n_inputs) * (cache.logits - Y)
            params = reference.step(
                params, reference.backward(network, params, cache, dlogits), lr_k
            )
        out = reference.forward(network, params, X).logits[:, 0, :]
    finite = np.isfinite(out).all(axis=-1)
    spread = np.where(finite, out.max(axis=-1) - out.min(axis=-1), np.inf)
    return float(np.mean(finite & (spread <= CONSTANT))), float(np.mean(~finite))


@dataclass
class CollapseMap:
    """Born-dead and collapsed-after-training shares, ``(init, depth, width)`` arrays."""

    depths: tuple[int, ...]
    widths: tuple[int, ...]
    inits: tuple[str, ...]
    trials: int
    runs: int
    iterations: int
    born_dead: np.ndarray
    collapsed: np.ndarray
    diverged: np.ndarray
    bound: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.bound = np.array([[dead_at_a_point(d, w) for w in self.widths] for d in self.depths])

    def figure(self) -> Figure:
        from initlab.viz.collapse import collapse_figure

        return collapse_figure(
            self.depths, self.widths, self.inits, self.born_dead, self.collapsed, self.bound
        )

    def files(self) -> dict[str, bytes | str]:
        """``collapse.png`` and ``collapse.json``."""
        from initlab.report.document import png_bytes

        return {"collapse.png": png_bytes(self.figure()), "collapse.json": self.to_json()}

    def to_json(self) -> str:
        return json.dumps(
            {
                "depths": list(self.depths),
                "widths": list(self.widths),
                "inits": list(self.inits),
                "trials": self.trials,
                "runs": self.runs,
                "iterations": self.iterations,
                "born_dead": self.born_dead.tolist(),
                "collapsed_after_training": self.collapsed.tolist(),
                "diverged_after_training": self.diverged.tolist(),
                "single_input_bound_zero_bias": self.bound.tolist(),
            },
            indent=2,
        )


def int_list(name: str, value: str | Sequence[int]) -> tuple[int, ...]:
    """``"2,4,6"`` or ``[2, 4, 6]`` → ``(2, 4, 6)``, each an integer >= 1, at least one."""
    items = [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        try:
            number = int(item) if isinstance(item, str) else item
        except ValueError:
            raise InitlabError(
                f"{name} must be integers >= 1 separated by commas; got {value!r}"
            ) from None
        out.append(checks.positive_integer(name, number))
    if not out:
        raise InitlabError(f"give at least one value for {name}")
    return tuple(out)


def collapse_map(
    depths: str | Sequence[int] = (2, 5, 10, 15, 20),
    widths: str | Sequence[int] = (2, 3, 4, 6),
    inits: str | Sequence[str] = ("he", "rai"),
    trials: int = 1000,
    runs: int = 16,
    iterations: int = 600,
    lr: float = 0.05,
    seed: int = 0,
) -> CollapseMap:
    """:func:`~initlab.signal.born_dead.born_dead_probability` (``trials`` draws) and
    :func:`collapsed_after_training` (``runs`` runs; ``runs=0`` skips training) over every
    depth × width for each initializer."""
    depths_, widths_ = int_list("depths", depths), int_list("widths", widths)
    inits_ = tuple(i.spec for i in initializers.get_list(inits))
    trials = checks.positive_integer("trials", trials)
    iterations = checks.integer_at_least("iterations", iterations, 0)
    lr = checks.positive_number("lr", lr)
    runs = checks.integer_at_least("runs", runs, 0)
    shape = (len(inits_), len(depths_), len(widths_))
    born, collapsed, diverged = np.zeros(shape), np.full(shape, np.nan), np.full(shape, np.nan)
    for i, init in enumerate(inits_):
        for a, depth in enumerate(depths_):
            for b, width in enumerate(widths_):
                born[i, a, b] = born_dead_probability(
                    depth, width, init, trials=trials, seed=seed
                ).probability
                if runs:
                    collapsed[i, a, b], diverged[i, a, b] = collapsed_after_training(
                        depth, width, init, runs, iterations, lr, seed=seed
                    )
    return CollapseMap(
        depths_, widths_, inits_, trials, runs, iterations, born, collapsed, diverged
    )
