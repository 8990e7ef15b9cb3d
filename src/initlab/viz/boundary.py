"""The decision-boundary figure: each run's predicted class over the plane, with the points.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.params import stack
from initlab.nn.network import Network
from initlab.nn.outputs import decide
from initlab.runs.run import Run
from initlab.viz.points import class_cmap, class_colors, comparable, scatter
from initlab.viz.style import drawing_scale, new_figure

COURSE_LIMITS = (-1.5, 1.5)  # the course's axes for the decision boundary
COLUMNS = 4  # panels per row: many initializers make rows, not one long strip


def plot_limits(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """``(xlim, ylim)`` for a 2-D boundary: the course's [-1.5, 1.5]² when the points fit in it,
    else the points' range widened by 10 % on each side."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    if lo.min() >= COURSE_LIMITS[0] and hi.max() <= COURSE_LIMITS[1]:
        return COURSE_LIMITS, COURSE_LIMITS
    pad = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    xlim = (float(lo[0] - pad[0]), float(hi[0] + pad[0]))
    return xlim, (float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def boundary_figure(
    network: Network,
    runs: Sequence[Run],
    dataset: Dataset,
    limits: tuple[float, float] | None = None,
    resolution: int = 300,
) -> Figure:
    """One panel per run: the predicted class over the plane and the training points; on the
    course's axes [-1.5, 1.5] when the data fits them (``limits`` for both axes, else
    :func:`plot_limits`). Data beyond :data:`~initlab.viz.style.LIMIT` is drawn in units of a power
    of ten (:func:`~initlab.viz.style.drawing_scale`), and the figure says so. Any number of
    classes; the grid is predicted in chunks to bound memory."""
    n = len(runs)
    factor, suffix = drawing_scale(dataset.X_train)  # data near 1e308 is drawn in its units
    drawn_X = dataset.X_train / factor
    xlim, ylim = (limits, limits) if limits is not None else plot_limits(drawn_X)
    equal = comparable(np.array([xlim, ylim]).T)
    ratio = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]) if equal else 1.0
    columns = min(n, COLUMNS)
    rows = math.ceil(n / columns)
    panel = 3.3 * min(max(ratio, 0.5), 1.4) + 0.5  # + the two-line title and the x label
    fig = new_figure(3.3 * columns + 0.4, panel * rows + 0.5)  # + the class legend
    grid = fig.subplots(rows, columns, squeeze=False).ravel()
    axes = grid[:n]
    for unused in grid[n:]:
        unused.set_visible(False)
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    labels = _predicted(network, runs, xx, yy, factor)
    cmap = class_cmap(max(2, dataset.n_classes))
    for ax, run in zip(axes, runs, strict=True):
        if run.diverged:
            ax.text(
                0.5,
                0.5,
                f"diverged at\niteration {run.diverged_at}",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=12,
                color="#d62728",
            )
        else:
            ax.contourf(
                xx,
                yy,
                labels[id(run)],
                levels=np.arange(-0.5, dataset.n_classes),
                cmap=cmap,
                alpha=0.35,
            )
        scatter(
            ax,
            drawn_X,
            dataset.y_train,
            max(2, dataset.n_classes),
            s=12,
            edgecolors="k",
            linewidths=0.2,
        )
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        if equal:
            ax.set_aspect("equal")
        accuracy = (
            ""
            if run.diverged
            else f"\ntrain {run.train_accuracy:.1%} · test {run.test_accuracy:.1%}"
        )
        ax.set_title(f"{run.init}{accuracy}", fontsize=10)
        ax.set_xlabel("x₁" + suffix, fontsize=9)
        ax.set_ylabel("x₂" + suffix, fontsize=9)
    _class_legend(fig, dataset)
    if suffix:
        fig.supxlabel(f"both axes in units of{suffix.strip(' ()').replace('×', ' ')}", fontsize=9)
    return fig


def _predicted(
    network: Network, runs: Sequence[Run], xx: np.ndarray, yy: np.ndarray, factor: float
) -> dict[int, np.ndarray]:
    """``id(run)`` → the class each run that did not diverge predicts at every grid point
    (``xx``, ``yy`` in drawing units, ``× factor`` in the data's), predicted in chunks."""
    points = np.column_stack([xx.ravel(), yy.ravel()])
    alive = [run for run in runs if not run.diverged]
    if not alive:
        return {}
    params = stack([run.final_params for run in alive])
    with np.errstate(over="ignore", invalid="ignore"):
        decided = np.concatenate(
            [
                decide(reference.predict_proba(network, params, chunk.T * factor))
                for chunk in np.array_split(points, max(1, len(points) // 20000))
            ],
            axis=-1,
        )
    return {id(run): decided[k].reshape(xx.shape) for k, run in enumerate(alive)}


def _class_legend(fig: Figure, dataset: Dataset) -> None:
    """One legend for the figure: each class's colour, as the points and the shaded regions."""
    n = max(2, dataset.n_classes)
    handles = [
        Patch(facecolor=c, edgecolor="k", linewidth=0.3, label=_class_label(dataset.class_name(k)))
        for k, c in enumerate(class_colors(n)[: dataset.n_classes])
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6), fontsize=9)


def _class_label(name: str) -> str:
    """``"class 0"`` for a numbered class, the name itself for a named one (``"setosa"``)."""
    return f"class {name}" if name.lstrip("-").isdigit() else name
