"""Scores, naive forecasts and patterns of the backtest, each against a case worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from lynchpin.backtest import naive, scoring
from lynchpin.backtest.naive import Gaussian
from lynchpin.backtest.patterns import PATTERNS

YEARS = np.array([2015, 2016, 2017, 2018, 2019])


def test_wis_of_a_normal_approximates_its_crps() -> None:
    """With the canonical weights WIS approximates the CRPS (Bracher 2021; within 20% here)."""
    forecast = Gaussian(0.0, 1.0)
    for y in (0.0, 0.7, 2.5):
        assert scoring.wis_normal(y, forecast) == pytest.approx(
            scoring.crps_normal(y, forecast), rel=0.2
        )


def test_wis_rewards_the_sharper_of_two_forecasts_centred_on_the_truth() -> None:
    assert scoring.wis_normal(1.0, Gaussian(1.0, 0.5)) < scoring.wis_normal(1.0, Gaussian(1, 2))
    # ... and penalises one that is sharp but wrong.
    assert scoring.wis_normal(3.0, Gaussian(1.0, 0.1)) > scoring.wis_normal(3.0, Gaussian(1, 1))


def test_ensemble_scores_match_the_distribution_they_sample() -> None:
    draws = np.random.default_rng(3).normal(2.0, 0.5, 40_000)
    assert scoring.wis_draws(2.4, draws) == pytest.approx(
        scoring.wis_normal(2.4, Gaussian(2.0, 0.5)), rel=0.02
    )
    assert scoring.crps_draws(2.4, draws) == pytest.approx(
        scoring.crps_normal(2.4, Gaussian(2.0, 0.5)), rel=0.02
    )
    assert scoring.pit(2.0, draws) == pytest.approx(0.5, abs=0.01)
    assert scoring.pit(2.0 + 0.5 * norm.ppf(0.9), draws) == pytest.approx(0.9, abs=0.01)


def test_persistence_is_the_last_value_with_random_walk_spread() -> None:
    values = np.array([1.0, 2.0, 1.0, 2.0, 3.0])
    forecast = naive.naive_forecast("persistence", YEARS, values, 2023)
    assert forecast.mean == 3.0
    assert forecast.sd == pytest.approx(1.0 * np.sqrt(4))  # every annual change is +-1


def test_trend_extrapolates_the_line() -> None:
    values = 2.0 + 0.5 * (YEARS - 2015) + np.array([0.1, -0.1, 0.0, 0.1, -0.1])
    forecast = naive.naive_forecast("trend", YEARS, values, 2022)
    assert forecast.mean == pytest.approx(2.0 + 0.5 * 7, abs=0.1)


def test_ar1_reverts_to_the_window_mean() -> None:
    values = np.array([4.0, 2.0, 1.0, 0.5, 0.25])  # phi about 0.37 around mean 1.55
    near = naive.naive_forecast("ar1", YEARS, values, 2020)
    far = naive.naive_forecast("ar1", YEARS, values, 2030)
    assert values[-1] < near.mean < values.mean()  # part of the way back one step ahead
    assert near.sd < far.sd
    assert far.mean == pytest.approx(values.mean(), abs=0.05)


def test_naive_refuses_to_forecast_inside_its_window() -> None:
    with pytest.raises(ValueError, match="not after the window"):
        naive.naive_forecast("trend", YEARS, YEARS * 1.0, 2019)


def test_skill_table_scales_each_series_before_the_overall_mean() -> None:
    scored = pd.DataFrame(
        {
            "series": ["a", "a", "b"],
            "wis_model": [1.0, 1.0, 100.0],
            "wis_persistence": [2.0, 2.0, 100.0],
            "wis_trend": [4.0, 4.0, 400.0],
            "wis_ar1": [4.0, 4.0, 400.0],
        }
    )
    table = scoring.skill_table(scored, {"a": 1.0, "b": 100.0})
    overall = table.iloc[-1]
    assert overall.model == pytest.approx(1.0) and overall.persistence == pytest.approx(5 / 3)
    assert overall.skill_vs_best == pytest.approx(1 - 3 / 5)
    assert table.set_index("series").loc["b", "skill_vs_best"] == pytest.approx(0.0)


def test_pit_histogram_counts_equal_bins() -> None:
    assert scoring.pit_histogram(np.array([0.05, 0.1, 0.5, 0.95, 1.0])).tolist() == [2, 0, 1, 0, 2]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_every_pattern_holds_in_the_shipped_data(pattern) -> None:
    """A pattern that the record does not show is no pattern."""
    assert pattern.observed(), pattern.statement
    assert pattern.source and (pattern.model is not None or pattern.missing)


def test_at_least_six_patterns_the_model_can_check() -> None:
    assert len(PATTERNS) >= 6
    assert sum(p.model is not None for p in PATTERNS) >= 6
