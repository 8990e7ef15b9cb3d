"""The comparison's figures: the data, the cost curves and the decision boundaries.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from initlab.data.dataset import Dataset
from initlab.engine import reference
from initlab.engine.params import stack
from initlab.nn.network import Network
from initlab.nn.outputs import decide
from initlab.runs.run import Run
from initlab.viz.style import CLASS_COLORS, color, new_figure

COURSE_LIMITS = (-1.5, 1.5)  # the course's axes for the decision boundary


def class_colors(n_classes: int) -> list[str]:
    """One colour per class: initlab's six, or matplotlib's tab20 for more classes."""
    if n_classes <= len(CLASS_COLORS):
        return CLASS_COLORS[: max(2, n_classes)]
    return [to_hex(c) for c in colormaps["tab20"].colors[:n_classes]] + ["#444444"] * max(
        0, n_classes - 20
    )


def _class_cmap(n_classes: int) -> ListedColormap:
    return ListedColormap(class_colors(n_classes))


def _scatter(ax, X: np.ndarray, y: np.ndarray, n_classes: int | None = None, **kwargs) -> None:
    n = max(2, int(y.max()) + 1 if n_classes is None else n_classes)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=_class_cmap(n), vmin=0, vmax=n - 1, **kwargs)


def project(dataset: Dataset) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """The training and test points on two plotting axes, and the axes' labels.

    2 features: as they are. More: the first two principal components of the training set (from
    its SVD; each component's sign fixed so its largest entry is positive). 1 feature: the feature
    against the class, spread a little within the class by a fixed low-discrepancy sequence.
    """
    X_train, X_test = dataset.X_train, dataset.X_test
    if dataset.n_features == 2:
        return X_train, X_test, (dataset.feature_name(0), dataset.feature_name(1))
    if dataset.n_features == 1:

        def strip(X: np.ndarray, y: np.ndarray) -> np.ndarray:
            spread = (np.arange(len(y)) * 0.6180339887498949) % 1.0 - 0.5
            return np.column_stack([X[:, 0], y + 0.4 * spread])

        return (
            strip(X_train, dataset.y_train),
            strip(X_test, dataset.y_test),
            (dataset.feature_name(0), "class"),
        )
    mean = X_train.mean(axis=0)
    _, singular, components = np.linalg.svd(X_train - mean, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    components = components * signs[:, None]
    share = singular[:2] ** 2 / max(float((singular**2).sum()), 1e-300)
    labels = tuple(f"principal component {i + 1} ({share[i]:.0%} of the variance)" for i in (0, 1))
    return (X_train - mean) @ components.T, (X_test - mean) @ components.T, labels


def projection_note(dataset: Dataset) -> str:
    """A sentence for the data figure's caption when it does not show the raw 2 features."""
    if dataset.n_features == 2:
        return ""
    if dataset.n_features == 1:
        return " The single feature runs across; the points are spread up and down by class."
    return (
        f" The data has {dataset.n_features} features; the figure shows it on its first two "
        "principal components (the directions of largest variance of the training set)."
    )


def dataset_figure(dataset: Dataset) -> Figure:
    """Scatter of the training points (filled) and test points (hollow), coloured by class;
    data that is not 2-D is shown as :func:`project` places it."""
    fig = new_figure(5.5, 5)
    ax = fig.add_subplot()
    train, test, (xlabel, ylabel) = project(dataset)
    n = max(2, dataset.n_classes)
    _scatter(ax, train, dataset.y_train, n, s=22, edgecolors="k", linewidths=0.3)
    colors = class_colors(n)
    ax.scatter(
        test[:, 0],
        test[:, 1],
        facecolors="none",
        edgecolors=[colors[int(c)] for c in dataset.y_test],
        s=30,
        linewidths=1.0,
    )
    if dataset.class_names is not None or dataset.n_classes > 2:
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=colors[c],
                markeredgecolor="k",
                markeredgewidth=0.3,
                label=dataset.class_name(c),
            )
            for c in range(dataset.n_classes)
        ]
        ax.legend(handles=handles, title="class", fontsize=8, title_fontsize=8, loc="best")
    ax.set_title(
        f"{dataset.spec.partition(':')[0]}: {len(dataset.y_train)} train (filled), "
        f"{len(dataset.y_test)} test (hollow)",
        fontsize=10,
    )
    ax.set_xlabel("$x_1$" if dataset.feature_names is None and dataset.n_features == 2 else xlabel)
    ax.set_ylabel("$x_2$" if dataset.feature_names is None and dataset.n_features == 2 else ylabel)
    if dataset.n_features == 2 and _comparable(train):
        ax.set_aspect("equal", adjustable="datalim")
    return fig


def _comparable(X: np.ndarray) -> bool:
    """Whether the two axes have similar ranges (then they are drawn to the same scale)."""
    spans = np.ptp(X, axis=0)
    return bool(spans.min() > 0 and spans.max() / spans.min() < 3)


def plot_limits(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """``(xlim, ylim)`` for a 2-D boundary: the course's [-1.5, 1.5]² when the points fit in it,
    else the points' range widened by 10 % on each side."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    if lo.min() >= COURSE_LIMITS[0] and hi.max() <= COURSE_LIMITS[1]:
        return COURSE_LIMITS, COURSE_LIMITS
    pad = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    xlim = (float(lo[0] - pad[0]), float(hi[0] + pad[0]))
    return xlim, (float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def cost_figure(runs: Sequence[Run], lr: float, loss: str = "binary cross-entropy") -> Figure:
    """The cost of every run against the iteration, on one axis (log scale when costs span
    more than two decades); a diverged run ends with a cross."""
    fig = new_figure(7, 4.2)
    ax = fig.add_subplot()
    spread = [c for run in runs for _, c in run.costs if c > 0]
    for i, run in enumerate(runs):
        if not run.costs:
            continue
        its, costs = zip(*run.costs, strict=True)
        label = run.init + (f" (diverged at {run.diverged_at})" if run.diverged else "")
        ax.plot(its, costs, marker="o", markersize=3, color=color(i), label=label)
        if run.diverged:
            ax.plot(its[-1], costs[-1], marker="x", markersize=10, color=color(i))
    if spread and max(spread) / min(spread) > 100:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(f"cost ({loss})")
    ax.set_title(f"Cost during training (learning rate {lr:g})", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return fig


def boundary_figure(
    network: Network,
    runs: Sequence[Run],
    dataset: Dataset,
    limits: tuple[float, float] | None = None,
    resolution: int = 300,
) -> Figure:
    """One panel per run: the predicted class over the plane and the training points; on the
    course's axes [-1.5, 1.5] when the data fits them (``limits`` for both axes, else
    :func:`plot_limits`). Any number of classes; the grid is predicted in chunks to bound memory."""
    n = len(runs)
    xlim, ylim = (limits, limits) if limits is not None else plot_limits(dataset.X_train)
    equal = _comparable(np.array([xlim, ylim]).T)
    ratio = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]) if equal else 1.0
    fig = new_figure(3.6 * n, 3.6 * min(max(ratio, 0.5), 1.4) + 0.3)  # + the two-line titles
    axes = fig.subplots(1, n, squeeze=False)[0]
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    alive = [run for run in runs if not run.diverged]
    labels = {}
    if alive:
        params = stack([run.final_params for run in alive])
        with np.errstate(over="ignore", invalid="ignore"):
            decided = np.concatenate(
                [
                    decide(reference.predict_proba(network, params, chunk.T))
                    for chunk in np.array_split(points, max(1, len(points) // 20000))
                ],
                axis=-1,
            )
        labels = {id(run): decided[k].reshape(xx.shape) for k, run in enumerate(alive)}
    cmap = _class_cmap(max(2, dataset.n_classes))
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
        _scatter(
            ax,
            dataset.X_train,
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
    return fig
