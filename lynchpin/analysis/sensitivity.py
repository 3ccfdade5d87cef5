"""Sensitivity indices (SALib) of one outcome, as a ranked table and a bar chart with CIs."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from lynchpin.experiments.sensitivity import MORRIS_LEVELS, Factor, problem
from lynchpin.plots.style import RC_PARAMS

CONF_LEVEL = 0.95


def indices(
    method: str, factors: list[Factor], points: np.ndarray, values: np.ndarray, seed: int
) -> pd.DataFrame:
    """One row per parameter, most influential first, with half-widths of 95% intervals.

    Sobol: first-order S1 and total ST (ranked by ST). Morris: mu*, its CI, mu and sigma
    (ranked by mu*). Constant outcomes give zero indices rather than NaN.
    """
    spec = problem(factors)
    if method == "sobol":
        found = sobol_analyze.analyze(
            spec, values, calc_second_order=False, conf_level=CONF_LEVEL, seed=seed
        )
        columns, rank_by = ["S1", "S1_conf", "ST", "ST_conf"], "ST"
    else:
        found = morris_analyze.analyze(
            spec, points, values, conf_level=CONF_LEVEL, num_levels=MORRIS_LEVELS, seed=seed
        )
        columns, rank_by = ["mu_star", "mu_star_conf", "mu", "sigma"], "mu_star"
    table = pd.DataFrame({"parameter": spec["names"], **{c: found[c] for c in columns}})
    table[columns] = table[columns].fillna(0.0)
    table = table.sort_values(rank_by, ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


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
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()
