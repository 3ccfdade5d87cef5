"""Named historical patterns (pattern-oriented modelling, Grimm et al. 2005) of 2020-2024.

A pattern is a qualitative regularity of the record, stated with numbers and a source row in
the shipped data notes (lynchpin/data/history/*.csv, docs/reference/history-data.md). Each is
checked twice: on the observed data (it must hold there, or it is no pattern; a test checks)
and on the model's worlds over the out-of-sample window. It holds for the model when it holds
in at least half the worlds (the typical world shows it); the share of worlds is reported.
A pattern the model has no quantity for is reported as missed, with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lynchpin.backtest.observed import CALENDAR, FY_APRIL, yearly_mean, yearly_sum
from lynchpin.data.history import load_history
from lynchpin.model.results import Results

HELD_SHARE = 0.5


@dataclass(frozen=True)
class Pattern:
    """One named pattern: what was observed, where it is recorded, and its test."""

    id: str
    name: str
    statement: str
    source: str
    observed: Callable[[], bool]
    model: Callable[[Results], np.ndarray] | None  # per world: does the pattern hold?
    missing: str = ""  # why the model cannot express it (model is None)


@dataclass(frozen=True)
class PatternResult:
    pattern: Pattern
    observed_holds: bool
    share_of_worlds: float
    held: bool
    note: str


def _milex(code: str, year: int) -> float:
    frame = load_history("milex")
    return float(frame[(frame.iso3 == code) & (frame.year == year)].milex_pct_gdp.iloc[0])


def _gray(series: str, year: int) -> float:
    frame = load_history("grayzone")
    return float(frame[(frame.series == series) & (frame.year == year)].value.iloc[0])


def _growth(code: str, year: int) -> float:
    frame = load_history("gdp")
    return float(frame[(frame.iso3 == code) & (frame.year == year)].real_growth_pct.iloc[0])


def _plan(item: str) -> float:
    frame = load_history("japan_plans")
    return float(frame[frame.item == item].value.iloc[0])


def _mean(results: Results, actor: str, metric: str, year: int) -> np.ndarray:
    values = yearly_mean(results.metric(actor, metric), results.periods, year, CALENDAR)
    if values is None:
        raise ValueError(f"the run does not cover {year}")
    return values


def _count(results: Results, metric: str, year: int, convention: str) -> np.ndarray:
    values = yearly_sum(results.metric("system", metric), results.periods, year, convention)
    if values is None:
        raise ValueError(f"the run does not cover {year}")
    return values


def _share(results: Results, code: str, year: int) -> np.ndarray:
    return 100.0 * _mean(results, code, "defence_share_gdp", year)


def _growth_model(results: Results, code: str, year: int) -> np.ndarray:
    return 100.0 * (_mean(results, code, "gdp", year) / _mean(results, code, "gdp", year - 1) - 1)


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "P1",
        "Territorial-sea intrusions stay rare",
        "Chinese government ships entered the Senkaku territorial sea on 29-40 days a year in "
        "2020-2022; model: 20-50 days in every one of those years (the range widened by a "
        "quarter).",
        "grayzone.csv senkaku_ts_days 2020-2022; history-data.md 4a",
        lambda: all(29 <= _gray("senkaku_ts_days", y) <= 40 for y in (2020, 2021, 2022)),
        lambda r: np.all(
            [
                (c >= 20) & (c <= 50)
                for c in (_count(r, "incidents_maritime", y, CALENDAR) for y in (2020, 2021, 2022))
            ],
            axis=0,
        ),
    ),
    Pattern(
        "P2",
        "Contiguous-zone presence near saturation",
        "Chinese government ships were in the Senkaku contiguous zone on 333 days in 2020 and "
        "355 in 2024, against 29-40 territorial-sea days.",
        "grayzone.csv senkaku_cz_days 2020-2024; history-data.md 4a",
        lambda: _gray("senkaku_cz_days", 2020) >= 330 and _gray("senkaku_cz_days", 2024) >= 350,
        None,
        "the model has one maritime incident type (mapped to territorial-sea days); presence "
        "in the contiguous zone is not a model quantity",
    ),
    Pattern(
        "P3",
        "Air and sea activity diverge in 2020",
        "Scrambles against Chinese aircraft fell from 675 (FY2019) to 458 (FY2020, -32%) while "
        "territorial-sea days barely moved (32 to 29, -9%); model: the air count falls by at "
        "least 15 points more than the sea count.",
        "grayzone.csv jasdf_scrambles_china FY2019-2020, senkaku_ts_days 2019-2020",
        lambda: (
            (
                _gray("jasdf_scrambles_china", 2020) / _gray("jasdf_scrambles_china", 2019)
                - _gray("senkaku_ts_days", 2020) / _gray("senkaku_ts_days", 2019)
            )
            < -0.15
        ),
        lambda r: (
            (
                _count(r, "incidents_air", 2020, FY_APRIL)
                / np.maximum(_count(r, "incidents_air", 2019, FY_APRIL), 1.0)
                - _count(r, "incidents_maritime", 2020, CALENDAR)
                / np.maximum(_count(r, "incidents_maritime", 2019, CALENDAR), 1.0)
            )
            < -0.15
        ),
    ),
    Pattern(
        "P4",
        "Japan's spending steps up after December 2022",
        "Japan's SIPRI share rose from 1.01% (2022) to 1.37% (2024) after the National "
        "Security Strategy; model: a rise of at least 0.15 points over the same two years.",
        "milex.csv JPN 2022, 2024; events.csv 2022-12-16; japan_plans.csv",
        lambda: _milex("JPN", 2024) - _milex("JPN", 2022) >= 0.15,
        lambda r: _share(r, "JPN", 2024) - _share(r, "JPN", 2022) >= 0.15,
    ),
    Pattern(
        "P5",
        "China's defence share flat",
        "China's SIPRI share stayed within 1.61-1.71% in 2021-2024; model: within 1.55-1.80% "
        "in every year and moving by at most 0.15 points.",
        "milex.csv CHN 2021-2024",
        lambda: all(1.6 <= _milex("CHN", y) <= 1.72 for y in range(2021, 2025)),
        lambda r: (
            lambda s: np.all((s >= 1.55) & (s <= 1.80), axis=0) & (np.ptp(s, axis=0) <= 0.15)
        )(np.array([_share(r, "CHN", y) for y in range(2021, 2025)])),
    ),
    Pattern(
        "P6",
        "Host-nation support settles about 7% up",
        "The Special Measures Agreement for FY2022-26 (JPY 1.05tn) settled about 7% above the "
        "FY2016-20 one (JPY 980.1bn), far from the 'cost plus 50' demand.",
        "japan_plans.csv sma_total, sma_previous_total, trump_demand_cost_plus_markup",
        lambda: 1.03 <= 1000 * _plan("sma_total") / _plan("sma_previous_total") <= 1.12,
        None,
        "host-nation support is not a model quantity: the cost-plus-50 demand enters only as a "
        "friction multiplier (C7); HNS bargaining comes with issue 12",
    ),
    Pattern(
        "P7",
        "Australia moves toward the US",
        "Australia joined AUKUS (September 2021) after China's trade coercion; model: its "
        "alignment with the leader is higher in 2023 than in 2019 (AUKUS itself is imposed as "
        "an affinity shift, so this pattern is partly put in by hand).",
        "events.csv 2021-09-15",
        lambda: bool((load_history("events").event.str.contains("AUKUS")).any()),
        lambda r: _mean(r, "AUS", "alignment", 2023) > _mean(r, "AUS", "alignment", 2019),
    ),
    Pattern(
        "P8",
        "India closer after Galwan, but not allied",
        "After the Galwan clash (June 2020) India joined the Quad leaders' summits (2021) but "
        "no alliance; model: India's alignment is higher in 2022 than in 2019 and stays below "
        "both treaty allies' in 2024.",
        "events.csv 2020-06-15, 2021-03-12",
        lambda: bool(load_history("events").event.str.contains("Galwan").any()),
        lambda r: (
            (_mean(r, "IND", "alignment", 2022) > _mean(r, "IND", "alignment", 2019))
            & (_mean(r, "IND", "alignment", 2024) < _mean(r, "JPN", "alignment", 2024))
            & (_mean(r, "IND", "alignment", 2024) < _mean(r, "AUS", "alignment", 2024))
        ),
    ),
    Pattern(
        "P9",
        "India's defence share falls",
        "India's SIPRI share fell from 2.47% (2021) to 2.27% (2024); model: a fall of at "
        "least 0.1 points over those years.",
        "milex.csv IND 2021-2024",
        lambda: _milex("IND", 2021) - _milex("IND", 2024) >= 0.1,
        lambda r: _share(r, "IND", 2021) - _share(r, "IND", 2024) >= 0.1,
    ),
    Pattern(
        "P10",
        "The US rebound comes in one year",
        "US growth was 6.06% in 2021 and 2.51% in 2022, back at trend; model: 2021 growth "
        "exceeds 2022 growth by at least one point.",
        "gdp.csv USA 2021-2022",
        lambda: _growth("USA", 2021) - _growth("USA", 2022) >= 1.0,
        lambda r: _growth_model(r, "USA", 2021) - _growth_model(r, "USA", 2022) >= 1.0,
    ),
)


def check_patterns(results: Results) -> list[PatternResult]:
    """Every pattern on the data and on the model's worlds."""
    checked = []
    for pattern in PATTERNS:
        observed = bool(pattern.observed())
        if pattern.model is None:
            checked.append(PatternResult(pattern, observed, np.nan, False, pattern.missing))
            continue
        try:
            share = float(np.mean(pattern.model(results)))
        except ValueError as error:  # an origin whose run starts after the pattern's years
            checked.append(PatternResult(pattern, observed, np.nan, False, f"not checked: {error}"))
            continue
        held = observed and share >= HELD_SHARE
        checked.append(PatternResult(pattern, observed, share, held, ""))
    return checked


def pattern_table(checked: list[PatternResult]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": c.pattern.id,
                "pattern": c.pattern.name,
                "observed": c.observed_holds,
                "share_of_worlds": c.share_of_worlds,
                "held": c.held,
                "note": c.note,
            }
            for c in checked
        ]
    )
