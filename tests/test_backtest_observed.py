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


def test_growth_of_first_year_uses_the_starting_level() -> None:
    levels = np.array([[100.0 * 1.01 ** (i + 1)] for i in range(len(PERIODS))])
    g2020 = yearly_growth(levels, 100.0, PERIODS, 2020, CALENDAR)[0]
    assert g2020 == pytest.approx(100 * (1.01**4 - 1))
    # India FY2020 is 2021Q1 over 2020Q1, both inside the run.
    fy = yearly_growth(levels, 50.0, PERIODS, 2020, FY_APRIL)[0]
    assert fy == pytest.approx(100 * (1.01**4 - 1))
    # Australia FY2020 needs 2019Q2, before the run.
    assert yearly_growth(levels, 100.0, PERIODS, 2020, FY_JULY_ENDING) is None


def test_point_status_separates_tests_from_fixed_points() -> None:
    imposed = {("growth.USA", 2020)}
    assert point_status(SERIES["defence_share.JPN"], 2020, PERIODS, imposed) == INITIAL
    assert point_status(SERIES["defence_share.JPN"], 2021, PERIODS, imposed) == TEST
    assert point_status(SERIES["growth.USA"], 2020, PERIODS, imposed) == IMPOSED
    assert point_status(SERIES["growth.AUS"], 2020, PERIODS, imposed) == OUTSIDE
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
