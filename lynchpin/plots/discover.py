"""Figures of a scenario discovery: PRIM's coverage/density trade-off, the box, feature scores.

Drawn on bare matplotlib Figures (no pyplot state), in the style of every lynchpin figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from lynchpin.plots.style import RC_PARAMS

if TYPE_CHECKING:
    from lynchpin.analysis.discover import Discovery

CHOSEN_COLOUR = "#D55E00"


def tradeoff_figure(found: Discovery) -> Figure:
    """Coverage against density along the peeling trajectory, coloured by restricted inputs."""
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(10, 7.5), layout="constrained")
        ax = fig.subplots()
        t = found.trajectory
        dims = t["res_dim"].astype(int)
        points = ax.scatter(
            t["coverage"], t["density"], c=dims, cmap="viridis", s=60, zorder=3, vmin=0
        )
        ax.plot(t["coverage"], t["density"], color="#999999", lw=1, zorder=2)
        chosen = t.loc[found.chosen]
        ax.scatter(
            [chosen["coverage"]],
            [chosen["density"]],
            s=320,
            facecolors="none",
            edgecolors=CHOSEN_COLOUR,
            linewidths=3,
            zorder=4,
            label=f"box reported: coverage {chosen['coverage']:.0%}, "
            f"density {chosen['density']:.0%}",
        )
        ax.axhline(found.min_density, color=CHOSEN_COLOUR, lw=1, ls="--")
        ax.set_xlabel("Coverage (share of cases of interest in the box)")
        ax.set_ylabel("Density (share of the box that is of interest)")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        colourbar = fig.colorbar(points, ax=ax, ticks=range(int(dims.max()) + 1))
        colourbar.set_label("Restricted inputs")
        ax.legend(loc="lower left")
        ax.set_title(f"PRIM trade-off: {found.experiments.outcome} {found.rule}", wrap=True)
        return fig


def box_figure(found: Discovery) -> Figure:
    """Each restricted input's range (grey) and the box's limits on it (colour), normalised."""
    limits = found.limits[found.limits["values"] == ""]
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(12, max(3.5, 1.8 + 1.0 * len(limits))), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(limits))[::-1]
        for yi, (_, lim) in zip(y, limits.iterrows(), strict=True):
            span = lim["full_high"] - lim["full_low"] or 1.0
            low = lim["full_low"] if np.isnan(lim["low"]) else lim["low"]
            high = lim["full_high"] if np.isnan(lim["high"]) else lim["high"]
            a, b = (low - lim["full_low"]) / span, (high - lim["full_low"]) / span
            ax.barh(yi, 1.0, left=0, height=0.5, color="#DDDDDD")
            ax.barh(yi, b - a, left=a, height=0.5, color="#0072B2")
            ax.text(a, yi + 0.32, f"{low:.3g}", ha="center", va="bottom", fontsize=13)
            ax.text(b, yi + 0.32, f"{high:.3g}", ha="center", va="bottom", fontsize=13)
        ax.set_yticks(y, [_tick(lim) for _, lim in limits.iterrows()])
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(-0.7, max(len(limits) - 0.2, 0.8))
        ax.set_xlabel("Position within the input's sampled range (0 = lowest, 1 = highest)")
        row = found.trajectory.loc[found.chosen]
        ax.set_title(
            f"Box: coverage {row['coverage']:.0%}, density {row['density']:.0%}", loc="left"
        )
        ax.grid(axis="y", visible=False)
        return fig


def _tick(lim) -> str:
    qp = [v for v in (lim["qp_low"], lim["qp_high"]) if not np.isnan(v)]
    return f"{lim['input']}\n(qp {max(qp):.2g})" if qp else str(lim["input"])


def scores_figure(found: Discovery) -> Figure:
    """Extra-trees feature scores of every input, for the cases of interest and the outcome."""
    scores = found.scores
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(12, max(3.5, 1.8 + 0.8 * len(scores))), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(scores))[::-1]
        ax.barh(y + 0.2, scores["score_interest"], 0.4, color="#0072B2", label="cases of interest")
        ax.barh(y - 0.2, scores["score_outcome"], 0.4, color="#56B4E9", label="outcome value")
        ax.set_yticks(y, scores["input"])
        ax.set_xlabel("Extra-trees feature score (sums to 1)")
        ax.legend(loc="lower right")
        ax.set_title("Which inputs matter?", loc="left")
        return fig
