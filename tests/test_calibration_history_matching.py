"""History matching (lynchpin.backtest.history_matching) and its posterior file.

What a wrong implementation breaks: an implausibility that ignores a variance term or cuts on
the wrong order statistic; draws that depend on the chunking; a posterior whose rows are not
the draws that were run; a shipped file out of step with the model and data; a scenario that
silently fixes the parameters a posterior lacks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lynchpin.backtest import history_matching as hm
from lynchpin.backtest.posterior import (
    DOCS_END,
    DOCS_PATH,
    DOCS_START,
    docs_block,
    parameter_columns,
    read_posterior,
    read_shrinkage,
    shrinkage_path,
    write_posterior,
)
from lynchpin.scenario.uncertainty import POSTERIOR_KIND, POSTERIOR_PATH, is_posterior

SMALL = 60  # draws of the small runs below (600 worlds, ~1 s)


@pytest.fixture(scope="module")
def small() -> hm.HistoryMatch:
    return hm.run_history_matching(draws=SMALL)


def _variances():
    config, _, _ = hm.history_config()
    outputs = hm.in_sample_outputs(config)
    obs = hm._observation()
    obs_var, md_var = hm.error_variances(outputs, 2015, obs)
    return outputs, obs_var, md_var


def test_the_cut_keeps_a_world_that_matches_and_rejects_one_that_does_not() -> None:
    outputs, obs_var, md_var = _variances()
    z = np.array([o.observed for o in outputs])
    luck = np.full_like(z, 0.0)
    sd = np.sqrt(obs_var + md_var)
    matching = z + 0.5 * sd  # half an sd off everywhere
    off = z.copy()
    off[[0, 7]] += 3.5 * sd[[0, 7]]  # two outputs 3.5 sd off: the second largest is > 3
    one_wild = z.copy()
    one_wild[3] += 10 * sd[3]  # one wild output only
    means = np.stack([matching, off, one_wild])
    score = hm.implausibility(z, means, luck, obs_var, md_var)
    second = hm.ranked_max(score, 2)
    assert second[0] == pytest.approx(0.5) and second[0] <= hm.DEFAULT_CUT
    assert second[1] > hm.DEFAULT_CUT
    assert second[2] <= hm.DEFAULT_CUT < hm.ranked_max(score, 1)[2]  # rank 2 forgives one
    # luck widens the denominator: the off world becomes plausible when its worlds spread
    wide = hm.implausibility(z, off, 4 * (obs_var + md_var), obs_var, md_var)
    assert hm.ranked_max(wide[None, :], 2)[0] < 3.5 / np.sqrt(5) + 1e-9


def test_outputs_are_the_2015_2019_record_only() -> None:
    outputs, obs_var, md_var = _variances()
    years = {o.year for o in outputs}
    assert years <= {2015, 2016, 2017, 2018, 2019, hm.WINDOW_MEAN}
    assert {o.series for o in outputs if o.year == hm.WINDOW_MEAN} == {o.series for o in outputs}
    assert (md_var > 0).all() and (obs_var >= 0).all()
    # 2015 shares are the starting values, never scored; a window mean is the mean of its years
    assert not any(o.series.startswith("defence_share") and o.year == 2015 for o in outputs)
    usa = [o for o in outputs if o.series == "growth.USA"]
    assert usa[-1].observed == pytest.approx(np.mean([o.observed for o in usa[:-1]]))


def test_the_fitting_run_stops_before_2020_can_inform_it() -> None:
    config, _, end = hm.history_config()
    assert end == "2020Q1"  # the last quarter of the FY2019 windows
    assert config.uncertainty is not None and len(config.uncertainty.distributions) > 100


def test_history_matching_is_chunk_exact(small, monkeypatch) -> None:
    monkeypatch.setattr(hm, "CHUNK_WORLDS", 250)
    chunked = hm.run_history_matching(draws=SMALL)
    assert np.array_equal(chunked.implausibility, small.implausibility)
    pd.testing.assert_frame_equal(chunked.parameters, small.parameters)
    # the first draws of a larger run are the draws of a smaller one (keyed by world index)
    fewer = hm.run_history_matching(draws=25)
    assert np.array_equal(fewer.implausibility, small.implausibility[:25])


def test_shrinkage_measures_what_the_cut_removed() -> None:
    rng = np.random.default_rng(3)
    n = 4000
    params = pd.DataFrame({"a": rng.normal(0, 1, n), "b": rng.normal(5, 2, n)})
    score = np.abs(params.a.to_numpy())[:, None] * np.ones((1, 2)) * 3.0  # keeps |a| <= 1
    match = hm.HistoryMatch(params, [], score, score, 3.0, 2, 0, 10, "x", "sha", "2020Q1", 0.0, 0.0)
    table = hm.shrinkage_table(match).set_index("parameter")
    assert table.loc["a", "shrinkage"] > 0.6 and table.loc["a", "identified"]
    assert abs(table.loc["b", "shrinkage"]) < 0.1 and not table.loc["b", "identified"]
    assert table.loc["b", "prior_sd"] == pytest.approx(2.0, rel=0.05)


def test_a_posterior_file_round_trips(small, tmp_path) -> None:
    path = tmp_path / "posterior.csv"
    written = write_posterior(small, path)
    assert written == [path, shrinkage_path(path)]
    header, frame = read_posterior(path)
    assert header["kind"] == POSTERIOR_KIND and is_posterior(path)
    assert header["seed"] == small.seed and header["draws"] == SMALL
    assert header["cut"] == hm.DEFAULT_CUT and header["retained"] == int(small.plausible.sum())
    assert header["observed"]["growth.USA"] == [2015, 2016, 2017, 2018, 2019, "mean"]
    retained = small.retained()
    assert list(frame.draw) == list(retained.draw)
    assert parameter_columns(frame) == list(small.parameters.columns)
    np.testing.assert_allclose(
        frame[parameter_columns(frame)], retained[parameter_columns(frame)], rtol=1e-6
    )
    shrink = read_shrinkage(shrinkage_path(path))
    assert set(shrink.parameter) == set(small.parameters.columns)


def test_the_shipped_posterior_is_what_calibrate_writes(small) -> None:
    """Rerun `lynchpin calibrate --overwrite` when this fails (a model or data change)."""
    header, frame = read_posterior(POSTERIOR_PATH)
    assert header["kind"] == POSTERIOR_KIND
    assert header["fitting_window"].startswith("2015-2019")
    assert header["scenario"] == "history-2015-2024" and header["worlds"] >= 10_000
    assert header["seed"] == small.seed and header["worlds_per_draw"] == small.worlds_per_draw
    assert header["cut"] == small.cut and header["rank"] == small.rank
    assert header["rows"] == len(frame) <= header["retained"] <= header["draws"]
    # same columns as a run would draw now, and the first draws are the ones a run keeps now
    assert parameter_columns(frame) == list(small.parameters.columns)
    head = frame[frame.draw < SMALL]
    assert list(head.draw) == list(np.flatnonzero(small.plausible))
    np.testing.assert_allclose(
        head[parameter_columns(frame)], small.retained()[parameter_columns(frame)], rtol=1e-6
    )


def test_the_docs_table_is_the_shipped_shrinkage_table() -> None:
    """Rerun `lynchpin calibrate --overwrite` (it rewrites the block) when this fails."""
    table = read_shrinkage(shrinkage_path(POSTERIOR_PATH))
    _, frame = read_posterior(POSTERIOR_PATH)
    assert set(table.parameter) == set(parameter_columns(frame))
    text = DOCS_PATH.read_text(encoding="utf-8")
    block = DOCS_START + text.split(DOCS_START, 1)[1].split(DOCS_END, 1)[0] + DOCS_END
    assert block == docs_block(table)
