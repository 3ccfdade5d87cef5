"""Sensitivity indices (SALib) of one or several outcomes, as one tidy ranked table.

Several outcomes come from the same design points (one simulation per point), so asking for
three outcomes at once gives exactly the indices of three separate calls on the same samples.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from lynchpin.experiments.sensitivity import MORRIS_LEVELS, Factor, problem

CONF_LEVEL = 0.95
# Sobol indices from fewer base samples than this, or with 95% intervals wider than
# +-SOBOL_MAX_CONF, are flagged: Saltelli et al. (2010) use N in the hundreds to thousands.
SOBOL_MIN_SAMPLES = 256
SOBOL_MAX_CONF = 0.1


def indices(
    method: str, factors: list[Factor], points: np.ndarray, values: np.ndarray, seed: int
) -> pd.DataFrame:
    """One row per parameter, most influential first, with half-widths of 95% intervals.

    Sobol: first-order S1 and total ST (ranked by ST), with SALib's bootstrap intervals.
    Morris: mu*, its CI, mu and sigma (ranked by mu*). Constant outcomes give zero indices
    rather than NaN.
    """
    spec = problem(factors)
    with warnings.catch_warnings():  # SciPy's raw warnings; small N is flagged in `unstable`
        warnings.simplefilter("ignore", RuntimeWarning)
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


def indices_table(
    method: str,
    factors: list[Factor],
    points: np.ndarray,
    values: np.ndarray,
    outcomes: list[str],
    seed: int,
    samples: int,
) -> pd.DataFrame:
    """Tidy table over outcomes: outcome, rank, parameter, indices (and `unstable` for Sobol).

    `values` is (points, outcomes). A Sobol row is unstable when N is below
    SOBOL_MIN_SAMPLES, an interval is wider than SOBOL_MAX_CONF, or an index lies outside
    [0, 1] beyond its interval (e.g. S1 = 1.47 from tiny N).
    """
    frames = []
    for j, outcome in enumerate(outcomes):
        table = indices(method, factors, points, values[:, j], seed)
        if method == "sobol":
            wide = (table[["S1_conf", "ST_conf"]] > SOBOL_MAX_CONF).any(axis=1)
            outside = pd.Series(False, index=table.index)
            for name in ("S1", "ST"):
                conf = table[f"{name}_conf"]
                outside |= (table[name] - conf > 1) | (table[name] + conf < 0)
            table["unstable"] = (samples < SOBOL_MIN_SAMPLES) | wide | outside
        table.insert(0, "outcome", outcome)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def stability_warning(table: pd.DataFrame, samples: int) -> str:
    """A plain-words warning when Sobol indices are not stable, else ''."""
    if "unstable" not in table or not table["unstable"].any():
        return ""
    worst = float(table[["S1_conf", "ST_conf"]].to_numpy().max())
    return (
        f"warning: Sobol indices from N={samples} base samples are not stable (95% intervals "
        f"up to +-{worst:.2f}; rows marked unstable in indices.csv); use --samples "
        f"{max(SOBOL_MIN_SAMPLES, 2 * samples)} or more (a power of 2) before reading them, "
        "or use --method morris to screen"
    )
