"""The observed <-> model mappings: year windows, fiscal years, growth bases, calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lynchpin.backtest import calibrate as cal
from lynchpin.backtest.observed import (
    CALENDAR,
    FY_APRIL,
    FY_JULY_ENDING,
    IMPOSED,
    INITIAL,
    OUTSIDE,
    TEST,
    observed_points,
    point_status,
    quarter_levels,
    series_catalogue,
    year_window,
    yearly_growth,
    yearly_mean,
    yearly_sum,
)
from lynchpin.model.periods import format_quarter, parse_quarter, quarter_range

PERIODS = quarter_range(parse_quarter("2020Q1"), parse_quarter("2024Q4"))
SERIES = {s.key: s for s in series_catalogue()}


def labels(year: int, convention: str) -> list[str]:
    return [format_quarter(q) for q in year_window(year, convention)]


def test_year_windows_follow_each_convention() -> None:
    assert labels(2021, CALENDAR) == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert labels(2020, FY_APRIL) == ["2020Q2", "2020Q3", "2020Q4", "2021Q1"]
    assert labels(2021, FY_JULY_ENDING) == ["2020Q3", "2020Q4", "2021Q1", "2021Q2"]


def test_fiscal_year_sum_takes_april_to_march() -> None:
    # Quarter i carries 10**i, so the sum names exactly which quarters were added.
    values = np.array([[10.0**i] for i in range(len(PERIODS))])
    assert yearly_sum(values, PERIODS, 2020, FY_APRIL)[0] == 10 + 100 + 1000 + 10_000
    assert yearly_sum(values, PERIODS, 2020, CALENDAR)[0] == 1 + 10 + 100 + 1000
    assert yearly_mean(values, PERIODS, 2020, CALENDAR)[0] == pytest.approx(1111 / 4)


def test_year_not_covered_by_the_run_gives_none() -> None:
    values = np.ones((len(PERIODS), 3))
    assert yearly_sum(values, PERIODS, 2024, FY_APRIL) is None  # FY2024 ends 2025Q1
    assert yearly_sum(values, PERIODS, 2025, CALENDAR) is None


def test_growth_is_of_annual_means_not_fourth_quarters() -> None:
    # Flat at 100 through 2020; 2021 is 100, 100, 100, 120. The annual mean rises 5%, while
    # fourth quarter over fourth quarter would say 20%.
    levels = np.full((len(PERIODS), 1), 100.0)
    levels[7] = 120.0  # 2021Q4
    assert yearly_growth(levels, 100.0, PERIODS, 2021, CALENDAR)[0] == pytest.approx(5.0)
    # A 2021Q4 spike sits in India's FY2021 (April 2021 - March 2022) and in Australia's
    # FY2022 (July 2021 - June 2022), each with weight 1/4, and in no other year.
    assert yearly_growth(levels, 100.0, PERIODS, 2021, FY_APRIL)[0] == pytest.approx(5.0)
    assert yearly_growth(levels, 100.0, PERIODS, 2022, FY_JULY_ENDING)[0] == pytest.approx(5.0)
    assert yearly_growth(levels, 100.0, PERIODS, 2020, FY_APRIL)[0] == pytest.approx(0.0)
    assert yearly_growth(levels, 100.0, PERIODS, 2021, FY_JULY_ENDING)[0] == pytest.approx(0.0)
    # The year after the spike falls back: 100 / 105 - 1.
    assert yearly_growth(levels, 100.0, PERIODS, 2022, CALENDAR)[0] == pytest.approx(
        100 * (100 / 105 - 1)
    )


def test_growth_windows_take_the_right_quarters() -> None:
    # Level i + 1 in run quarter i: each window's mean names the quarters it averaged.
    levels = np.arange(1.0, len(PERIODS) + 1)[:, None]
    # Calendar 2021: 2021Q1-Q4 (5..8, mean 6.5) over 2020Q1-Q4 (1..4, mean 2.5).
    assert yearly_growth(levels, 0.0, PERIODS, 2021, CALENDAR)[0] == pytest.approx(
        100 * (6.5 / 2.5 - 1)
    )
    # India FY2021: 2021Q2-2022Q1 (6..9, mean 7.5) over 2020Q2-2021Q1 (2..5, mean 3.5).
    assert yearly_growth(levels, 0.0, PERIODS, 2021, FY_APRIL)[0] == pytest.approx(
        100 * (7.5 / 3.5 - 1)
    )
    # Australia FY2022: 2021Q3-2022Q2 (7..10, mean 8.5) over 2020Q3-2021Q2 (3..6, mean 4.5).
    assert yearly_growth(levels, 0.0, PERIODS, 2022, FY_JULY_ENDING)[0] == pytest.approx(
        100 * (8.5 / 4.5 - 1)
    )


def test_quarters_before_the_run_lie_on_the_trend_path() -> None:
    trend, drift = 0.06, -0.004
    levels = np.full((len(PERIODS), 2), 100.0)
    before = quarter_levels(levels, 100.0, PERIODS, [parse_quarter("2019Q4")], trend, drift)
    assert before[0] == pytest.approx([100.0, 100.0])  # the starting level
    two = [parse_quarter("2019Q2"), parse_quarter("2019Q3")]
    back = quarter_levels(levels, 100.0, PERIODS, two, trend, drift)[:, 0]
    # 2019Q4 -> 2019Q3 undoes the step at years -1/4, 2019Q3 -> 2019Q2 the one at -2/4.
    q3 = 100.0 * np.exp(-(trend - drift / 4) / 4)
    assert back == pytest.approx([q3 * np.exp(-(trend - drift / 2) / 4), q3])
    assert quarter_levels(levels, 100.0, PERIODS, [parse_quarter("2025Q1")], trend) is None


def test_first_year_on_an_exact_trend_path_grows_at_trend() -> None:
    # Levels on trend from 100 (the level before the run): every year, including 2020 against
    # the pre-run 2019, grows by exp(trend) - 1 under every convention.
    trend = 0.03
    levels = 100.0 * np.exp(trend * np.arange(1, len(PERIODS) + 1) / 4)[:, None]
    for convention in (CALENDAR, FY_APRIL, FY_JULY_ENDING):
        for year in (2020, 2021, 2023):
            g = yearly_growth(levels, 100.0, PERIODS, year, convention, trend)[0]
            assert g == pytest.approx(100 * np.expm1(trend)), (convention, year)
    # Fiscal years ending after the run have no value.
    assert yearly_growth(levels, 100.0, PERIODS, 2024, FY_APRIL, trend) is None
    assert yearly_growth(levels, 100.0, PERIODS, 2025, FY_JULY_ENDING, trend) is None


def test_pre_run_trend_path_joins_the_model_smoothly() -> None:
    """With no growth noise and no shocks, 2020 (base 2019 on the backcast path) grows like
    the in-run years: exactly at trend without drift, on the same straight line with it."""
    from lynchpin.model.run import simulate
    from lynchpin.scenario import load_scenario

    quiet = {f"{a}.growth_volatility": 0 for a in ("USA", "CHN")}
    fixed = load_scenario("baseline").with_overrides(uncertainty="none")  # point values
    config = fixed.with_overrides(worlds=1, seed=1, params=quiet).to_config()
    results = simulate(config, worlds=1, seed=1, scenario="baseline")
    growth = {}
    for actor in ("USA", "CHN"):
        spec = config.actor(actor)
        trend = spec.params["growth_trend"]
        drift = spec.params.get("growth_trend_drift", 0.0)
        growth[actor] = [
            yearly_growth(
                results.metric(actor, "gdp"), spec.gdp, results.periods, y, CALENDAR, trend, drift
            )[0]
            for y in (2020, 2021, 2022)
        ]
    usa_trend = config.actor("USA").params["growth_trend"]
    assert growth["USA"] == pytest.approx([100 * np.expm1(usa_trend)] * 3, abs=1e-9)
    g20, g21, g22 = growth["CHN"]
    assert g20 - g21 == pytest.approx(g21 - g22, abs=0.01)
    assert g20 - g21 == pytest.approx(0.27, abs=0.03)  # drift -0.0027 a year


def test_point_status_separates_tests_from_fixed_points() -> None:
    imposed = {("growth.USA", 2020), ("growth.AUS", 2020)}
    assert point_status(SERIES["defence_share.JPN"], 2020, PERIODS, imposed) == INITIAL
    assert point_status(SERIES["defence_share.JPN"], 2021, PERIODS, imposed) == TEST
    assert point_status(SERIES["growth.USA"], 2020, PERIODS, imposed) == IMPOSED
    assert point_status(SERIES["growth.JPN"], 2020, PERIODS, imposed) == TEST
    # Australia's FY2020 starts before the run: shown if a shock was sized on it, never tested.
    assert point_status(SERIES["growth.AUS"], 2020, PERIODS, imposed) == IMPOSED
    assert point_status(SERIES["growth.AUS"], 2020, PERIODS, set()) == OUTSIDE
    assert point_status(SERIES["growth.AUS"], 2021, PERIODS, imposed) == TEST
    assert point_status(SERIES["growth.IND"], 2024, PERIODS, imposed) == OUTSIDE
    assert point_status(SERIES["scrambles_china"], 2024, PERIODS, imposed) == OUTSIDE
    assert point_status(SERIES["scrambles_china"], 2023, PERIODS, imposed) == TEST


def test_observed_points_keep_fiscal_year_labels_and_percent_units() -> None:
    points = observed_points().set_index(["series", "year"]).observed
    assert points[("scrambles_china", 2020)] == 458  # FY2020 = April 2020 - March 2021
    assert points[("defence_share.JPN", 2024)] == pytest.approx(1.371)
    assert points[("growth.IND", 2020)] == pytest.approx(-5.78)
    assert ("senkaku_ts_days", 2023) not in points.index  # no sourced value


def test_incident_rate_fit_matches_mean_per_quarter_over_intensity() -> None:
    fit = cal.fit_incident_rate("incident_rate_maritime", "senkaku_ts_days", 0.5, "years")
    assert fit.value == pytest.approx((36 + 19 + 32) / 3 / 4 / 0.5, abs=0.05)
    fit = cal.fit_incident_rate("incident_rate_air", "jasdf_scrambles_china", 0.5, "FY")
    assert fit.value == pytest.approx((571 + 851 + 500 + 638 + 675) / 5 / 4 / 0.5, abs=0.05)


def test_growth_volatility_is_sample_sd_of_2015_2019_growth() -> None:
    usa = np.array([2.95, 1.82, 2.46, 2.97, 2.58]) / 100
    assert cal.fit_growth_volatility("USA").value == pytest.approx(usa.std(ddof=1), abs=5e-5)


def test_observation_parameters_are_the_prefixed_rows() -> None:
    table = pd.DataFrame(
        {
            "parameter": ["incident_rate_air", "USA.growth_volatility", "backtest.air_year_cv"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    assert cal.observation_params(table) == {"air_year_cv": 3.0}


def test_stale_defaults_names_parameters_whose_default_is_not_the_fit() -> None:
    table = pd.DataFrame(
        {
            "parameter": ["incident_rate_air", "USA.growth_volatility", "backtest.air_year_cv"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    assert set(cal.stale_defaults(table)) == {"incident_rate_air", "USA.growth_volatility"}


def test_shipped_defaults_are_the_calibrated_values() -> None:
    """The registry and actors.csv adopt the fits; the backtest runs on the defaults."""
    assert cal.stale_defaults(cal.read_calibration()) == {}, "copy the fits into the defaults"


def test_desired_share_anchor_is_the_2015_2019_mean() -> None:
    usa = np.array([3.464, 3.403, 3.298, 3.304, 3.409]) / 100
    assert cal.fit_defence_share_desired("USA").value == pytest.approx(usa.mean(), abs=5e-5)


def test_shipped_calibration_is_what_calibrate_computes() -> None:
    shipped = cal.read_calibration()
    fitted = pd.DataFrame([f.__dict__ for f in cal.calibrate()], columns=cal.COLUMNS)
    assert list(shipped.parameter) == list(fitted.parameter), "rerun `lynchpin calibrate`"
    np.testing.assert_allclose(shipped.value, fitted.value.astype(float), rtol=1e-9)
