"""Checks on the shipped 2015-2024 history tables (lynchpin/data/history/*.csv).

Expected figures are copied from the project's reference notes (history-data.md and
history-milex.csv); see docs/data-sources.md for the sources behind them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lynchpin.data.history import HISTORY_NAMES, load_history

EXPECTED_COLUMNS: dict[str, list[str]] = {
    "milex": [
        "iso3",
        "year",
        "milex_const2022_usd_m",
        "milex_current_usd_m",
        "milex_pct_gdp",
        "source",
        "confidence",
    ],
    "gdp": ["iso3", "year", "gdp_current_usd_bn", "real_growth_pct", "source", "confidence"],
    "grayzone": ["series", "year", "value", "unit", "source", "confidence"],
    "events": ["date", "event", "source", "confidence"],
    "japan_plans": ["item", "value", "unit", "period", "source", "confidence"],
}
COUNTRIES = {"USA", "JPN", "CHN", "AUS", "IND"}


def _cell(frame: pd.DataFrame, column: str, **keys: object) -> object:
    mask = pd.Series(True, index=frame.index)
    for key, value in keys.items():
        mask &= frame[key] == value
    hits = frame.loc[mask, column]
    assert len(hits) == 1, f"expected one row for {keys}, found {len(hits)}"
    return hits.iloc[0]


def test_names_match_expected_tables() -> None:
    assert set(HISTORY_NAMES) == set(EXPECTED_COLUMNS)


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_table_loads_with_exact_columns(name: str) -> None:
    frame = load_history(name)
    assert list(frame.columns) == EXPECTED_COLUMNS[name]
    assert len(frame) > 0


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_only_found_or_derived_confidence(name: str) -> None:
    frame = load_history(name)
    assert frame["confidence"].notna().all()
    assert set(frame["confidence"]) <= {"F", "D"}
    assert "R" not in set(frame["confidence"].str.strip().str.upper())


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_every_row_has_a_source(name: str) -> None:
    frame = load_history(name)
    assert frame["source"].notna().all()
    assert (frame["source"].astype(str).str.strip().str.len() > 0).all()


@pytest.mark.parametrize("name", ["milex", "gdp", "grayzone"])
def test_years_in_window(name: str) -> None:
    years = load_history(name)["year"]
    assert pd.api.types.is_integer_dtype(years)
    assert years.between(2015, 2024).all()


def test_event_dates_in_window() -> None:
    dates = load_history("events")["date"]
    assert pd.api.types.is_datetime64_any_dtype(dates)
    assert dates.dt.year.between(2015, 2024).all()
    assert dates.is_monotonic_increasing


def test_unknown_name_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"milex.*gdp.*grayzone.*events.*japan_plans"):
        load_history("scrambles")


def test_milex_panel_shape_and_ranges() -> None:
    milex = load_history("milex")
    assert set(milex["iso3"]) == COUNTRIES
    assert not milex.duplicated(["iso3", "year"]).any()
    assert len(milex) == 5 * 10
    pct = milex["milex_pct_gdp"]
    assert pct.notna().all()
    assert ((pct > 0) & (pct < 10)).all()
    # SIPRI 2024-release constant dollars stop in 2023; no 2024 value may appear.
    assert milex.loc[milex["year"] == 2024, "milex_const2022_usd_m"].isna().all()
    assert milex.loc[milex["year"] <= 2023, "milex_const2022_usd_m"].notna().all()


def test_milex_spot_values() -> None:
    milex = load_history("milex")
    jpn_2020_pct = _cell(milex, "milex_pct_gdp", iso3="JPN", year=2020)
    assert round(jpn_2020_pct, 2) == pytest.approx(1.02)
    chn_2019_const_bn = _cell(milex, "milex_const2022_usd_m", iso3="CHN", year=2019) / 1000
    assert round(chn_2019_const_bn, 1) == pytest.approx(260.2)
    assert _cell(milex, "milex_current_usd_m", iso3="USA", year=2023) == pytest.approx(916014.7)
    assert _cell(milex, "milex_current_usd_m", iso3="JPN", year=2024) == pytest.approx(55300)
    assert _cell(milex, "milex_pct_gdp", iso3="JPN", year=2023) == pytest.approx(1.14)
    assert pd.isna(_cell(milex, "milex_current_usd_m", iso3="AUS", year=2024))
    # 2022 is the base year, so constant and current dollars coincide.
    base = milex[milex["year"] == 2022]
    assert (base["milex_const2022_usd_m"] == base["milex_current_usd_m"]).all()


def test_milex_source_names_both_sipri_vintages() -> None:
    milex = load_history("milex")
    assert milex["source"].str.contains("2025 release").all()
    early = milex[milex["year"] <= 2023]
    assert early["source"].str.contains("2024 release").all()
    assert early["source"].str.contains("@29e3642").all()
    press = milex[(milex["year"] == 2024) & milex["milex_current_usd_m"].notna()]
    assert len(press) == 4
    assert press["source"].str.contains("press value").all()


def test_gdp_spot_values() -> None:
    gdp = load_history("gdp")
    assert set(gdp["iso3"]) == COUNTRIES
    assert len(gdp) == 5 * 9
    assert gdp["year"].max() == 2023
    assert not gdp.duplicated(["iso3", "year"]).any()
    assert _cell(gdp, "gdp_current_usd_bn", iso3="JPN", year=2022) == 4256
    assert _cell(gdp, "gdp_current_usd_bn", iso3="USA", year=2023) == 27361
    assert _cell(gdp, "real_growth_pct", iso3="IND", year=2020) == pytest.approx(-5.78)
    assert _cell(gdp, "real_growth_pct", iso3="CHN", year=2021) == pytest.approx(8.45)


def test_grayzone_spot_values() -> None:
    gz = load_history("grayzone")
    assert not gz.duplicated(["series", "year"]).any()
    assert _cell(gz, "value", series="senkaku_cz_days", year=2019) == 282
    assert _cell(gz, "value", series="senkaku_cz_ships", year=2019) == 1097
    assert _cell(gz, "value", series="senkaku_cz_days", year=2024) == 355
    assert _cell(gz, "value", series="senkaku_ts_ships", year=2016) == 121
    assert _cell(gz, "value", series="jasdf_scrambles_total", year=2016) == 1168
    assert _cell(gz, "value", series="jasdf_scrambles_china", year=2024) == 464
    assert (gz["value"] >= 0).all()


def test_grayzone_fiscal_year_units_and_derivation() -> None:
    gz = load_history("grayzone")
    jasdf = gz[gz["series"].str.startswith("jasdf_")]
    assert jasdf["unit"].str.contains("FY").all()
    senkaku = gz[gz["series"].str.startswith("senkaku_")]
    assert senkaku["unit"].str.contains("calendar year").all()
    # FY2015 is derived: FY2016 values minus the reported changes (+295 total, +280 China).
    assert _cell(gz, "value", series="jasdf_scrambles_total", year=2015) == 1168 - 295
    assert _cell(gz, "value", series="jasdf_scrambles_china", year=2015) == 851 - 280
    assert _cell(gz, "confidence", series="jasdf_scrambles_total", year=2015) == "D"


def test_grayzone_recalled_values_are_absent() -> None:
    gz = load_history("grayzone")
    senkaku_years = set(gz.loc[gz["series"].str.startswith("senkaku_"), "year"])
    assert not senkaku_years & {2015, 2017}
    totals = set(gz.loc[gz["series"] == "jasdf_scrambles_total", "year"])
    assert not totals & {2017, 2018}


def test_events_content() -> None:
    events = load_history("events")
    dates = set(events["date"].dt.strftime("%Y-%m-%d"))
    assert dates == {
        "2020-03-11",
        "2020-06-15",
        "2021-03-12",
        "2021-09-15",
        "2021-09-24",
        "2022-12-16",
    }
    assert (events["confidence"] == "F").all()
    assert not events["event"].str.contains("Malabar|Manila").any()


def test_japan_plans_spot_values() -> None:
    plans = load_history("japan_plans")
    assert _cell(plans, "value", item="defense_buildup_program_total") == pytest.approx(43)
    assert _cell(plans, "value", item="defense_related_spending_target") == pytest.approx(2)
    assert _cell(plans, "value", item="sma_total") == pytest.approx(1.05)
    assert _cell(plans, "value", item="hns_budget", period="FY2019") == pytest.approx(197.4)
    assert _cell(plans, "value", item="hns_budget", period="FY2020") == pytest.approx(199.3)
    assert _cell(plans, "value", item="trump_hns_demand") == pytest.approx(8)
    assert _cell(plans, "value", item="japan_hns_paid_per_trump_team") == pytest.approx(2.5)
    # The NHK figure of 1.55tn conflicts with 211bn x 5 and is not shipped.
    assert not (plans["value"] == 1.55).any()
