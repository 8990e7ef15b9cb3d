"""The comparison's figures: the data, the cost curves and the decision boundaries.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.params import stack
from initlab.nn.network import Network
from initlab.nn.outputs import decide
from initlab.runs.run import Run
from initlab.viz.style import CLASS_COLORS, color, new_figure

COURSE_LIMITS = (-1.5, 1.5)  # the course's axes for the decision boundary


def _scatter(ax, X: np.ndarray, y: np.ndarray, **kwargs) -> None:
    cmap = ListedColormap(CLASS_COLORS[: max(2, int(y.max()) + 1)])
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=0, vmax=max(1, int(y.max())), **kwargs)


def dataset_figure(dataset: Dataset) -> Figure:
    """Scatter of the training points (filled) and test points (hollow), coloured by class."""
    fig = new_figure(5.5, 5)
    ax = fig.add_subplot()
    _scatter(ax, dataset.X_train, dataset.y_train, s=22, edgecolors="k", linewidths=0.3)
    cmap = ListedColormap(CLASS_COLORS[: max(2, dataset.n_classes)])
    ax.scatter(
        dataset.X_test[:, 0],
        dataset.X_test[:, 1],
        facecolors="none",
        edgecolors=cmap(dataset.y_test % cmap.N),
        s=30,
        linewidths=1.0,
    )
    ax.set_title(f"{dataset.spec}: {len(dataset.y_train)} train (filled), "
                 f"{len(dataset.y_test)} test (hollow)", fontsize=10)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal", adjustable="datalim")
    return fig


def cost_figure(runs: Sequence[Run], lr: float) -> Figure:
    """The cost of every run against the iteration, on one axis (log scale when costs span
    more than two decades); a diverged run ends with a cross."""
    fig = new_figure(7, 4.2)
    ax = fig.add_subplot()
    spread = [c for run in runs for _, c in run.costs if c > 0]
    for i, run in enumerate(runs):
        if not run.costs:
            continue
        its, costs = zip(*run.costs)
        label = run.init + (f" (diverged at {run.diverged_at})" if run.diverged else "")
        ax.plot(its, costs, marker="o", markersize=3, color=color(i), label=label)
        if run.diverged:
            ax.plot(its[-1], costs[-1], marker="x", markersize=10, color=color(i))
    if spread and max(spread) / min(spread) > 100:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost (binary cross-entropy)")
    ax.set_title(f"Cost during training (learning rate {lr:g})", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return fig


def boundary_figure(
    network: Network,
    runs: Sequence[Run],
    dataset: Dataset,
    limits: tuple[float, float] = COURSE_LIMITS,
    resolution: int = 300,
) -> Figure:
    """One panel per run: the predicted class over the plane and the training points, on the
    course's axes [-1.5, 1.5]."""
    n = len(runs)
    fig = new_figure(3.6 * n, 3.9)
    axes = fig.subplots(1, n, squeeze=False)[0]
    grid = np.linspace(limits[0], limits[1], resolution)
    xx, yy = np.meshgrid(grid, grid)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    alive = [run for run in runs if not run.diverged]
    labels = {}
    if alive:
        params = stack([run.final_params for run in alive])
        proba = reference.predict_proba(network, params, points.T)
        labels = {id(run): decide(proba[k]).reshape(xx.shape) for k, run in enumerate(alive)}
    cmap = ListedColormap(CLASS_COLORS[: max(2, dataset.n_classes)])
    for ax, run in zip(axes, runs):
        if run.diverged:
            ax.text(0.5, 0.5, f"diverged at\niteration {run.diverged_at}", ha="center",
                    va="center", transform=ax.transAxes, fontsize=12, color="#d62728")
        else:
            ax.contourf(xx, yy, labels[id(run)], levels=np.arange(-0.5, dataset.n_classes),
                        cmap=cmap, alpha=0.35)
        _scatter(ax, dataset.X_train, dataset.y_train, s=12, edgecolors="k", linewidths=0.2)
        ax.set_xlim(limits)
        ax.set_ylim(limits)
        ax.set_aspect("equal")
        accuracy = "" if run.diverged else f"\ntrain {run.train_accuracy:.1%} · test {run.test_accuracy:.1%}"
        ax.set_title(f"{run.init}{accuracy}", fontsize=10)
    return fig
