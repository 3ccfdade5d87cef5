"""History matching (Craig et al. 1997; Vernon et al. 2010): rule out parameter draws whose
2015-2019 trajectory could not have produced the record, keep the rest.

Each parameter draw is run in `worlds_per_draw` worlds from the 2015 origin's conditions, to
2020Q1 (the last quarter of the FY2019 windows), never later, so 2020-2024 stays out of sample.
For every in-sample point (series i, year t) the implausibility of draw x is

    I_i(x) = |z_i - E[f_i(x)]| / sqrt(V_obs,i + V_md,i + V_luck,i(x))

with z the observation, E[f(x)] the mean over the draw's worlds, V_obs the error of the record,
V_md the model discrepancy (what the model cannot represent, from the backtest's observation
model where it has one) and V_luck the spread over the draw's worlds (plus the Monte Carlo error
of their mean). A draw is plausible when the `rank`-th largest I_i is at most `cut` (3: by
Pukelsheim's three-sigma rule any unimodal distribution puts at least 95% of its mass within
3 sd). The model is never emulated: lock-step worlds make the simulator cheap enough to run.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lynchpin.backtest.calibrate import observation_params, read_calibration
from lynchpin.backtest.engine import trend_path
from lynchpin.backtest.observed import (
    TEST,
    model_values,
    observed_points,
    point_status,
    series_catalogue,
)
from lynchpin.backtest.origins import ORIGIN_2015, Origin, origin_config
from lynchpin.model.config import ModelConfig
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import format_quarter, parse_quarter
from lynchpin.model.rng import BLOCK_SIZE
from lynchpin.model.run import plan_chunks

DEFAULT_DRAWS = 10_000
DEFAULT_WORLDS_PER_DRAW = 10
DEFAULT_SEED = 20150101
DEFAULT_CUT = 3.0
DEFAULT_RANK = 2  # second-largest implausibility: one wild output does not rule a draw out
CHUNK_WORLDS = 10_000  # worlds per lock-step run: bounds memory (~200 MB), a multiple of 250
# Error of the record itself, as a share of the value (shares, counts) or in points (growth).
# Judgements: SIPRI revises shares by ~1-2% of the value between releases; World Bank growth
# is revised by ~0.3 points; the counts are administrative tallies (their year-to-year spread
# beyond Poisson is model discrepancy, below).
OBS_SD_SHARE_REL = 0.02
OBS_SD_GROWTH = 0.3
# Model discrepancy of growth (points): one trend and one AR(1) output gap per country cannot
# follow a business cycle's shape; a judgement, about a third of the 2015-2019 spread of US,
# Japanese and Australian growth around trend (0.3-0.8 points).
MD_SD_GROWTH = 0.5

WINDOW_MEAN = 0  # the `year` of a series' mean over the fitting window

Progress = Callable[[str, int, int], object]


@dataclass(frozen=True)
class Output:
    """One in-sample point: a series, a year and what was recorded."""

    series: str
    year: int
    observed: float


@dataclass
class HistoryMatch:
    """The ensemble's draws, their implausibility per output, and which are plausible."""

    parameters: pd.DataFrame  # one row per draw, one column per drawn parameter key
    outputs: list[Output]
    implausibility: np.ndarray  # draws x outputs
    mean: np.ndarray  # draws x outputs: E[f(x)] over the draw's worlds
    cut: float
    rank: int
    seed: int
    worlds_per_draw: int
    scenario: str
    scenario_sha: str
    end: str
    seconds: float
    peak_mb: float
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def draws(self) -> int:
        return len(self.parameters)

    @property
    def score(self) -> np.ndarray:
        """Each draw's rank-th largest implausibility."""
        return ranked_max(self.implausibility, self.rank)

    @property
    def plausible(self) -> np.ndarray:
        return self.score <= self.cut

    def retained(self) -> pd.DataFrame:
        """The plausible draws' parameters, with their draw index and implausibility."""
        keep = self.plausible
        frame = self.parameters[keep].copy()
        frame.insert(0, "implausibility", np.round(self.score[keep], 4))
        frame.insert(0, "draw", np.flatnonzero(keep))
        return frame.reset_index(drop=True)


def ordinal(rank: int) -> str:
    """'second' for 2: how the cut is described."""
    return {1: "first", 2: "second", 3: "third"}.get(rank, f"{rank}th")


def ranked_max(values: np.ndarray, rank: int) -> np.ndarray:
    """The rank-th largest value of each row (rank 1: the maximum)."""
    if rank < 1 or rank > values.shape[1]:
        raise ValueError(f"rank must lie in 1..{values.shape[1]}, got {rank}")
    return np.sort(values, axis=1)[:, -rank]


def implausibility(
    observed: np.ndarray,
    mean: np.ndarray,
    luck_var: np.ndarray,
    obs_var: np.ndarray,
    md_var: np.ndarray,
) -> np.ndarray:
    """|z - E[f(x)]| / sqrt(V_obs + V_md + V_luck(x)), broadcast over draws x outputs."""
    return np.abs(observed - mean) / np.sqrt(obs_var + md_var + luck_var)


def history_config(
    origin: Origin = ORIGIN_2015, seed: int = DEFAULT_SEED
) -> tuple[ModelConfig, str, str]:
    """(config, scenario sha, end quarter) of the fitting run: the origin's scenario with every
    parameter drawn from its prior, one draw per `worlds_per_draw` worlds, stopped at 2020Q1."""
    from lynchpin.scenario import load_scenario

    scenario = load_scenario(origin.scenario).with_overrides(seed=seed, uncertainty="priors")
    config = origin_config(origin, scenario.to_config())
    end = parse_quarter(f"{origin.fit_years[1] + 1}Q1")
    return dataclasses.replace(config, end=end), scenario.sha256(), format_quarter(end)


def _with_group(config: ModelConfig, worlds_per_draw: int) -> ModelConfig:
    spec = dataclasses.replace(config.uncertainty, worlds_per_draw=worlds_per_draw)
    return dataclasses.replace(config, uncertainty=spec)


def in_sample_outputs(config: ModelConfig, origin: Origin = ORIGIN_2015) -> list[Output]:
    """Every observed point of the fitting window the run can be compared with."""
    from lynchpin.model.periods import quarter_range

    periods = quarter_range(config.start, config.end)
    observed = observed_points(origin.fit_years[0], origin.fit_years[1])
    outputs = []
    for series in series_catalogue():
        recorded = observed[observed.series == series.key].set_index("year").observed
        for year in range(origin.fit_years[0], origin.fit_years[1] + 1):
            if year in recorded.index and point_status(series, year, periods, set()) == TEST:
                outputs.append(Output(series.key, year, float(recorded[year])))
        years = [o for o in outputs if o.series == series.key]
        if len(years) > 1:
            # The window mean: luck and year-to-year discrepancy average out, so a draw whose
            # level is off is ruled out even when each year alone stays within its band.
            outputs.append(
                Output(series.key, WINDOW_MEAN, float(np.mean([o.observed for o in years])))
            )
    return outputs


def error_variances(
    outputs: list[Output], first_year: int, obs: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """(V_obs, V_md) per output. Shares: budget surprises as a random walk in logs from the
    origin (the backtest's observation model) and revisions that shift a series' level;
    counts: the backtest's gamma year effect, independent across years; growth: the judgements
    OBS_SD_GROWTH and MD_SD_GROWTH, independent across years. Scaled by the observed value (the
    model's mean would let a draw buy plausibility by inflating its own error). A window mean
    takes the variance of the mean of its years under those correlations."""
    obs_var, md_var = [], []
    yearly: dict[str, list[Output]] = {}
    for o in outputs:
        z = abs(o.observed)
        share = o.series.startswith("defence_share.")
        if o.year == WINDOW_MEAN:
            years = yearly[o.series]
            n = len(years)
            if share:
                steps = np.array([max(y.year - first_year, 1) for y in years])
                walk = np.minimum.outer(steps, steps).sum() / n**2  # mean of a random walk
                obs_var.append((OBS_SD_SHARE_REL * z) ** 2)  # a revision shifts every year
                md_var.append((z * obs["share_log_sd"]) ** 2 * walk)
            else:
                obs_var.append(float(np.mean([obs_var[outputs.index(y)] for y in years])) / n)
                md_var.append(float(np.mean([md_var[outputs.index(y)] for y in years])) / n)
            continue
        yearly.setdefault(o.series, []).append(o)
        if share:
            obs_var.append((OBS_SD_SHARE_REL * z) ** 2)
            md_var.append((z * obs["share_log_sd"]) ** 2 * max(o.year - first_year, 1))
        elif o.series.startswith("growth."):
            obs_var.append(OBS_SD_GROWTH**2)
            md_var.append(MD_SD_GROWTH**2)
        else:
            cv = obs["maritime_year_cv" if o.series == "senkaku_ts_days" else "air_year_cv"]
            obs_var.append(0.0)
            md_var.append((z * cv) ** 2)
    return np.array(obs_var), np.array(md_var)


def _chunk_outputs(model: LynchpinModel, config: ModelConfig, outputs: list[Output]) -> np.ndarray:
    """Model values of every output in every world of one lock-step run (outputs x worlds).

    A window mean (year 0) is the mean of the series' yearly outputs listed before it.
    """
    results = model.run("history-matching")
    catalogue = {s.key: s for s in series_catalogue()}
    rows: list[np.ndarray] = []
    by_series: dict[str, list[np.ndarray]] = {}
    for o in outputs:
        if o.year == WINDOW_MEAN:
            rows.append(np.mean(by_series[o.series], axis=0))
            continue
        series = catalogue[o.series]
        metric = results.metric(series.actor, series.metric)
        initial, trend, drift = trend_path(config, series)
        value = model_values(series, o.year, metric, results.periods, initial, trend, drift)
        by_series.setdefault(o.series, []).append(value)
        rows.append(value)
    return np.array(rows)


def estimate_seconds(draws: int, worlds_per_draw: int, seed: int = DEFAULT_SEED) -> float:
    """Cost of a run, from a timed pilot of one block of worlds (printed before it is spent)."""
    config, _, _ = history_config(seed=seed)
    config = _with_group(config, worlds_per_draw)
    pilot = BLOCK_SIZE * 2
    started = time.perf_counter()
    model = LynchpinModel(config, worlds=pilot, seed=seed)
    model.run("pilot")
    per_world = (time.perf_counter() - started) / pilot
    # Lock-step runs amortise per-quarter overhead: a 10,000-world chunk costs ~0.6x per world.
    return per_world * draws * worlds_per_draw * 0.6


def run_history_matching(
    draws: int = DEFAULT_DRAWS,
    worlds_per_draw: int = DEFAULT_WORLDS_PER_DRAW,
    seed: int = DEFAULT_SEED,
    cut: float = DEFAULT_CUT,
    rank: int = DEFAULT_RANK,
    origin: Origin = ORIGIN_2015,
    on_chunk: Progress | None = None,
) -> HistoryMatch:
    """Run `draws` parameter draws x `worlds_per_draw` worlds from 2015 and score 2015-2019."""
    import resource

    if worlds_per_draw < 2 or BLOCK_SIZE % worlds_per_draw:
        raise ValueError(f"worlds per draw must be at least 2 and divide {BLOCK_SIZE}")
    started = time.perf_counter()
    config, sha, end = history_config(origin, seed)
    config = _with_group(config, worlds_per_draw)
    outputs = in_sample_outputs(config, origin)
    obs_var, md_var = error_variances(outputs, origin.start_year, _observation())
    observed = np.array([o.observed for o in outputs])
    worlds = draws * worlds_per_draw
    means, lucks, params = [], [], []
    # Chunks aligned on random-stream blocks, so on worlds_per_draw: chunking is exact.
    for first, n in plan_chunks(worlds, CHUNK_WORLDS):
        model = LynchpinModel(config, worlds=n, seed=seed, first_world=first)
        values = _chunk_outputs(model, config, outputs)  # outputs x n
        grouped = values.T.reshape(n // worlds_per_draw, worlds_per_draw, len(outputs))
        means.append(grouped.mean(axis=1))
        # One recorded year is one world's luck, plus the error of the draw's mean.
        lucks.append(grouped.var(axis=1, ddof=1) * (1.0 + 1.0 / worlds_per_draw))
        params.append({k: v[::worlds_per_draw] for k, v in model.drawn_parameters.items()})
        del model, values, grouped
        gc.collect()  # agents and model refer to each other: free the chunk before the next
        if on_chunk is not None:
            on_chunk("history matching", first + n, worlds)
    mean = np.concatenate(means)
    luck = np.concatenate(lucks)
    parameters = pd.DataFrame(
        {k: np.concatenate([p[k] for p in params]) for k in sorted(params[0])}
    )
    score = implausibility(observed, mean, luck, obs_var, md_var)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return HistoryMatch(
        parameters,
        outputs,
        score,
        mean,
        cut,
        rank,
        seed,
        worlds_per_draw,
        origin.scenario,
        sha,
        end,
        time.perf_counter() - started,
        peak,
    )


def _observation() -> dict[str, float]:
    return observation_params(read_calibration())


def output_table(match: HistoryMatch) -> pd.DataFrame:
    """Per output: observed, the ensemble's and the retained draws' mean, share ruled out."""
    keep = match.plausible
    rows = []
    for j, o in enumerate(match.outputs):
        rows.append(
            {
                "series": o.series,
                "year": o.year,
                "observed": o.observed,
                "prior_mean": float(match.mean[:, j].mean()),
                "posterior_mean": float(match.mean[keep, j].mean()) if keep.any() else np.nan,
                "share_above_cut": float((match.implausibility[:, j] > match.cut).mean()),
            }
        )
    return pd.DataFrame(rows)


def shrinkage_table(match: HistoryMatch, threshold: float = 0.1) -> pd.DataFrame:
    """Per parameter: prior and posterior mean and sd, shrinkage 1 - var_post / var_prior.

    Both moments come from the same ensemble (all draws vs the plausible ones), so Monte Carlo
    error is shared. `identified` is False below `threshold`: the 2015-2019 record does not
    narrow that parameter (its posterior is its prior).
    """
    keep = match.plausible
    prior, post = match.parameters, match.parameters[keep]
    var_prior = prior.var(ddof=1)
    var_post = post.var(ddof=1) if keep.sum() > 1 else var_prior * np.nan
    shrink = 1.0 - var_post / var_prior
    table = pd.DataFrame(
        {
            "parameter": prior.columns,
            "prior_mean": prior.mean().to_numpy(),
            "prior_sd": np.sqrt(var_prior).to_numpy(),
            "posterior_mean": post.mean().to_numpy(),
            "posterior_sd": np.sqrt(var_post).to_numpy(),
            "shrinkage": shrink.to_numpy(),
        }
    )
    table["identified"] = table.shrinkage >= threshold
    return table.sort_values("shrinkage", ascending=False, ignore_index=True)
