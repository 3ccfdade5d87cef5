"""Figures of sensitivity indices: ranked bars with interval whiskers (one panel per outcome)
and the Morris mu*-sigma plane."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lynchpin.plots.style import RC_PARAMS

MU_SIGMA_RATIOS = (0.1, 0.5, 1.0)  # Garcia Sanchez et al. (2014): linear, monotonic, non-linear


def plot_indices(table: pd.DataFrame, method: str) -> Figure:
    """Horizontal bars, most influential on top, with 95% interval whiskers; one panel per
    outcome of the tidy table."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    n_params = table.groupby("outcome").size().max()
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(
            figsize=(13.33, len(outcomes) * max(3.5, 1.6 + 0.8 * n_params)), layout="constrained"
        )
        axes = np.atleast_1d(fig.subplots(len(outcomes), 1, squeeze=False)[:, 0])
        for ax, outcome in zip(axes, outcomes, strict=True):
            part = table[table["outcome"] == outcome]
            y = np.arange(len(part))[::-1]
            if method == "sobol":
                for shift, column, label, colour in (
                    (0.2, "ST", "total effect ST", "#0072B2"),
                    (-0.2, "S1", "first order S1", "#56B4E9"),
                ):
                    ax.barh(
                        y + shift,
                        part[column],
                        0.4,
                        xerr=part[f"{column}_conf"],
                        label=label,
                        color=colour,
                        capsize=5,
                    )
                ax.set_xlabel("Sobol index (share of outcome variance)")
                ax.legend(loc="lower right")
            else:
                ax.barh(
                    y, part["mu_star"], 0.6, xerr=part["mu_star_conf"], color="#0072B2", capsize=5
                )
                ax.set_xlabel("Morris μ*: mean |elementary effect|")
            ax.set_yticks(y, part["parameter"])
            ax.axvline(0, color="#222222", lw=1)
            ax.set_title(f"What moves {outcome}?", loc="left")
        fig.suptitle(f"{method.capitalize()} indices; whiskers: 95% intervals")
        return fig


def plot_mu_sigma(table: pd.DataFrame) -> Figure:
    """Morris screening plane: mu* (importance) against sigma (interaction or non-linearity),
    with the sigma/mu* = 0.1, 0.5, 1 lines; one panel per outcome."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    columns = min(len(outcomes), 2)
    rows = -(-len(outcomes) // columns)
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(6.7 * columns + 0.5, 6.0 * rows), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, outcome in zip(axes, outcomes, strict=False):
            part = table[table["outcome"] == outcome]
            top = max(float(part["mu_star"].max()), 1e-12) * 1.15
            high = max(float(part["sigma"].max()) * 1.4, 0.12 * top, 1e-12)
            line = np.array([0, top])
            for ratio, style in zip(MU_SIGMA_RATIOS, (":", "--", "-"), strict=True):
                ax.plot(
                    line, ratio * line, color="#999999", lw=1.2, ls=style, label=f"σ/μ* = {ratio:g}"
                )
            ax.scatter(part["mu_star"], part["sigma"], s=70, color="#0072B2", zorder=3)
            for k, (_, row) in enumerate(part.sort_values("mu_star").iterrows()):
                right = row["mu_star"] > 0.55 * top  # keep labels inside the panel
                ax.annotate(
                    row["parameter"],
                    (row["mu_star"], row["sigma"]),
                    xytext=(-6 if right else 6, 6 + 16 * (k % 3)),  # staggered: no overlaps
                    textcoords="offset points",
                    ha="right" if right else "left",
                    fontsize=12,
                )
            ax.set_xlim(0, top)
            ax.set_ylim(0, high)
            ax.set_xlabel("μ* (importance)")
            ax.set_ylabel("σ (interactions, non-linearity)")
            ax.set_title(outcome, loc="left", fontsize=15)
            ax.legend(loc="upper right", fontsize=11)
        for ax in axes[len(outcomes) :]:
            ax.set_visible(False)
        fig.suptitle("Morris screening: μ* against σ")
        return fig
