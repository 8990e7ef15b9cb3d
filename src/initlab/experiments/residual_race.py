"""The residual race: residual initializers on one deep residual MLP, beside a plain MLP of the
same depth with He, with each network's per-layer gradient profile at initialization.

ReZero's own example (Bachlechner et al. 2021) trains a deep fully connected residual network
where the plain one stalls; here ``blocks`` residual blocks of ``width`` units
(``auto,width,res<width>x<blocks>[:m],auto``, :mod:`initlab.nn.residual`) race under each scheme
(:mod:`initlab.initializers.residual`, ZerO, IDInit, He) against the plain MLP with the same
number of weight layers, all by :func:`~initlab.experiments.compare.compare` (same data, seed,
learning rate and iterations). The gradient profile is ‖∂C/∂W_l‖_F of every layer at
initialization, from the reference engine's backward pass.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from initlab import checks, data, initializers
from initlab.engine import reference
from initlab.engine.initial import initial_batch
from initlab.errors import InitlabError
from initlab.experiments.compare import compare
from initlab.nn import outputs
from initlab.nn.network import Network
from initlab.runs import defaults as D

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from initlab.experiments.comparison import Comparison

RACE_INITS = ("rezero", "skipinit", "fixup", "zero", "idinit", "he")


def gradient_profile(network: Network, inits: Sequence[str], dataset: data.Dataset, seed: int):
    """``(K, L)``: ‖∂C/∂W_l‖_F of every layer for each initializer's network at initialization."""
    params = initial_batch(network, [(initializers.get(i), seed) for i in inits], dataset.X_train.T)
    out = network.output_layer()
    Y = outputs.targets(dataset.y_train, out, dataset.n_classes)
    with np.errstate(all="ignore"):
        _, grads = reference.gradients(network, params, dataset.X_train.T, Y)
    return np.stack([np.sqrt((dW**2).sum(axis=(-2, -1))) for dW, _ in grads[: network.depth]], 1)


@dataclass
class ResidualRace:
    """The residual comparison, the plain one, and both gradient profiles."""

    residual: Comparison
    plain: Comparison
    residual_profile: np.ndarray
    plain_profile: np.ndarray

    def figure(self) -> Figure:
        from initlab.viz.residual_race import race_figure

        runs = [*self.residual.runs, *self.plain.runs]
        labels = [r.init for r in self.residual.runs] + [
            f"plain MLP, {r.init}" for r in self.plain.runs
        ]
        profiles = np.vstack([self.residual_profile, self.plain_profile])
        return race_figure(
            runs, labels, profiles, str(self.residual.network), self.residual.dataset.name
        )

    def to_json(self) -> str:
        rows = []
        for runs, profile, kind in (
            (self.residual.runs, self.residual_profile, "residual"),
            (self.plain.runs, self.plain_profile, "plain"),
        ):
            for run, grads in zip(runs, profile, strict=True):
                rows.append(
                    {
                        "network": kind,
                        "init": run.init,
                        "final_cost": run.final_cost,
                        "diverged_at": run.diverged_at if run.diverged else None,
                        "costs": run.costs,
                        "gradient_norms_at_init": [float(g) for g in grads],
                    }
                )
        header = {"residual": str(self.residual.network), "plain": str(self.plain.network)}
        return json.dumps({**header, "runs": rows}, indent=2)

    def files(self) -> dict[str, bytes | str]:
        """``race.png`` and ``race.json``."""
        from initlab.report.document import png_bytes

        return {"race.png": png_bytes(self.figure()), "race.json": self.to_json()}


def residual_race(
    inits: str | Sequence[str] = RACE_INITS,
    *,
    blocks: int = 64,
    width: int = 16,
    branch_layers: int = 1,
    dataset: str = "spiral",
    lr: float = 0.05,
    iterations: int = 1000,
    every: int = 50,
    seed: int = D.SEED,
    engine: str = D.ENGINE,
) -> ResidualRace:
    """Race ``inits`` on ``auto,width,res<width>x<blocks>[:branch_layers],auto`` against a plain
    ``auto,width×(blocks·branch_layers + 1),auto`` MLP with He (see the module)."""
    blocks = checks.positive_integer("blocks", blocks)
    width = checks.positive_integer("width", width)
    m = checks.integer_at_least("branch_layers", branch_layers, 1)
    if m > 2:
        raise InitlabError(f"branch_layers must be 1 or 2; got {branch_layers!r}")
    dataset_ = data.load(dataset)
    suffix = f":{m}" if m > 1 else ""
    residual_layers = f"auto,{width},res{width}x{blocks}{suffix},auto"
    plain_layers = ",".join(["auto", *[str(width)] * (blocks * m + 1), "auto"])
    kwargs = dict(
        dataset=dataset_, lr=lr, iterations=iterations, every=every, seed=seed, engine=engine
    )
    residual = compare(inits, residual_layers, **kwargs)  # type: ignore[arg-type]
    plain = compare(["he"], plain_layers, **kwargs)  # type: ignore[arg-type]
    return ResidualRace(
        residual,
        plain,
        gradient_profile(residual.network, [r.init for r in residual.runs], dataset_, seed),
        gradient_profile(plain.network, ["he"], dataset_, seed),
    )
