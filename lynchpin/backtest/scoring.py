"""Proper scores of the backtest: weighted interval score, CRPS, coverage, PIT and skill.

Both scores come from `scoringrules` (Bracher et al. 2021's WIS; the CRPS of an ensemble or a
normal). The model is scored on its predictive draws, the naive forecasts on their normal
distributions, on exactly the same points. Series have different units, so the overall score
divides each point's WIS by its series' scale (RMS of the 2015-2019 year-on-year changes of
the observed series, fixed before any forecast) before summing. Skill = 1 - WIS(model) /
WIS(reference): above 0 the model beats the reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scoringrules as sr
from scipy.stats import norm

from lynchpin.backtest.naive import NAIVE_METHODS, Gaussian

# Central intervals of the WIS (alpha = 1 - nominal level), as in the COVID-19 Forecast Hubs.
WIS_ALPHAS = np.array([0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
BACKEND = "numpy"
PIT_BINS = 5


def _intervals(quantile) -> tuple[np.ndarray, np.ndarray]:
    lower = np.array([quantile(a / 2) for a in WIS_ALPHAS]).T
    upper = np.array([quantile(1 - a / 2) for a in WIS_ALPHAS]).T
    return lower, upper


def wis_draws(observed: float, draws: np.ndarray) -> float:
    """WIS of an ensemble: its empirical quantiles at the WIS levels."""
    lower, upper = _intervals(lambda q: np.quantile(draws, q))
    return float(
        sr.weighted_interval_score(
            observed, np.median(draws), lower, upper, WIS_ALPHAS, backend=BACKEND
        )
    )


def wis_normal(observed: float, forecast: Gaussian) -> float:
    """WIS of a normal forecast: its exact quantiles."""
    lower, upper = _intervals(lambda q: norm.ppf(q, forecast.mean, forecast.sd))
    return float(
        sr.weighted_interval_score(
            observed, forecast.mean, lower, upper, WIS_ALPHAS, backend=BACKEND
        )
    )


def crps_draws(observed: float, draws: np.ndarray) -> float:
    return float(sr.crps_ensemble(observed, draws, backend=BACKEND))


def crps_normal(observed: float, forecast: Gaussian) -> float:
    return float(sr.crps_normal(observed, forecast.mean, forecast.sd, backend=BACKEND))


def pit(observed: float, draws: np.ndarray) -> float:
    """Probability integral transform: share of draws below the observation (ties halved)."""
    return float(np.mean(draws < observed) + 0.5 * np.mean(draws == observed))


def inside(observed: float, forecast: Gaussian, level: float) -> bool:
    """Whether the observation lies in the normal forecast's central `level` interval."""
    half = norm.ppf(0.5 + level / 2) * forecast.sd
    return bool(abs(observed - forecast.mean) <= half)


def skill_table(scored: pd.DataFrame, scales: dict[str, float]) -> pd.DataFrame:
    """Per series and overall: mean WIS of the model and each naive, and the model's skill.

    `scored` has one row per scored point with columns series, wis_model and wis_<method>.
    The overall row sums WIS / scale over all points, so every series counts in its own units.
    """
    methods = ["model", *NAIVE_METHODS]
    rows = []
    for key, frame in scored.groupby("series", sort=False):
        row = {"series": key, "points": len(frame)}
        row.update({m: float(frame[f"wis_{m}"].mean()) for m in methods})
        rows.append(row)
    scaled = scored.assign(scale=scored.series.map(scales))
    total = {"series": "overall (WIS / series scale)", "points": len(scored)}
    total.update({m: float((scaled[f"wis_{m}"] / scaled.scale).mean()) for m in methods})
    rows.append(total)
    table = pd.DataFrame(rows)
    best = table[list(NAIVE_METHODS)].idxmin(axis=1)
    table["best_naive"] = best
    table["skill_vs_best"] = 1.0 - table.model / table[list(NAIVE_METHODS)].min(axis=1)
    for m in NAIVE_METHODS:
        table[f"skill_vs_{m}"] = 1.0 - table.model / table[m]
    return table


def pit_histogram(values: np.ndarray, bins: int = PIT_BINS) -> np.ndarray:
    """Counts of PIT values in `bins` equal bins on [0, 1] (flat when calibrated)."""
    counts, _ = np.histogram(np.clip(values, 0.0, 1.0), bins=bins, range=(0.0, 1.0))
    return counts
