"""The order-to-chaos phase diagram: χ(q*) over the (σ_w², σ_b²) plane, its critical line and
where each initializer sits (Poole et al. 2016; Schoenholz et al. 2017).

Returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from initlab.viz.style import color, new_figure


@dataclass
class Marker:
    """An initializer's place in the (σ_w², σ_b²) plane."""

    label: str
    sigma_w2: float
    sigma_b2: float


def phase_diagram(
    activation: str,
    sigma_w2: np.ndarray,
    sigma_b2: np.ndarray,
    chi: np.ndarray,
    line_w2: np.ndarray,
    line_b2: np.ndarray,
    markers: Sequence[Marker] = (),
) -> Figure:
    """The order-to-chaos phase diagram: χ(q*) over the (σ_w², σ_b²) grid (``chi`` of shape
    ``(len(sigma_b2), len(sigma_w2))``), the critical line χ = 1 and where each initializer sits.

    Blue: ordered, χ < 1, gradients vanish with depth; red: chaotic, χ > 1, they explode.
    Initializers beyond the plotted σ_w² range are drawn at the right edge with their value.
    """
    fig = new_figure(7.8, 6.2)
    ax = fig.add_subplot()
    _draw_chi(fig, ax, sigma_w2, sigma_b2, chi)
    keep = np.isfinite(line_w2) & (line_w2 <= sigma_w2.max()) & (line_w2 >= sigma_w2.min())
    ax.plot(line_w2[keep], line_b2[keep], "k-", lw=2.2, label="critical line χ(q*) = 1")
    right, top = float(sigma_w2.max()), float(sigma_b2.max())
    _draw_markers(ax, markers, right, top)
    _label_phases(ax)
    ax.set_xlim(-0.02 * right, right)
    ax.set_ylim(-0.03 * top, top)
    ax.set_xlabel("σ_w²  (weight variance × fan_in)")
    ax.set_ylabel("σ_b²  (bias variance)")
    ax.set_title(f"Order to chaos for {activation} networks (mean-field theory)", fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    return fig


def _draw_chi(
    fig: Figure, ax: Axes, sigma_w2: np.ndarray, sigma_b2: np.ndarray, chi: np.ndarray
) -> None:
    """log₁₀ χ over the grid, blue below 0 (ordered), red above (chaotic), with its colour bar."""
    log_chi = np.log10(np.clip(chi, 1e-3, 1e3))
    low, high = min(float(log_chi.min()), -0.05), max(float(log_chi.max()), 0.05)
    mesh = ax.pcolormesh(
        sigma_w2,
        sigma_b2,
        log_chi,
        cmap="RdBu_r",
        shading="auto",
        norm=TwoSlopeNorm(0.0, low, high),
        rasterized=True,
    )
    bar = fig.colorbar(mesh, ax=ax, shrink=0.9)
    bar.set_label("log₁₀ χ(q*): gradient growth per layer", fontsize=9)


def _draw_markers(ax: Axes, markers: Sequence[Marker], right: float, top: float) -> None:
    """One marker per point (initializers at the same point share it, their names joined by
    " = "); a point right of ``right`` is drawn at the edge as a ▶ with its σ_w² in the legend."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, marker in enumerate(markers):
        key = (round(marker.sigma_w2, 9), round(marker.sigma_b2, 9))
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        first = markers[members[0]]
        label = " = ".join(markers[i].label for i in members)
        inside = first.sigma_w2 <= right
        x, y = (first.sigma_w2 if inside else right), min(first.sigma_b2, top)
        if not inside:
            label += f" (σ_w² = {first.sigma_w2:.3g}, off the chart →)"
        ax.plot(
            x,
            y,
            "o" if inside else ">",
            color=color(members[0]),
            ms=10,
            mec="k",
            mew=0.8,
            clip_on=False,
            zorder=5,
            label=label,
        )


def _label_phases(ax: Axes) -> None:
    """The names of the two phases in the top corners: ordered (left), chaotic (right)."""
    box = dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8)
    ax.text(
        0.03,
        0.96,
        "ordered: gradients vanish",
        transform=ax.transAxes,
        va="top",
        fontsize=9,
        color="#08306b",
        bbox=box,
    )
    ax.text(
        0.97,
        0.96,
        "chaotic: gradients explode",
        transform=ax.transAxes,
        va="top",
        ha="right",
        fontsize=9,
        color="#67000d",
        bbox=box,
    )
