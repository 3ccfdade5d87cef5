"""Sensitivity indices (SALib) of one outcome, as a ranked table and a bar chart with CIs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from lynchpin.experiments.sensitivity import MORRIS_LEVELS, Factor, problem

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
