"""The 2020-2024 backtest end to end: coverage floor, report files, determinism.

The floor is a regression guard, not a claim of calibration: docs/calibration.md explains why
it is 0.45 (measured 0.52-0.62 over seeds 1-8 at 300 worlds, 0.57 at this seed; the model-only
band covers about 0.21; honest bands would cover ~0.9).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lynchpin.backtest.report import (
    PLOT_FILES,
    POINTS_FILE,
    REPORT_FILE,
    run_backtest,
    write_report,
)

COVERAGE_FLOOR = 0.45
WORLDS = 300
SEED = 11


@pytest.fixture(scope="module")
def result():
    return run_backtest(worlds=WORLDS, seed=SEED)


def test_overall_coverage_reaches_the_floor(result) -> None:
    assert result.overall["points"] >= 40
    assert result.overall["coverage90"] >= COVERAGE_FLOOR, result.scores.to_string()


def test_every_series_is_scored(result) -> None:
    assert len(result.scores) == 12
    assert result.scores.points.min() >= 3


def test_report_files_are_written(result, tmp_path: Path) -> None:
    write_report(result, tmp_path)
    for name in (REPORT_FILE, POINTS_FILE, *PLOT_FILES):
        assert (tmp_path / name).stat().st_size > 0, name
    text = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert "What the model gets wrong" in text
    assert f"{result.overall['coverage90']:.2f}" in text


def test_same_seed_gives_the_same_points(result) -> None:
    again = run_backtest(worlds=WORLDS, seed=SEED)
    pd.testing.assert_frame_equal(result.points, again.points)
