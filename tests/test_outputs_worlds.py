"""worlds.parquet is written one output at a time, and holds exactly the run's numbers."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import vary

from lynchpin.model import simulate
from lynchpin.model.results import Results, summarise
from lynchpin.outputs.worlds import write_worlds


@pytest.fixture(scope="module")
def results(baseline):
    return simulate(vary(baseline, quarters=5), worlds=40, seed=2, scenario="baseline")


def test_file_equals_the_long_table(results, tmp_path):
    path = write_worlds(tmp_path / "w.parquet", results.scenario, results.periods, results.pieces())
    frame = pd.read_parquet(path)
    pd.testing.assert_frame_equal(frame, results.per_world(), check_exact=True)


def test_one_row_group_per_output_never_the_whole_table(results, tmp_path):
    path = write_worlds(tmp_path / "w.parquet", results.scenario, results.periods, results.pieces())
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == len(results.values)
    sizes = {meta.row_group(i).num_rows for i in range(meta.num_row_groups)}
    assert sizes == {len(results.periods) * results.worlds}


def test_summary_from_the_file_equals_the_run_summary(results, tmp_path):
    """float64 kept: anything recomputed from saved worlds matches the run bit for bit."""
    path = write_worlds(tmp_path / "w.parquet", results.scenario, results.periods, results.pieces())
    frame = pd.read_parquet(path)
    series = []
    for (actor, metric), rows in frame.groupby(["actor", "metric"], sort=False):
        grid = rows.pivot(index="period", columns="world", values="value").loc[results.periods]
        series.append(((actor, metric), grid.to_numpy()))
    again = summarise(results.scenario, results.periods, series)
    pd.testing.assert_frame_equal(again, results.summary(), check_exact=True)


def test_chunks_write_the_same_rows_with_global_world_ids(results, tmp_path):
    parts = [
        Results(
            results.scenario,
            results.periods,
            {k: v[:, lo:hi] for k, v in results.values.items()},
            lo,
        )
        for lo, hi in ((0, 15), (15, 40))
    ]
    pieces = (piece for part in parts for piece in part.pieces())
    path = write_worlds(tmp_path / "w.parquet", results.scenario, results.periods, pieces)
    keys = ["actor", "metric", "period", "world"]
    got = pd.read_parquet(path).sort_values(keys, ignore_index=True)
    want = results.per_world().sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_a_failure_leaves_no_file(results, tmp_path):
    def broken():
        yield next(results.pieces())
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_worlds(tmp_path / "w.parquet", results.scenario, results.periods, broken())
    assert list(tmp_path.iterdir()) == []
