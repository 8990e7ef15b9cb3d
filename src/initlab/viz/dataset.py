"""The dataset figure: the training and test points, on their first two principal components
when there are more than 2 features.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved
here."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from initlab.data.dataset import Dataset
from initlab.data.naming import dataset_name
from initlab.viz.points import class_colors, comparable, scatter
from initlab.viz.style import drawing_scale, new_figure


def project(dataset: Dataset) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """The training and test points on two plotting axes, and the axes' labels.

    2 features: as they are. More: the first two principal components of the training set (from
    its SVD; each component's sign fixed so its largest entry is positive). 1 feature: the feature
    against the class, spread a little within the class by a fixed low-discrepancy sequence.
    Components of data beyond :data:`~initlab.viz.style.LIMIT` are in units of a power of ten,
    named in the labels.
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
    factor, unit = drawing_scale(X_train)  # the SVD of data near 1e308 would overflow
    X_train, X_test = X_train / factor, X_test / factor
    mean = X_train.mean(axis=0)
    _, singular, components = np.linalg.svd(X_train - mean, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    components = components * signs[:, None]
    share = singular[:2] ** 2 / max(float((singular**2).sum()), 1e-300)
    first, second = (
        f"principal component {i + 1} ({share[i]:.0%} of the variance)" for i in (0, 1)
    )
    return (
        (X_train - mean) @ components.T,
        (X_test - mean) @ components.T,
        (first + unit, second + unit),
    )


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
    data that is not 2-D is shown as :func:`project` places it. Coordinates beyond
    :data:`~initlab.viz.style.LIMIT` are drawn in units of a power of ten, named on the axes."""
    fig = new_figure(5.5, 5)
    ax = fig.add_subplot()
    train, test, (xlabel, ylabel) = project(dataset)
    scaled = slice(0, 1) if dataset.n_features == 1 else slice(None)  # not the class strip
    factor, suffix = drawing_scale(np.concatenate([train[:, scaled], test[:, scaled]]))
    train, test = train.copy(), test.copy()
    train[:, scaled] /= factor  # data near 1e308 is drawn in units of a power of ten
    test[:, scaled] /= factor
    n = max(2, dataset.n_classes)
    scatter(ax, train, dataset.y_train, n, s=22, edgecolors="k", linewidths=0.3)
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
        f"{dataset_name(dataset.spec)}: {len(dataset.y_train)} train (filled), "
        f"{len(dataset.y_test)} test (hollow)",
        fontsize=10,
    )
    raw = dataset.feature_names is None and dataset.n_features == 2
    ax.set_xlabel(("$x_1$" if raw else xlabel) + suffix)
    ax.set_ylabel(("$x_2$" if raw else ylabel) + ("" if dataset.n_features == 1 else suffix))
    if dataset.n_features == 2 and comparable(train):
        ax.set_aspect("equal", adjustable="datalim")
    return fig
