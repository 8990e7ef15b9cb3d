"""The width-scaling study: coordinate check and learning-rate transfer for each parametrization
(:mod:`initlab.signal.width_scaling`, rules in :mod:`initlab.nn.parametrization`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from initlab._version import __version__
from initlab.analysis.json_numbers import json_numbers
from initlab.checks import integer_at_least, positive_integer, positive_number
from initlab.errors import InitlabError
from initlab.experiments.result import Result, now
from initlab.nn import activations
from initlab.nn.parametrization import check_parametrization
from initlab.report.document import FigureSection, Report
from initlab.runs import defaults as D
from initlab.runs.spec import load_dataset, parse_seeds
from initlab.signal import width_scaling as ws
from initlab.viz import coordcheck as figures

MAX_WIDTH = 8192


@dataclass(kw_only=True, repr=False)
class WidthScaling(Result):
    """``sizes[p]`` ``(widths, steps + 1, layers)``: RMS pre-activations per width, step and layer
    under parametrization p; ``losses[p]`` ``(lr_widths, lrs)``: training loss after
    ``lr_steps``."""

    activation: str
    dataset: str
    depth: int
    widths: tuple[int, ...]
    base_width: int
    steps: int
    lr: float
    batch: int
    seeds: tuple[int, ...]
    parametrizations: tuple[str, ...]
    sizes: dict[str, np.ndarray]
    lrs: tuple[float, ...]
    lr_widths: tuple[int, ...]
    lr_steps: int
    losses: dict[str, np.ndarray]
    created: str = field(default_factory=now)

    def growth(self, parametrization: str) -> np.ndarray:
        """Per layer: RMS at the widest width over RMS at the narrowest, after the last step."""
        last = self.sizes[parametrization][:, -1, :]
        return last[-1] / last[0]

    def best_lrs(self, parametrization: str) -> list[float | None]:
        """The η of the lowest final loss at each of ``lr_widths`` (``None``: all diverged)."""
        out: list[float | None] = []
        for row in self.losses.get(parametrization, np.zeros((0, 0))):
            out.append(float(self.lrs[int(np.argmin(row))]) if np.isfinite(row).any() else None)
        return out

    def table(self) -> pd.DataFrame:
        rows = []
        for p in self.parametrizations:
            growth = self.growth(p)
            rows.append(
                {
                    "parametrization": p,
                    "hidden growth (max)": float(np.max(growth[:-1])) if len(growth) > 1 else None,
                    "logit growth": float(growth[-1]),
                    "best lr per width": ", ".join(
                        f"{w}: {b:g}" if b is not None else f"{w}: —"
                        for w, b in zip(self.lr_widths, self.best_lrs(p), strict=True)
                    ),
                }
            )
        return pd.DataFrame(rows)

    def figures(self) -> tuple[Any, Any]:
        coords = figures.coord_check(
            np.array(self.widths),
            {p: self.sizes[p][:, -1, :] for p in self.parametrizations},
            title=f"{self.activation}, {self.depth} hidden layers, after {self.steps} SGD steps "
            f"(lr {self.lr:g}, batch {self.batch})",
        )
        transfer = figures.lr_transfer(
            np.array(self.lrs),
            np.array(self.lr_widths),
            self.losses,
            title=f"training loss after {self.lr_steps} SGD steps",
        )
        return coords, transfer

    def to_dict(self) -> dict[str, Any]:
        return {
            "initlab_version": __version__,
            "created": self.created,
            "study": "coordcheck",
            "activation": self.activation,
            "dataset": self.dataset,
            "depth": self.depth,
            "widths": list(self.widths),
            "base_width": self.base_width,
            "steps": self.steps,
            "lr": self.lr,
            "batch": self.batch,
            "seeds": list(self.seeds),
            "coord_check": {
                p: [[json_numbers(step) for step in width] for width in self.sizes[p]]
                for p in self.parametrizations
            },
            "lrs": list(self.lrs),
            "lr_widths": list(self.lr_widths),
            "lr_steps": self.lr_steps,
            "final_loss": {
                p: [json_numbers(row) for row in self.losses[p]] for p in self.parametrizations
            },
            "best_lr": {p: self.best_lrs(p) for p in self.parametrizations},
        }

    def report(self) -> Report:
        coords, transfer = self.figures()
        return Report(
            title="Width scaling: SP beside μP",
            lead=(
                "The size of each layer's pre-activations after a few SGD steps, across widths "
                "(the coord check), and the training loss over learning rates per width. Under "
                "the standard parametrization both drift with the width; under μP (Yang et al. "
                "2022, Tensor Programs V) they stay put."
            ),
            table=self.table(),
            sections=[
                FigureSection("coordcheck", "Coord check", "One line per layer.", coords),
                FigureSection(
                    "lr_transfer", "Learning-rate transfer", "One curve per width.", transfer
                ),
            ],
            settings={"initlab": __version__, "created": self.created},
        )

    def heading(self) -> str:
        widths = f"{self.widths[0]}–{self.widths[-1]}"
        return f"{self.activation}, {self.depth} hidden layers, widths {widths}"

    def outcomes(self) -> list[tuple[str, str]]:
        return [
            (
                p,
                f"logits ×{self.growth(p)[-1]:.3g} from width {self.widths[0]} to "
                f"{self.widths[-1]}; best lr {self.best_lrs(p)}",
            )
            for p in self.parametrizations
        ]


def _widths(name: str, values: Sequence[int]) -> tuple[int, ...]:
    widths = tuple(sorted({integer_at_least(name, w, 1) for w in values}))
    if not widths:
        raise InitlabError(f"give at least one width in {name}, e.g. 64,256,1024")
    if widths[-1] > MAX_WIDTH:
        raise InitlabError(f"{name}: width {widths[-1]:,} is too wide; at most {MAX_WIDTH:,}")
    return widths


def coordcheck(
    activation: str = D.COORD_ACTIVATION,
    widths: Sequence[int] = D.COORD_WIDTHS,
    *,
    parametrizations: Sequence[str] = ("sp", "mup"),
    depth: int = D.COORD_DEPTH,
    steps: int = D.COORD_STEPS,
    lr: float = D.COORD_LR,
    dataset: str = D.COORD_DATASET,
    batch: int = D.COORD_BATCH,
    seeds: str | int | Sequence[int] = D.COORD_SEEDS,
    base_width: int | None = None,
    sigma_w2: float = D.COORD_SIGMA_W2,
    lrs: Sequence[float] = D.COORD_LRS,
    lr_widths: Sequence[int] = D.COORD_LR_WIDTHS,
    lr_steps: int = D.COORD_LR_STEPS,
) -> WidthScaling:
    """The coord check over ``widths`` and the loss over ``lrs`` at ``lr_widths``, for each of
    ``parametrizations`` (``"sp"``, ``"ntk"``, ``"mup"``); ``base_width`` (default: the smallest
    width) is where every parametrization equals SP. Hidden weights N(0, σ_w²/fan_in)."""
    act = activations.get(activation)
    names = tuple(dict.fromkeys(check_parametrization(p) for p in parametrizations))
    widths_ = _widths("widths", widths)
    lr_widths_ = _widths("lr_widths", lr_widths) if lr_widths else ()
    depth = integer_at_least("depth", depth, 1)
    steps = integer_at_least("steps", steps, 0)
    lr = positive_number("lr", lr)
    batch = positive_integer("batch", batch)
    lr_steps = integer_at_least("lr_steps", lr_steps, 1)
    rates = tuple(positive_number("lrs", x) for x in lrs)
    sigma_w2 = positive_number("sigma_w2", sigma_w2)
    seeds_ = parse_seeds(seeds)
    base = integer_at_least("base_width", base_width, 1) if base_width is not None else widths_[0]
    data = load_dataset(dataset)
    network = ws.base_network(data, depth, act.spec)
    X, Y = ws.batch_of(network, data, batch)
    sizes = {
        p: np.array(
            [
                ws.coord_sizes(network, p, w, base, X, Y, lr, steps, seeds_, sigma_w2)
                for w in widths_
            ]
        )
        for p in names
    }
    losses = {
        p: np.array(
            [
                ws.final_losses(network, p, w, base, X, Y, rates, lr_steps, seeds_[0], sigma_w2)
                for w in lr_widths_
            ]
        ).reshape(len(lr_widths_), len(rates))
        for p in names
    }
    return WidthScaling(
        activation=act.spec,
        dataset=data.spec,
        depth=depth,
        widths=widths_,
        base_width=base,
        steps=steps,
        lr=lr,
        batch=X.shape[1],
        seeds=seeds_,
        parametrizations=names,
        sizes=sizes,
        lrs=rates,
        lr_widths=lr_widths_,
        lr_steps=lr_steps,
        losses=losses,
    )
