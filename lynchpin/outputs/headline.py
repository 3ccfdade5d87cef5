"""The handful of outcomes the article argues about, at a few milestone years.

Most outcomes are shown as the median world with a 90% interval over worlds. Probabilities
are different: `armed_conflict` in one world is the cumulative probability of armed conflict
*given that world's crises*; only its mean over worlds is the probability of armed conflict, so
it is shown as that mean with a 90% confidence interval of the mean (`mean_interval`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from lynchpin.model.results import Results

# (actor, metric) pairs in the order a reader meets them in the article.
KEY_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("system", "armed_conflict"),
    ("system", "gray_zone_incidents"),
    ("CHN", "gray_zone_intensity"),
    ("system", "alliance_cohesion"),
    ("JPN", "resolve_belief"),
    ("JPN", "defence_share_gdp"),
    ("JPN", "burden_gap"),
    ("AUS", "alignment"),
    ("IND", "alignment"),
    ("system", "order_stability"),
    ("system", "power_ratio"),
)
# Outcomes whose per-world value is a probability: report the mean over worlds, with a CI.
PROBABILITY_OUTCOMES: frozenset[tuple[str, str]] = frozenset({("system", "armed_conflict")})
PROBABILITY_LABEL = "Probability of armed conflict by then (%)"
MILESTONE_YEARS: tuple[int, ...] = (2025, 2030, 2035)
Z90 = 1.6448536269514722  # two-sided 90%


def is_probability(actor: str, metric: str) -> bool:
    return (actor, metric) in PROBABILITY_OUTCOMES


def mean_interval(values: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over `axis` and its 90% confidence interval, mean ± 1.645·sd/√n (deterministic).

    With a single value the interval is the mean itself.
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    mean = values.mean(axis=axis)
    sd = values.std(axis=axis, ddof=1) if n > 1 else np.zeros_like(mean)
    half = Z90 * sd / np.sqrt(n)
    return mean, mean - half, mean + half


def key_outcomes(
    summary: pd.DataFrame,
    years: tuple[int, ...] = MILESTONE_YEARS,
    results: Results | None = None,
    groups: np.ndarray | None = None,
) -> pd.DataFrame:
    """Year-end rows (Q4) of the key outcomes; the last period if no milestone year is covered.

    Pairs a scenario does not have (say, a scenario without India) are skipped. With `results`
    (the run's per-world values) the columns `mean_lo`, `mean_hi` give the 90% confidence
    interval of the mean (Monte Carlo error, not forecast uncertainty); `probability` marks
    rows to report as a mean (see module doc). With `groups` too (each world's parameter draw,
    lynchpin.model.draws.draw_groups) `draw_lo`, `draw_hi` give the 90% interval of the
    outcome's mean across parameter draws (for armed conflict: of the probability) and
    `parametric_share` the part of the variance across worlds that is ignorance, not luck.
    """
    present = set(summary["period"])
    periods = [f"{year}Q4" for year in years if f"{year}Q4" in present]
    periods = periods or [summary["period"].iloc[-1]]
    rows = []
    for actor, metric in KEY_OUTCOMES:
        match = summary[(summary["actor"] == actor) & (summary["metric"] == metric)]
        match = match[match["period"].isin(periods)].copy()
        match["probability"] = is_probability(actor, metric)
        if results is not None and not match.empty:
            grid = results.metric(actor, metric)
            index = [results.periods.index(p) for p in match["period"]]
            _, lo, hi = mean_interval(grid[index], axis=1)
            if is_probability(actor, metric):  # an interval of a probability stays in [0, 1]
                lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            match["mean_lo"], match["mean_hi"] = lo, hi
            if groups is not None:
                from lynchpin.outputs.uncertainty import decompose, group_means

                by_draw = group_means(grid[index], groups)
                match["draw_lo"] = np.quantile(by_draw, 0.05, axis=1)
                match["draw_hi"] = np.quantile(by_draw, 0.95, axis=1)
                match["parametric_share"] = decompose(grid[index], groups)[1]
        rows.append(match)
    return pd.concat(rows, ignore_index=True)
