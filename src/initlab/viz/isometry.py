"""Spectra of input-output Jacobians: histograms of log10 λ (λ the squared singular values) per
depth, critical beside off-critical, with the free-probability density and mean χ_1^L drawn on
each (Pennington, Schoenholz & Ganguli 2017).

Returns a matplotlib :class:`~matplotlib.figure.Figure`; nothing is shown or saved here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from initlab.viz.style import color, new_figure


@dataclass
class Panel:
    """One histogram: its row and column labels, the spectrum, the predicted mean and sd, and the
    free-probability law ``curve`` = (λ, P(λ' ≤ λ)) or, degenerate, ``point_mass``."""

    row: str
    depth: int
    regime: str
    label: str
    eigenvalues: np.ndarray
    theory_mean: float
    theory_sd: float
    curve: tuple[np.ndarray, np.ndarray] | None = None
    point_mass: float | None = None


def _window(panels: Sequence[Panel]) -> tuple[float, float]:
    """The log10 λ range of one panel: 6 decades below its smallest predicted mean to 3 above
    its largest (ReLU's dead units give exact zeros, which no log axis holds)."""
    means = [np.log10(p.theory_mean) for p in panels if p.theory_mean > 0]
    if not means:
        return -6.0, 3.0
    return min(means) - 6.0, max(means) + 3.0


def _theory(ax, panel: Panel, edges: np.ndarray, scale: float, colour: str) -> None:
    """The theory's expected histogram as a line through the bin centres (F(right edge) −
    F(left edge), times ``scale`` = samples / the tallest bin's count), or a full-height line at a
    point mass."""
    if panel.point_mass is not None and panel.point_mass > 0:
        ax.axvline(np.log10(panel.point_mass), color=colour, lw=2.0, alpha=0.8)
    elif panel.curve is not None:
        lam, cdf = panel.curve
        at_edges = np.interp(edges, np.log10(lam), cdf, left=cdf[0], right=1.0)
        centers = 0.5 * (edges[1:] + edges[:-1])
        ax.plot(centers, np.diff(at_edges) * scale, color=colour, lw=1.6)


def spectra(panels: Sequence[Panel], title: str) -> Figure:
    """One row per ``row`` label, one column per depth; each panel overlays its spectra (log10 λ,
    each histogram scaled to peak 1, the share below the window in its label) with a
    dashed line at log10 of the predicted mean, a dotted one at mean + sd and the
    free-probability density's expected histogram as a line on the same scale."""
    rows = list(dict.fromkeys(p.row for p in panels))
    depths = sorted({p.depth for p in panels})
    regimes = list(dict.fromkeys(p.regime for p in panels))
    figure = new_figure(3.2 * len(depths) + 0.6, 2.0 * len(rows) + 0.8)
    axes = figure.subplots(len(rows), len(depths), squeeze=False)
    for i, row in enumerate(rows):
        for j, depth in enumerate(depths):
            ax = axes[i, j]
            here = [p for p in panels if p.row == row and p.depth == depth]
            lo, hi = _window(here)
            for p in here:
                k = regimes.index(p.regime)
                logs = np.log10(np.clip(p.eigenvalues, 1e-300, None))
                counts, edges = np.histogram(logs, bins=70, range=(lo, hi))
                scaled = counts / max(counts.max(), 1)
                below = float(np.mean(logs < lo))
                label = p.label + (f" ({below:.0%} below)" if below >= 0.005 else "")
                ax.stairs(
                    scaled,
                    edges,
                    fill=k == 0,
                    alpha=0.5 if k == 0 else 1.0,
                    color=color(k + 2),
                    label=label,
                )
                _theory(ax, p, edges, len(logs) / max(counts.max(), 1), color(k + 2))
                if p.theory_mean > 0:
                    ax.axvline(np.log10(p.theory_mean), color=color(k + 2), ls="--", lw=1.2)
                    top = np.log10(p.theory_mean + p.theory_sd)
                    ax.axvline(top, color=color(k + 2), ls=":", lw=1.0)
            ax.set_xlim(lo, hi)
            ax.set_yticks([])
            ax.legend(fontsize=6.5, loc="upper left")
    for i, row in enumerate(rows):
        axes[i, 0].set_ylabel(row, fontsize=9)
    for j, depth in enumerate(depths):
        axes[0, j].set_title(f"L = {depth}", fontsize=10)
        axes[-1, j].set_xlabel("log10 λ  (λ: squared singular values of J)", fontsize=8)
    figure.suptitle(
        f"{title}\nline: free-probability density (per bin); dashed: mean χ_1^L; dotted: mean + sd "
        "(Pennington et al. 2017); histograms scaled to peak 1",
        fontsize=10,
    )
    return figure
