"""Map model trajectories onto the observed series, year by year, in the observed units.

The model steps in quarters; the record is yearly and mixes calendar years (SIPRI, Senkaku
counts) with fiscal years (JASDF scrambles: April-March; World Bank growth for India: April-
March, for Australia: July-June). Every comparison goes through one explicit window of model
quarters per observed year, so a misaligned year is a visible bug rather than a silent offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lynchpin.data.history import load_history
from lynchpin.model.periods import format_quarter, parse_quarter

# Year conventions: the quarter-of-year (1-4) a year starts in, and how many calendar years the
# year label is ahead of that start (Australia's fiscal year is named after the year it ends).
CALENDAR = "calendar"
FY_APRIL = "fy_april"  # Japan and India: FY Y runs April Y - March Y+1
FY_JULY_ENDING = "fy_july_ending"  # Australia: FY Y runs July Y-1 - June Y
_CONVENTIONS: dict[str, tuple[int, int]] = {
    CALENDAR: (1, 0),
    FY_APRIL: (2, 0),
    FY_JULY_ENDING: (3, -1),
}

GROWTH_CONVENTION: dict[str, str] = {"IND": FY_APRIL, "AUS": FY_JULY_ENDING}
ACTORS: tuple[str, ...] = ("USA", "JPN", "CHN", "AUS", "IND")

# Point status: only "test" points count towards coverage and errors.
TEST = "test"
INITIAL = "initial condition"
IMPOSED = "imposed by a shock"
OUTSIDE = "outside the run"
NO_DATA = "no observation"


def year_window(year: int, convention: str) -> list[int]:
    """The four model quarters (as ints) that make up observed `year` under `convention`."""
    start_q, offset = _CONVENTIONS[convention]
    first = parse_quarter(f"{year + offset}Q{start_q}")
    return list(range(first, first + 4))


def _rows(periods: list[str], quarters: list[int]) -> list[int] | None:
    index = {parse_quarter(p): i for i, p in enumerate(periods)}
    if not all(q in index for q in quarters):
        return None
    return [index[q] for q in quarters]


def yearly_sum(
    values: np.ndarray, periods: list[str], year: int, convention: str
) -> np.ndarray | None:
    """Sum over the year's four quarters, per world; None if the run does not cover them all."""
    rows = _rows(periods, year_window(year, convention))
    return None if rows is None else values[rows].sum(axis=0)


def yearly_mean(
    values: np.ndarray, periods: list[str], year: int, convention: str
) -> np.ndarray | None:
    """Mean over the year's four quarters, per world; None if the run does not cover them all."""
    rows = _rows(periods, year_window(year, convention))
    return None if rows is None else values[rows].mean(axis=0)


def yearly_growth(
    levels: np.ndarray, initial: float, periods: list[str], year: int, convention: str
) -> np.ndarray | None:
    """Growth (%) from the last quarter of the previous year to the last quarter of `year`.

    `initial` is the level before the first period (the run's starting GDP), so the first
    year of the run is comparable. None if either end quarter is outside the run.
    """
    window = year_window(year, convention)
    first = parse_quarter(periods[0])
    before, last = window[0] - 1, window[-1]
    end_rows = _rows(periods, [last])
    if end_rows is None:
        return None
    if before == first - 1:
        base = np.full(levels.shape[1], float(initial))
    else:
        base_rows = _rows(periods, [before])
        if base_rows is None:
            return None
        base = levels[base_rows[0]]
    return 100.0 * (levels[end_rows[0]] / base - 1.0)


@dataclass(frozen=True)
class Series:
    """One observed series and the model quantity it is compared with."""

    key: str
    label: str
    unit: str
    actor: str
    metric: str
    convention: str
    mapping: str


def series_catalogue() -> list[Series]:
    """Every series the backtest compares, with its mapping stated in words."""
    catalogue = [
        Series(
            f"defence_share.{a}",
            f"{a} defence share of GDP",
            "% of GDP",
            a,
            "defence_share_gdp",
            CALENDAR,
            "SIPRI % of GDP (2025 release), calendar year Y  <->  100 x mean of the model's "
            "defence_share_gdp over Y Q1-Q4",
        )
        for a in ACTORS
    ]
    for a in ACTORS:
        convention = GROWTH_CONVENTION.get(a, CALENDAR)
        window = {
            CALENDAR: "Y Q4 over Y-1 Q4",
            FY_APRIL: "Y+1 Q1 over Y Q1 (FY April Y - March Y+1)",
            FY_JULY_ENDING: "Y Q2 over Y-1 Q2 (FY July Y-1 - June Y)",
        }[convention]
        catalogue.append(
            Series(
                f"growth.{a}",
                f"{a} real GDP growth",
                "% per year",
                a,
                "gdp",
                convention,
                f"World Bank real growth, year Y  <->  model GDP growth {window}",
            )
        )
    catalogue.append(
        Series(
            "senkaku_ts_days",
            "Senkaku territorial-sea intrusion days",
            "days per calendar year",
            "system",
            "incidents_maritime",
            CALENDAR,
            "JCG/MOD territorial-sea days, calendar year Y  <->  sum of the model's "
            "maritime incidents over Y Q1-Q4",
        )
    )
    catalogue.append(
        Series(
            "scrambles_china",
            "JASDF scrambles against Chinese aircraft",
            "scrambles per fiscal year",
            "system",
            "incidents_air",
            FY_APRIL,
            "MOD Joint Staff scrambles vs China, FY Y (April Y - March Y+1)  <->  sum of the "
            "model's air incidents over Y Q2 - Y+1 Q1",
        )
    )
    return catalogue


def observed_points(first_year: int = 2020, last_year: int = 2024) -> pd.DataFrame:
    """Observed values per series and year, in the units of `series_catalogue()`."""
    rows: list[dict] = []
    milex = load_history("milex")
    for r in milex[milex.year.between(first_year, last_year)].itertuples():
        if not np.isnan(r.milex_pct_gdp):
            rows.append(
                {
                    "series": f"defence_share.{r.iso3}",
                    "year": r.year,
                    "observed": float(r.milex_pct_gdp),
                }
            )
    gdp = load_history("gdp")
    for r in gdp[gdp.year.between(first_year, last_year)].itertuples():
        rows.append(
            {"series": f"growth.{r.iso3}", "year": r.year, "observed": float(r.real_growth_pct)}
        )
    gray = load_history("grayzone")
    names = {"senkaku_ts_days": "senkaku_ts_days", "jasdf_scrambles_china": "scrambles_china"}
    for r in gray[gray.series.isin(names) & gray.year.between(first_year, last_year)].itertuples():
        rows.append({"series": names[r.series], "year": r.year, "observed": float(r.value)})
    return pd.DataFrame(rows).sort_values(["series", "year"], ignore_index=True)


def model_values(
    series: Series, year: int, metric: np.ndarray, periods: list[str], initial: float
) -> np.ndarray | None:
    """The model's value of `series` in `year` per world, or None if the run does not cover it."""
    if series.metric == "gdp":
        return yearly_growth(metric, initial, periods, year, series.convention)
    if series.metric == "defence_share_gdp":
        mean = yearly_mean(metric, periods, year, series.convention)
        return None if mean is None else 100.0 * mean
    return yearly_sum(metric, periods, year, series.convention)


def point_status(
    series: Series, year: int, periods: list[str], imposed: set[tuple[str, int]]
) -> str:
    """Whether a point tests the model, or is fixed by the start, a shock or the run's end."""
    window = year_window(year, series.convention)
    first, last = parse_quarter(periods[0]), parse_quarter(periods[-1])
    if window[0] < first or window[-1] > last:
        return OUTSIDE
    if series.metric == "defence_share_gdp" and window[0] == first:
        return INITIAL
    if (series.key, year) in imposed:
        return IMPOSED
    return TEST


def describe_window(year: int, convention: str) -> str:
    """'2020Q2-2021Q1' for FY2020 under the April convention."""
    window = year_window(year, convention)
    return f"{format_quarter(window[0])}-{format_quarter(window[-1])}"
