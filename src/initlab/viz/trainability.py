"""The trainability map: test accuracy over (σ_w², depth) with the depth-scale curve 6·ξ_c drawn
over it (Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, Fig. 5).

Returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from initlab.viz.style import new_figure


def _edges(values: np.ndarray, log: bool = False) -> np.ndarray:
    """Cell edges halfway between sorted centres (in log space when ``log``)."""
    v = np.log(values) if log else np.asarray(values, dtype=float)
    if len(v) == 1:
        mid = np.array([v[0] - 0.5, v[0] + 0.5])
    else:
        inner = (v[1:] + v[:-1]) / 2
        mid = np.concatenate([[2 * v[0] - inner[0]], inner, [2 * v[-1] - inner[-1]]])
    return np.exp(mid) if log else mid


def trainability_map(
    sigma_w2: np.ndarray,
    depths: np.ndarray,
    accuracy: np.ndarray,
    curve_w2: np.ndarray,
    curve_depth: np.ndarray,
    title: str,
    critical_w2: float | None = None,
) -> Figure:
    """``accuracy[i, j]`` at ``depths[i]``, ``sigma_w2[j]`` as a heat map (depth on a log axis),
    the curve ``curve_depth`` (6·ξ_c) over ``curve_w2``, cut at the top of the axis."""
    figure = new_figure(7.0, 4.6)
    ax = figure.subplots()
    mesh = ax.pcolormesh(
        _edges(sigma_w2),
        _edges(depths.astype(float), log=True),
        accuracy,
        cmap="viridis",
        vmin=float(np.nanmin(accuracy)) if np.isfinite(accuracy).any() else 0.0,
        shading="flat",
    )
    figure.colorbar(mesh, ax=ax, label="test accuracy (mean over seeds)")
    top = float(_edges(depths.astype(float), log=True)[-1])
    shown = np.where(np.isfinite(curve_depth), np.minimum(curve_depth, top * 10), top * 10)
    ax.plot(curve_w2, shown, color="white", lw=2.2, label="6·ξ_c")
    if critical_w2 is not None:
        ax.axvline(critical_w2, color="white", ls="--", lw=1.0, label="critical σ_w²")
    ax.set_yscale("log")
    ax.set_ylim(float(_edges(depths.astype(float), log=True)[0]), top)
    ax.set_yticks(depths, [str(int(d)) for d in depths])
    ax.minorticks_off()
    ax.set_xlabel("σ_w²  (weights N(0, σ_w²/fan_in), σ_b² = 0)")
    ax.set_ylabel("depth (hidden layers)")
    ax.set_title(title, fontsize=9)
    ax.legend(loc="upper right", fontsize=8, facecolor="#444444", labelcolor="white")
    return figure
