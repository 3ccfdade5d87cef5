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


def quarter_levels(
    levels: np.ndarray,
    initial: float,
    periods: list[str],
    quarters: list[int],
    trend: float,
    drift: float = 0.0,
) -> np.ndarray | None:
    """Levels of `quarters` per world (shape quarters x worlds); None if one is after the run.

    Quarters before the run lie on the trend path back from `initial`, the level of the quarter
    before the first period: the model starts with a zero output gap, and its potential grows
    at `trend + drift x years` (log rate a year; years counted from the first period), so a
    pre-run quarter is `initial` deflated by the trend growth of the steps in between.
    """
    first = parse_quarter(periods[0])
    index = {parse_quarter(p): i for i, p in enumerate(periods)}
    worlds = levels.shape[1]
    rows = []
    for quarter in quarters:
        if quarter >= first:
            if quarter not in index:
                return None
            rows.append(levels[index[quarter]])
            continue
        # The step that produced quarter q (q < first) runs at years (q - first) / 4.
        steps = np.arange(quarter + 1, first)
        log_growth = ((trend + drift * (steps - first) / 4.0) / 4.0).sum()
        rows.append(np.full(worlds, float(initial) * np.exp(-log_growth)))
    return np.array(rows)


def yearly_growth(
    levels: np.ndarray,
    initial: float,
    periods: list[str],
    year: int,
    convention: str,
    trend: float = 0.0,
    drift: float = 0.0,
) -> np.ndarray | None:
    """Growth (%) of the year's mean level on the previous year's mean level, per world.

    This is how the World Bank's annual growth is defined: the year's total output (the mean
    of its four quarters, under the year's calendar or fiscal convention) over the previous
    year's. Quarters before the run are on the trend path (see `quarter_levels`). None if a
    quarter of `year` is after the run.
    """
    window = year_window(year, convention)
    previous = [q - 4 for q in window]
    now = quarter_levels(levels, initial, periods, window, trend, drift)
    before = quarter_levels(levels, initial, periods, previous, trend, drift)
    if now is None or before is None:
        return None
    return 100.0 * (now.mean(axis=0) / before.mean(axis=0) - 1.0)


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
            CALENDAR: "mean over Y Q1-Q4 / mean over Y-1 Q1-Q4",
            FY_APRIL: "mean over Y Q2 - Y+1 Q1 / mean over Y-1 Q2 - Y Q1 (FY April Y - March Y+1)",
            FY_JULY_ENDING: "mean over Y-1 Q3 - Y Q2 / mean over Y-2 Q3 - Y-1 Q2 "
            "(FY July Y-1 - June Y)",
        }[convention]
        catalogue.append(
            Series(
                f"growth.{a}",
                f"{a} real GDP growth",
                "% per year",
                a,
                "gdp",
                convention,
                "World Bank real growth of annual totals, year Y  <->  model GDP growth of "
                f"annual means: {window} - 1",
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
    series: Series,
    year: int,
    metric: np.ndarray,
    periods: list[str],
    initial: float,
    trend: float = 0.0,
    drift: float = 0.0,
) -> np.ndarray | None:
    """The model's value of `series` in `year` per world, or None if the run does not cover it.

    For growth, `initial`, `trend` and `drift` place the quarters before the run on the trend
    path (the actor's starting GDP, growth_trend and growth_trend_drift).
    """
    if series.metric == "gdp":
        return yearly_growth(metric, initial, periods, year, series.convention, trend, drift)
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
    if series.metric == "gdp" and window[-1] <= last and (series.key, year) in imposed:
        # A growth year a shock was sized on keeps its model value even if it starts before
        # the run (Australia's FY2020): its earlier quarters lie on the trend path.
        return IMPOSED
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
