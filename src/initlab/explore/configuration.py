"""A session's configuration: the data, the network, the initializers and their initial weights.

:func:`build` turns the page's :class:`~initlab.explore.messages.Settings` (and an uploaded CSV)
into a :class:`Configuration`, checking sizes against the session's
:class:`~initlab.explore.limits.Limits`. It draws every model's initial weights once, each
initializer from a fresh ``RandomState(seed)`` exactly as :func:`initlab.compare` does, and keeps
them: rewinding returns to these arrays, so the same numbers come back bit for bit.

It also fixes the picture: the plane shown (the two features, or the first two principal
components of the training data when there are more) and the grid of points on which the
decision boundary is evaluated (2-feature data only: a boundary in a projection would be a guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab.explore import lab
from initlab.explore.limits import Limits
from initlab.explore.messages import Settings, Upload


@dataclass
class Configuration:
    """Everything fixed for a run of the page until the settings change."""

    settings: Settings
    dataset: lab.Dataset
    network: lab.Network
    inits: list[Any]
    X: np.ndarray  # training inputs (n_in, m), the engine's layout
    Y: np.ndarray  # training targets (n_out, m)
    X_test: np.ndarray
    Y_test: np.ndarray
    initial: lab.Params
    at_init: lab.LayerStats
    theories: list[dict[str, Any] | None]
    grid: np.ndarray | None  # (2, cells²) points of the plane, row by row from the top
    extent: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max of the plane
    cells: int
    projection: np.ndarray | None  # (n_features, 2) principal axes when the data has > 2 features
    center: np.ndarray
    upload_name: str | None = None

    @property
    def n_models(self) -> int:
        return len(self.inits)

    def describe(self) -> dict[str, Any]:
        """What the page draws once per configuration: the settings as run, the network, the
        points in the plane, the grid's extent, each model's theory."""
        ds = self.dataset
        return {
            "settings": self.settings.model_dump(),
            "upload": self.upload_name,
            "dataset": ds.spec,
            "n_classes": ds.n_classes,
            "n_features": ds.n_features,
            "class_names": [ds.class_name(c) for c in range(ds.n_classes)],
            "sizes": list(self.network.sizes),
            "activations": list(self.network.activations),
            "output": self.network.output,
            "inits": [ini.spec for ini in self.inits],
            "projected": self.projection is not None,
            "extent": list(self.extent),
            "cells": self.cells if self.grid is not None else 0,
            "train": _points(self.plane(ds.X_train), ds.y_train),
            "test": _points(self.plane(ds.X_test), ds.y_test),
            "theory": self.theories,
        }

    def plane(self, X: np.ndarray) -> np.ndarray:
        """Samples ``(m, n_features)`` as points of the plane shown ``(m, 2)``."""
        if self.projection is None:
            return X
        return (X - self.center) @ self.projection


def _points(xy: np.ndarray, y: np.ndarray) -> list[list[float]]:
    return [
        [round(float(a), 5), round(float(b), 5), int(c)] for (a, b), c in zip(xy, y, strict=True)
    ]


def build(settings: Settings, upload: Upload | None, limits: Limits) -> Configuration:
    """The configuration for ``settings``; :class:`~initlab.explore.lab.InitlabError` names
    whatever is out of bounds or unknown."""
    specs = lab.split_specs(settings.inits)
    if not 1 <= len(specs) <= limits.max_models:
        raise lab.InitlabError(
            f"pick 1 to {limits.max_models} initializers; got {len(specs)} ({settings.inits!r})"
        )
    inits = [lab.initializer(spec) for spec in specs]
    layers = lab.parse_layers(settings.layers)
    _check_layers(layers, limits)
    if upload is not None:
        dataset = lab.dataset_from_csv_text(upload.content, upload.name, upload.options)
    else:
        dataset = lab.load_dataset(settings.dataset, limits.max_samples)
    samples = len(dataset.y_train) + len(dataset.y_test)
    if samples > limits.max_samples:
        raise lab.InitlabError(
            f"at most {limits.max_samples:,} samples (train and test) per session; the dataset "
            f"has {samples:,}"
        )
    if dataset.n_features > limits.max_features:
        raise lab.InitlabError(
            f"at most {limits.max_features} features per session; the dataset has "
            f"{dataset.n_features}"
        )
    network = lab.build_network(layers, dataset, settings.activation)
    X, X_test = dataset.X_train.T, dataset.X_test.T
    Y = lab.targets(network, dataset, dataset.y_train)
    Y_test = lab.targets(network, dataset, dataset.y_test)
    initial = lab.initial_params(network, inits, settings.seed, dataset.X_train)
    at_init = lab.layer_stats(network, initial, X, Y, iteration=0)
    theories = [lab.theory(ini, network, at_init, k) for k, ini in enumerate(inits)]
    center = dataset.X_train.mean(axis=0)
    projection = None if dataset.n_features == 2 else _principal_axes(dataset.X_train - center)
    config = Configuration(
        settings=settings,
        dataset=dataset,
        network=network,
        inits=inits,
        X=X,
        Y=Y,
        X_test=X_test,
        Y_test=Y_test,
        initial=initial,
        at_init=at_init,
        theories=theories,
        grid=None,
        extent=(0.0, 1.0, 0.0, 1.0),
        cells=limits.grid_cells,
        projection=projection,
        center=center,
        upload_name=upload.name if upload is not None else None,
    )
    shown = np.vstack([config.plane(dataset.X_train), config.plane(dataset.X_test)])
    config.extent = _extent(shown)
    if projection is None:
        config.grid = _grid(config.extent, limits.grid_cells)
    return config


def _check_layers(layers: tuple[int | str, ...], limits: Limits) -> None:
    """Refuse a network beyond the session's limits before anything is drawn: at most
    ``max_hidden_layers`` plain hidden layers, ``max_residual_blocks`` residual blocks in all
    (``res8x16`` is 16), every width, a residual block's too, at most ``max_width``."""
    hidden = layers[1:-1]
    residual = [lab.parse_block(str(item)) for item in hidden if lab.is_residual(item)]
    plain = len(hidden) - len(residual)
    if plain > limits.max_hidden_layers:
        raise lab.InitlabError(
            f"at most {limits.max_hidden_layers} hidden layers per session; got {plain}"
        )
    blocks = sum(count for _, count, _ in residual)
    if blocks > limits.max_residual_blocks:
        raise lab.InitlabError(
            f"at most {limits.max_residual_blocks} residual blocks per session; got {blocks}"
        )
    widths = [w for w in layers if isinstance(w, int)] + [w for w, _, _ in residual]
    too_wide = [w for w in widths if w > limits.max_width]
    if too_wide:
        raise lab.InitlabError(
            f"layers are at most {limits.max_width} units wide here; got {too_wide[0]}"
        )


def _principal_axes(centered: np.ndarray) -> np.ndarray:
    """The first two principal axes ``(n_features, 2)``, signs fixed (largest entry positive)."""
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    axes = vt[:2].T
    if axes.shape[1] < 2:  # a single feature: show it against zero
        axes = np.hstack([axes, np.zeros((axes.shape[0], 1))])
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), [0, 1]])
    return axes * np.where(signs == 0, 1.0, signs)


def _extent(points: np.ndarray) -> tuple[float, float, float, float]:
    """A square-ish box around the points with a margin of 10 %."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    lo, hi = lo - pad, hi + pad
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def _grid(extent: tuple[float, float, float, float], cells: int) -> np.ndarray:
    """Cell centres of a ``cells × cells`` grid over ``extent``, row by row from the top."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(cells) + 0.5) * (x1 - x0) / cells
    ys = y1 - (np.arange(cells) + 0.5) * (y1 - y0) / cells
    gx, gy = np.meshgrid(xs, ys)
    return np.vstack([gx.ravel(), gy.ravel()])
