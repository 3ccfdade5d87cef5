"""Charts drawn in worker processes are the files plot_run draws in process."""

from __future__ import annotations

import pytest

from lynchpin.data import default_config
from lynchpin.model import simulate
from lynchpin.plots import CHARTS, plot_run
from lynchpin.plots import workers as workers_module
from lynchpin.plots.workers import (
    CHART_OUTPUTS,
    ChartWorkers,
    batch_chart_workers,
    batch_charts,
    chart_inputs,
    shares,
    write_chart_files,
)


@pytest.fixture(scope="module")
def results():
    return simulate(default_config(), worlds=30, seed=3, scenario="baseline")


def test_workers_write_the_same_bytes_as_plot_run(results, tmp_path):
    summary = results.summary()
    serial = plot_run(summary, tmp_path / "serial", "baseline", 30, results, ("png", "svg"))
    with ChartWorkers(30, start_method="forkserver") as charts:
        assert charts.parallel
        futures = charts.submit(summary, "baseline", 30, results, ("png", "svg"))
        assert len(futures) == 2  # both workers drew a share
        parallel = write_chart_files(futures, tmp_path / "parallel")
    assert [p.name for p in parallel] == [p.name for p in serial]
    assert len(serial) == 2 * len(CHARTS)
    for a, b in zip(serial, parallel, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_small_runs_draw_in_process(results, tmp_path):
    summary = results.summary()
    with ChartWorkers(30) as charts:
        assert not charts.parallel
        files = write_chart_files(charts.submit(summary, "baseline", 30, results), tmp_path)
    assert sorted(p.name for p in files) == sorted(c.filename for c in CHARTS)


def test_shares_cover_every_chart_once_and_balance_panels():
    names = [c.filename for c in CHARTS]
    groups = shares(names, 2)
    assert sorted(n for g in groups for n in g) == sorted(names)
    weight = {c.filename: len(c.panels) + 1 for c in CHARTS}
    loads = [sum(weight[n] for n in g) for g in groups]
    assert max(loads) - min(loads) <= max(weight.values())
    assert shares(names[:1], 2) == [names[:1]]  # no empty share


def test_workers_get_only_what_the_charts_read(results):
    light = chart_inputs(results)
    assert light.keys and {m for _, m in light.keys} <= CHART_OUTPUTS
    assert len(light.keys) < len(results.keys) / 4
    assert light.worlds == results.worlds and light.periods == results.periods


def _bytes(paths):
    return [(p.name, p.read_bytes()) for p in paths]


def test_a_batch_draws_each_run_in_its_workers_as_a_fresh_process_would(results, tmp_path):
    """One worker draws two runs in turn: the second run's charts are the bytes plot_run
    draws for it alone in this process (nothing carries over from the run drawn before)."""
    other = simulate(default_config(), worlds=20, seed=8, scenario="baseline")
    alone = plot_run(other.summary(), tmp_path / "alone", "baseline", 20, other)
    with batch_chart_workers(0, workers=1, start_method="forkserver") as pool:
        assert pool.parallel
        first = batch_charts(results.summary(), results)
        second = batch_charts(other.summary(), other)
        drawn = [first(tmp_path / "first"), second(tmp_path / "second")]
    assert workers_module._BATCH is None  # the batch's workers are gone with its block
    assert all(p.is_relative_to(tmp_path / "second" / "plots") for p in drawn[1])
    assert _bytes(drawn[1]) == _bytes(alone)
    assert _bytes(drawn[0]) != _bytes(drawn[1])  # two different runs, two sets of charts


def test_batch_charts_without_workers_draw_in_process(results, tmp_path):
    with batch_chart_workers(30) as pool:  # small, and pytest runs threads: no fork
        assert not pool.parallel and workers_module._BATCH is None
        files = batch_charts(results.summary(), results)(tmp_path)
    assert sorted(p.name for p in files) == sorted(c.filename for c in CHARTS)
