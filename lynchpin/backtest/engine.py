"""Run the history scenarios from each origin and score them against what was observed.

The model's bands are predictive: quantiles over worlds of the model quantity passed through
the calibrated observation model (budget surprises for shares, a gamma year effect for counts;
growth needs none, its volatility is in the model). The model-only band is kept beside it, so
the observation model's share of the spread stays visible. Every scored point is also scored
for the three naive forecasts (lynchpin.backtest.naive) with the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.backtest import naive, scoring
from lynchpin.backtest.calibrate import CALIBRATION_PATH, observation_params, read_calibration
from lynchpin.backtest.observed import (
    NO_DATA,
    OUTSIDE,
    TEST,
    Series,
    describe_window,
    model_values,
    observed_points,
    point_status,
    series_catalogue,
    year_window,
)
from lynchpin.backtest.origins import ORIGINS, Origin, origin_config
from lynchpin.model.config import ModelConfig, actor_defaults
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import parse_quarter
from lynchpin.model.results import Results

IN_SAMPLE = "in sample (fitting window)"
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
NOISE_STREAM = 7  # spawn key of the observation-noise generator, apart from the model's streams
# Shocks on these parameters set the growth of the years they overlap (trend and output gap).
GROWTH_PARAMETERS = ("growth_trend", "output_gap_shock")

# Each world's parameters: resampled from the history-matching posterior (docs/calibration.md).
DEFAULT_UNCERTAINTY = "posterior"

Progress = Callable[[str, int, int], object]


@dataclass
class OriginResult:
    """Every point of one origin, its scores and the run it came from."""

    origin: Origin
    points: pd.DataFrame
    scores: pd.DataFrame
    skill: pd.DataFrame
    overall: dict[str, float]
    pit: np.ndarray
    scenario_sha: str
    results: Results = field(repr=False)
    config: ModelConfig = field(repr=False)


@dataclass
class Backtest:
    """All origins and the settings that produced them."""

    origins: dict[str, OriginResult]
    worlds: int
    seed: int
    calibration: pd.DataFrame
    uncertainty: str = DEFAULT_UNCERTAINTY

    @property
    def primary(self) -> OriginResult:
        return next(iter(self.origins.values()))


def imposed_points(config: ModelConfig, catalogue: list[Series]) -> set[tuple[str, int]]:
    """Growth years whose window overlaps a growth or recession shock: the outcome was put in
    by hand. Later years are tested: the rebound after a recession is the model's."""
    imposed = set()
    for series in catalogue:
        if series.metric != "gdp":
            continue
        for shock in config.shocks:
            if shock.target != series.actor or shock.parameter not in GROWTH_PARAMETERS:
                continue
            for year in range(shock.start // 4 - 1, shock.end // 4 + 2):
                window = year_window(year, series.convention)
                if window[0] <= shock.end and shock.start <= window[-1]:
                    imposed.add((series.key, year))
    return imposed


def trend_path(config: ModelConfig, series: Series) -> tuple[float, float, float]:
    """Starting GDP, growth_trend and growth_trend_drift of a growth series' actor: quarters
    before the run lie on this trend path (zero output gap, as the model starts)."""
    if series.metric != "gdp":
        return 0.0, 0.0, 0.0
    spec = config.actor(series.actor)
    defaults = actor_defaults()
    return (
        float(spec.gdp),
        float(spec.params.get("growth_trend", defaults["growth_trend"])),
        float(spec.params.get("growth_trend_drift", defaults["growth_trend_drift"])),
    )


def _observation_noise(
    series: Series,
    year: int,
    values: np.ndarray,
    first_year: int,
    rng: np.random.Generator,
    walk: dict[str, np.ndarray],
    obs: dict[str, float],
) -> np.ndarray:
    """Model value in observed units -> a draw of what would be recorded."""
    if series.metric == "defence_share_gdp":
        # Budget surprises accumulate as a random walk in logs, one step per year of horizon.
        step = rng.standard_normal(values.shape) * obs["share_log_sd"]
        walk[series.key] = walk.get(series.key, np.zeros(values.shape))
        if year > first_year:
            walk[series.key] = walk[series.key] + step
        return values * np.exp(walk[series.key])
    if series.metric in ("incidents_maritime", "incidents_air"):
        cv = obs["maritime_year_cv" if series.metric == "incidents_maritime" else "air_year_cv"]
        if cv <= 0:
            return values
        return values * rng.gamma(1.0 / cv**2, cv**2, size=values.shape)
    return values


def simulate_origin(
    origin: Origin,
    worlds: int,
    seed: int | None,
    on_step: Progress | None = None,
    uncertainty: str = DEFAULT_UNCERTAINTY,
) -> tuple[Results, ModelConfig, str, int]:
    """Run the origin's scenario from its starting conditions: (results, config, sha, seed).

    `uncertainty` is the scenario mode: by default the history-matching posterior (fitted on
    2015-2019 only, so 2020-2024 stays out of sample), else priors, none or a table's path.
    """
    from lynchpin.scenario import load_scenario

    base = load_scenario(origin.scenario)
    seed = base.seed if seed is None else seed
    scenario = base.with_overrides(worlds=worlds, seed=seed, uncertainty=uncertainty)
    config = origin_config(origin, scenario.to_config())
    model = LynchpinModel(config, worlds=worlds, seed=seed)
    total = len(model.periods)
    done = [0]

    def step() -> None:
        done[0] += 1
        if on_step is not None:
            on_step(origin.name, done[0], total)

    return model.run(origin.scenario, on_step=step), config, scenario.sha256(), seed


def series_scales(observed: pd.DataFrame, fit_years: tuple[int, int]) -> dict[str, float]:
    """RMS of each series' year-on-year changes in the fitting window (its unit of error)."""
    scales = {}
    window = observed[observed.year.between(*fit_years)]
    for key, frame in window.groupby("series"):
        forecast = naive.persistence(
            frame.year.to_numpy(), frame.observed.to_numpy(float), fit_years[1] + 1
        )
        scales[str(key)] = forecast.sd
    return scales


def score_origin(
    origin: Origin,
    results: Results,
    config: ModelConfig,
    scenario_sha: str,
    seed: int,
    obs: dict[str, float],
) -> OriginResult:
    """Every point of the run: status, predictive quantiles, scores of model and naives."""
    periods = results.periods
    first_year = parse_quarter(periods[0]) // 4
    last_year = parse_quarter(periods[-1]) // 4
    catalogue = series_catalogue()
    imposed = imposed_points(config, catalogue) if origin.growth_sized_on_outcome else set()
    observed = observed_points(origin.fit_years[0], max(last_year, origin.score_years[1]))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(NOISE_STREAM,)))
    rows, draws_by_point = [], {}
    for series in catalogue:
        metric = results.metric(series.actor, series.metric)
        initial, trend, drift = trend_path(config, series)
        walk: dict[str, np.ndarray] = {}
        recorded = observed[observed.series == series.key].set_index("year").observed
        for year in range(first_year, last_year + 1):
            status = point_status(series, year, periods, imposed)
            if status == TEST and year not in recorded.index:
                status = NO_DATA
            if status == TEST and year < origin.score_years[0]:
                status = IN_SAMPLE
            values = model_values(series, year, metric, periods, initial, trend, drift)
            row = {
                "series": series.key,
                "year": year,
                "window": describe_window(year, series.convention),
                "status": status,
                "observed": float(recorded.get(year, np.nan)),
            }
            if values is not None:
                draws = _observation_noise(series, year, values, first_year, rng, walk, obs)
                q = np.quantile(draws, QUANTILES)
                row.update(dict(zip(("p05", "p25", "p50", "p75", "p95"), q, strict=True)))
                row["model_p05"], row["model_p95"] = np.quantile(values, (0.05, 0.95))
                draws_by_point[(series.key, year)] = draws
            rows.append(row)
    points = pd.DataFrame(rows)
    points = points[~(points.observed.isna() & (points.status == OUTSIDE))].reset_index(drop=True)
    tested = points.status.eq(TEST) & points.observed.notna()
    points["in90"] = (points.observed >= points.p05) & (points.observed <= points.p95)
    points["in50"] = (points.observed >= points.p25) & (points.observed <= points.p75)
    points["model_in90"] = (points.observed >= points.model_p05) & (
        points.observed <= points.model_p95
    )
    points["tested"] = tested
    points = _add_scores(points, draws_by_point, observed, origin)
    scored = points[points.tested]
    scales = series_scales(observed, origin.fit_years)
    skill = scoring.skill_table(scored, scales)
    pit_values = scored.pit.to_numpy(float)
    overall = {
        "points": int(tested.sum()),
        "coverage90": float(scored.in90.mean()),
        "coverage50": float(scored.in50.mean()),
        "model_coverage90": float(scored.model_in90.mean()),
        "crps_scaled": float((scored.crps_model / scored.series.map(scales)).mean()),
        **{f"coverage90_{m}": float(scored[f"in90_{m}"].mean()) for m in naive.NAIVE_METHODS},
        **{f"coverage50_{m}": float(scored[f"in50_{m}"].mean()) for m in naive.NAIVE_METHODS},
    }
    return OriginResult(
        origin,
        points,
        per_series(scored),
        skill,
        overall,
        scoring.pit_histogram(pit_values),
        scenario_sha,
        results,
        config,
    )


def _add_scores(
    points: pd.DataFrame,
    draws: dict[tuple[str, int], np.ndarray],
    observed: pd.DataFrame,
    origin: Origin,
) -> pd.DataFrame:
    """WIS, CRPS and PIT of the model, and WIS, CRPS and coverage of each naive, per point."""
    columns: dict[str, list] = {"wis_model": [], "crps_model": [], "pit": []}
    for m in naive.NAIVE_METHODS:
        for name in ("wis", "crps", "mean", "in90", "in50"):
            columns[f"{name}_{m}"] = []
    first_scored = points[points.tested].groupby("series").year.min().to_dict()
    for row in points.itertuples():
        if not row.tested:
            for values in columns.values():
                values.append(np.nan)
            continue
        sample = draws[(row.series, row.year)]
        columns["wis_model"].append(scoring.wis_draws(row.observed, sample))
        columns["crps_model"].append(scoring.crps_draws(row.observed, sample))
        columns["pit"].append(scoring.pit(row.observed, sample))
        history = observed[
            (observed.series == row.series)
            & observed.year.between(origin.fit_years[0], first_scored[row.series] - 1)
        ]
        years, values = history.year.to_numpy(), history.observed.to_numpy(float)
        for m in naive.NAIVE_METHODS:
            forecast = naive.naive_forecast(m, years, values, int(row.year))
            columns[f"wis_{m}"].append(scoring.wis_normal(row.observed, forecast))
            columns[f"crps_{m}"].append(scoring.crps_normal(row.observed, forecast))
            columns[f"mean_{m}"].append(forecast.mean)
            columns[f"in90_{m}"].append(scoring.inside(row.observed, forecast, 0.9))
            columns[f"in50_{m}"].append(scoring.inside(row.observed, forecast, 0.5))
    return points.assign(**columns)


def per_series(scored: pd.DataFrame) -> pd.DataFrame:
    """Per series: coverage, WIS, CRPS, bias and median absolute error of the median."""
    frame = scored.assign(error=scored.p50 - scored.observed)
    grouped = frame.groupby("series", sort=False)
    return pd.DataFrame(
        {
            "points": grouped.size(),
            "coverage90": grouped.in90.mean(),
            "coverage50": grouped.in50.mean(),
            "model_coverage90": grouped.model_in90.mean(),
            "wis": grouped.wis_model.mean(),
            "crps": grouped.crps_model.mean(),
            "median_abs_error": grouped.error.apply(lambda e: e.abs().median()),
            "bias": grouped.error.mean(),
        }
    ).reset_index()


def run_backtest(
    worlds: int = 1000,
    seed: int | None = None,
    origins: tuple[str, ...] = tuple(ORIGINS),
    calibration_path: Path = CALIBRATION_PATH,
    on_step: Progress | None = None,
    uncertainty: str = DEFAULT_UNCERTAINTY,
) -> Backtest:
    """Simulate each origin's history scenario and score every point.

    The model's parameters are drawn per `uncertainty` (the posterior by default) around its
    shipped defaults, which are the calibrated values (a test checks `stale_defaults`); the
    calibration file supplies the observation model.
    """
    calibration = read_calibration(calibration_path)
    obs = observation_params(calibration)
    scored = {}
    used_seed = seed
    for name in origins:
        origin = ORIGINS[name]
        results, config, sha, used_seed = simulate_origin(
            origin, worlds, seed, on_step, uncertainty
        )
        scored[name] = score_origin(origin, results, config, sha, used_seed, obs)
    return Backtest(scored, worlds, int(used_seed or 0), calibration, uncertainty)
