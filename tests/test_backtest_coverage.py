"""The backtest end to end: both origins, proper scores, naive forecasts, report, determinism.

The floors are regression guards (docs/calibration.md gives the measured values and the
targets). What a wrong implementation breaks:
scoring the model on other points than the naives, leaking scored years into the naive fits,
scoring imposed or in-sample points, or a recession sized on the outcome it is scored on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lynchpin.backtest.engine import IN_SAMPLE, run_backtest
from lynchpin.backtest.observed import ACTORS, IMPOSED, TEST
from lynchpin.backtest.posterior import parameter_columns, read_posterior
from lynchpin.backtest.report import (
    PATTERNS_FILE,
    POINTS_FILE,
    REPORT_FILE,
    SKILL_FILE,
    plot_files,
    write_report,
)
from lynchpin.scenario.uncertainty import POSTERIOR_PATH

WORLDS = 300
SEED = 11
# Regression floors two points below the lowest of seeds 1, 5, 11, 17 at 300 worlds with the
# history-matching posterior (origin 2015: 46-47 of 52 points, 0.88-0.90; origin 2020: 26-28 of
# 42, 0.62-0.67). From 2015 the floor (44 of 52) lies inside the target 0.80-0.95, so falling
# out of the target fails; so do bands so wide they cover everything. WIS skill against the
# best naive measured +0.13 to +0.16 from 2015 and +0.04 to +0.06 from 2020 over those seeds.
COVERAGE_FLOOR = {"2015": 0.84, "2020": 0.57}
COVERAGE_CEILING_2015 = 0.95
SKILL_FLOOR = {"2015": 0.10, "2020": 0.0}


@pytest.fixture(scope="module")
def result():
    return run_backtest(worlds=WORLDS, seed=SEED)


def test_both_origins_are_scored_out_of_sample(result) -> None:
    assert list(result.origins) == ["2015", "2020"]
    for name, origin in result.origins.items():
        scored = origin.points[origin.points.tested]
        assert scored.year.min() >= 2020, name
        assert set(scored.status) == {TEST}
        assert origin.overall["coverage90"] >= COVERAGE_FLOOR[name], origin.scores.to_string()
    assert result.origins["2015"].overall["coverage90"] <= COVERAGE_CEILING_2015


def test_both_origins_beat_the_best_naive_forecast(result) -> None:
    for name, origin in result.origins.items():
        overall = origin.skill.iloc[-1]
        assert overall.skill_vs_best >= SKILL_FLOOR[name], origin.skill.to_string()


def test_worlds_resample_the_posterior_fitted_on_2015_2019(result) -> None:
    """The backtest's default: each group of worlds takes a row of the shipped posterior, whose
    fitting run stopped at 2020Q1, so nothing scored informed the parameters."""
    header, frame = read_posterior(POSTERIOR_PATH)
    assert result.uncertainty == "posterior" and header["origin"].endswith("2020Q1")
    for origin in result.origins.values():
        columns, rows = origin.config.uncertainty.table
        assert list(columns) == parameter_columns(frame) and len(rows) == len(frame)


def test_2015_origin_starts_from_2015_data_and_scores_2020_growth(result) -> None:
    origin = result.origins["2015"]
    usa = origin.config.actor("USA")
    assert usa.gdp == 18295.0 and usa.defence_share == pytest.approx(0.03464)
    in_sample = origin.points[origin.points.status == IN_SAMPLE]
    assert {2016, 2017, 2018, 2019} <= set(in_sample.year) <= {2015, 2016, 2017, 2018, 2019}
    assert not in_sample.tested.any()
    points = origin.points
    growth_2020 = points[(points.year == 2020) & points.series.str.startswith("growth.")]
    assert growth_2020.tested.all() and len(growth_2020) == len(ACTORS)


def test_2020_origin_keeps_its_imposed_growth_out_of_the_score(result) -> None:
    """The recession shocks of history-2020-2024 are sized on 2020 growth, so those points are
    imposed (not scored) and the model must reproduce them within 0.2 pp (the mapping check)."""
    points = result.origins["2020"].points
    imposed = points[(points.status == IMPOSED) & (points.year == 2020)]
    assert sorted(imposed.series) == [f"growth.{a}" for a in sorted(ACTORS)]
    for row in imposed.itertuples():
        assert abs(row.p50 - row.observed) < 0.2, (row.series, row.p50, row.observed)


def test_model_and_naives_are_scored_on_the_same_points(result) -> None:
    columns = ["wis_model", "wis_persistence", "wis_trend", "wis_ar1", "crps_model", "pit"]
    for origin in result.origins.values():
        scored = origin.points[origin.points.tested]
        assert scored[columns].notna().all().all()
        assert origin.points.loc[~origin.points.tested, columns].isna().all().all()
        assert origin.skill.points.iloc[-1] == len(scored) == origin.overall["points"]


def test_naive_persistence_is_the_last_value_before_scoring(result) -> None:
    """Persistence for 2020-2024 from the 2015 origin is the 2019 observation, never later."""
    points = result.origins["2015"].points
    share = points[(points.series == "defence_share.CHN") & points.tested]
    assert np.allclose(share.mean_persistence, 1.683)  # SIPRI 2019
    scrambles = points[(points.series == "scrambles_china") & points.tested]
    assert np.allclose(scrambles.mean_persistence, 675.0)


def test_skill_is_one_minus_the_wis_ratio(result) -> None:
    for row in result.origins["2015"].skill.itertuples():
        best = min(row.persistence, row.trend, row.ar1)
        assert row.skill_vs_best == pytest.approx(1 - row.model / best)


def test_report_leads_with_the_skill_table(result, tmp_path: Path) -> None:
    write_report(result, tmp_path)
    names = (REPORT_FILE, POINTS_FILE, SKILL_FILE, PATTERNS_FILE, *plot_files(["2015", "2020"]))
    for name in names:
        assert (tmp_path / name).stat().st_size > 0, name
    text = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    first_table = text.index("| series | points | WIS model")
    assert first_table < text.index("## Coverage") < text.index("## Named patterns")
    assert f"**{result.origins['2015'].overall['coverage90']:.2f}**" in text
    assert "What the model gets wrong" in text
    points = pd.read_csv(tmp_path / POINTS_FILE)
    assert set(points.origin.astype(str)) == {"2015", "2020"}


def test_same_seed_gives_the_same_points(result) -> None:
    again = run_backtest(worlds=WORLDS, seed=SEED, origins=("2015",))
    pd.testing.assert_frame_equal(result.origins["2015"].points, again.origins["2015"].points)
