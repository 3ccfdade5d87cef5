"""The handful of outcomes the article argues about, at a few milestone years."""

from __future__ import annotations

import pandas as pd

# (actor, metric) pairs in the order a reader meets them in the article.
KEY_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("system", "armed_conflict"),
    ("system", "gray_zone_incidents"),
    ("system", "alliance_cohesion"),
    ("JPN", "defence_share_gdp"),
    ("JPN", "burden_gap"),
    ("AUS", "alignment"),
    ("IND", "alignment"),
    ("system", "order_stability"),
    ("system", "power_ratio"),
)
MILESTONE_YEARS: tuple[int, ...] = (2025, 2030, 2035)


def key_outcomes(summary: pd.DataFrame, years: tuple[int, ...] = MILESTONE_YEARS) -> pd.DataFrame:
    """Year-end rows (Q4) of the key outcomes; the last period if no milestone year is covered.

    Pairs a scenario does not have (say, a scenario without India) are skipped.
    """
    present = set(summary["period"])
    periods = [f"{year}Q4" for year in years if f"{year}Q4" in present]
    periods = periods or [summary["period"].iloc[-1]]
    rows = []
    for actor, metric in KEY_OUTCOMES:
        match = summary[(summary["actor"] == actor) & (summary["metric"] == metric)]
        rows.append(match[match["period"].isin(periods)])
    return pd.concat(rows, ignore_index=True)
