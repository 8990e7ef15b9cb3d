"""The collapse map of deep narrow ReLU networks: born dead at initialization and collapsed to a
constant after training, over depth × width, one column per initializer (Lu, Shin, Su &
Karniadakis 2020).

Returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from initlab.viz.style import new_figure


def collapse_figure(
    depths: Sequence[int],
    widths: Sequence[int],
    inits: Sequence[str],
    born_dead: np.ndarray,
    collapsed: np.ndarray,
    bound: np.ndarray,
) -> Figure:
    """Top row: the born-dead share (``born_dead[i]``, depth × width) of each initializer, with
    the zero-bias single-input bound ``1 − (1 − 2^−width)^depth`` at the narrowest width in the
    title; bottom row (when trained): the share of runs whose output is constant after training
    on |x|."""
    trained = bool(np.isfinite(collapsed).any())
    rows = 2 if trained else 1
    fig = new_figure(4.2 * len(inits) + 1.2, 3.8 * rows + 0.6)
    axes = fig.subplots(rows, len(inits), squeeze=False)
    image = None
    for i, init in enumerate(inits):
        image = _map(axes[0, i], depths, widths, born_dead[i], f"{init}: born dead")
        if trained:
            _map(
                axes[1, i], depths, widths, collapsed[i], f"{init}: constant after training on |x|"
            )
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="share of networks")
    fig.suptitle(
        "Deep narrow ReLU networks (1 input, depth × width, 1 output): dead or collapsed\n"
        f"(zero-bias single-input bound at width {widths[0]}, depth {depths[-1]}: "
        f"{bound[-1, 0]:.3f})",
        fontsize=11,
    )
    return fig


def _map(
    ax: Axes, depths: Sequence[int], widths: Sequence[int], values: np.ndarray, title: str
) -> AxesImage:
    image = ax.imshow(values, origin="lower", cmap="magma_r", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(widths)), [str(w) for w in widths])
    ax.set_yticks(range(len(depths)), [str(d) for d in depths])
    ax.set_xlabel("width (units per hidden layer)")
    ax.set_ylabel("depth (hidden layers)")
    ax.set_title(title, fontsize=10)
    for a in range(len(depths)):
        for b in range(len(widths)):
            v = values[a, b]
            if np.isfinite(v):
                ax.text(
                    b,
                    a,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.55 else "black",
                )
    return image
