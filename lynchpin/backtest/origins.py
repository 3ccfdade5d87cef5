"""Forecast origins: where a backtest starts, what it may have known, and what it scores.

An origin fixes the scenario (decisions and shocks that happened, never the quantities they led
to), the starting conditions (the observed GDP and defence shares of the first year), the
fitting window (2015-2019: calibration.csv is fitted there, and the naive forecasts may use
it) and the scoring window. Points inside the fitting window are shown as in-sample, never
scored: they are what history matching over per-world parameter draws (issue 10) will score.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lynchpin.data.history import load_history
from lynchpin.model.config import ModelConfig


@dataclass(frozen=True)
class Origin:
    """One forecast origin of the backtest."""

    name: str
    scenario: str
    start_year: int
    fit_years: tuple[int, int]
    score_years: tuple[int, int]
    # Whether the scenario's recession shocks were sized on observed 2020 growth (then those
    # growth points are imposed and not scored) or have one common size (then they are scored).
    growth_sized_on_outcome: bool
    description: str

    @property
    def key(self) -> str:
        return f"origin-{self.name}"


ORIGIN_2015 = Origin(
    name="2015",
    scenario="history-2015-2024",
    start_year=2015,
    fit_years=(2015, 2019),
    score_years=(2020, 2024),
    growth_sized_on_outcome=False,
    description="from 2015 conditions; 2016-2019 in sample, 2020-2024 out of sample",
)
ORIGIN_2020 = Origin(
    name="2020",
    scenario="history-2020-2024",
    start_year=2020,
    fit_years=(2015, 2019),
    score_years=(2020, 2024),
    growth_sized_on_outcome=True,
    description="from 2020 conditions; 2020 growth imposed (recession sized on it)",
)
ORIGINS: dict[str, Origin] = {o.name: o for o in (ORIGIN_2015, ORIGIN_2020)}
PRIMARY = ORIGIN_2015


def starting_conditions(year: int) -> dict[str, tuple[float, float]]:
    """{iso3: (GDP in current US$ bn, defence share of GDP)} observed in `year`."""
    gdp = load_history("gdp")
    milex = load_history("milex")
    gdp = gdp[gdp.year == year].set_index("iso3").gdp_current_usd_bn
    share = milex[milex.year == year].set_index("iso3").milex_pct_gdp / 100.0
    return {code: (float(gdp[code]), float(share[code])) for code in gdp.index}


def origin_config(origin: Origin, config: ModelConfig) -> ModelConfig:
    """The scenario's config with the origin year's observed starting GDP and shares.

    The shipped actors start from 2020 data (lynchpin/data/initial_2020.csv); an earlier
    origin replaces those two numbers per actor from gdp.csv and milex.csv. Per-world
    parameter draws (issue 10) would enter here, on the returned config.
    """
    if origin.start_year == 2020:
        return config
    start = starting_conditions(origin.start_year)
    actors = tuple(
        dataclasses.replace(a, gdp=start[a.code][0], defence_share=start[a.code][1])
        if a.code in start
        else a
        for a in config.actors
    )
    return dataclasses.replace(config, actors=actors)
