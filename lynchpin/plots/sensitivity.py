"""Figure of sensitivity indices: ranked bars with confidence-interval whiskers."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lynchpin.plots.png import to_png
from lynchpin.plots.style import RC_PARAMS


def plot_indices(table: pd.DataFrame, method: str, outcome: str) -> bytes:
    """Horizontal bars, most influential on top, with 95% interval whiskers; PNG bytes."""
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(13.33, max(4.5, 2.0 + 0.9 * len(table))), layout="constrained")
        ax = fig.subplots()
        y = np.arange(len(table))[::-1]
        if method == "sobol":
            for shift, column, label, colour in (
                (0.2, "ST", "total effect ST", "#0072B2"),
                (-0.2, "S1", "first order S1", "#56B4E9"),
            ):
                ax.barh(
                    y + shift,
                    table[column],
                    0.4,
                    xerr=table[f"{column}_conf"],
                    label=label,
                    color=colour,
                    capsize=5,
                )
            ax.set_xlabel("Sobol index (share of outcome variance)")
            ax.legend(loc="lower right")
        else:
            ax.barh(
                y, table["mu_star"], 0.6, xerr=table["mu_star_conf"], color="#0072B2", capsize=5
            )
            ax.set_xlabel("Morris μ*: mean |change of the outcome| per elementary step")
        ax.set_yticks(y, table["parameter"])
        ax.axvline(0, color="#222222", lw=1)
        ax.set_title(f"What moves {outcome}? ({method}, whiskers: 95% intervals)")
        return to_png(fig)
