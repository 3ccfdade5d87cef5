"""Every backend, worker count, chunk size and work unit (whole runs or chunks) gives the same
numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import psutil
import pytest

from lynchpin.experiments import (
    Job,
    SerialExecutor,
    choose_mode,
    execute,
    open_executor,
    worker_count,
)
from lynchpin.experiments.tasks import run_chunk
from lynchpin.model.results import Results
from lynchpin.scenario import load_scenario


def short_jobs(tmp_path) -> list[Job]:
    path = tmp_path / "short.yaml"
    path.write_text("name: short\nextends: baseline\nend: 2022Q4\n")
    jobs = []
    for key, params in (("a", {}), ("b", {"counter_a2ad_share": 0.3})):
        scenario = load_scenario(path).with_overrides(worlds=1000, seed=11, params=params)
        config = scenario.to_config()
        assert config.uncertainty is not None  # priors on: every world draws its parameters
        jobs.append(Job(key, config, 1000, 11, "short"))
    return jobs


def run_all(
    jobs: list[Job], kind: str, workers: int, chunk: int, mode: str = "auto"
) -> tuple[str, dict[str, Results]]:
    found: dict[str, Results] = {}

    def on_done(job, results, error, wall):
        assert error is None, error
        found[job.key] = results

    with open_executor(kind, workers) as pool:
        used = execute(jobs, pool, on_done, chunk_worlds=chunk, mode=mode)
    return used, found


def assert_identical(left: dict[str, Results], right: dict[str, Results]) -> None:
    assert left.keys() == right.keys()
    for key in left:
        a, b = left[key], right[key]
        assert a.periods == b.periods and a.values.keys() == b.values.keys()
        assert a.scenario == b.scenario == "short"
        for output in a.values:
            assert np.array_equal(a.values[output], b.values[output]), (key, output)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    jobs = short_jobs(tmp_path_factory.mktemp("eq"))
    used, found = run_all(jobs, "serial", 1, 1000)
    assert used == "runs"
    return jobs, found


def test_mode_follows_runs_and_workers():
    assert choose_mode(jobs=20, workers=2) == "runs"
    assert choose_mode(jobs=2, workers=2) == "runs"
    assert choose_mode(jobs=1, workers=2) == "chunks"
    assert choose_mode(jobs=1, workers=2, mode="runs") == "runs"
    assert worker_count(SerialExecutor()) == 1


@pytest.mark.parametrize("mode", ["runs", "chunks"])
def test_chunk_size_and_work_unit_do_not_change_results(reference, mode):
    jobs, expected = reference
    used, found = run_all(jobs, "serial", 1, 250, mode)
    assert used == mode
    assert_identical(found, expected)
    assert expected["a"].worlds == 1000


@pytest.mark.slow
@pytest.mark.parametrize(("workers", "mode"), [(2, "runs"), (3, "chunks")])
def test_process_pool_matches_serial(reference, workers, mode):
    jobs, expected = reference
    with open_executor("processes", workers) as pool:
        assert worker_count(pool) == workers
    used, found = run_all(jobs, "processes", workers, 250)
    assert used == mode  # 2 runs: whole runs on 2 workers, chunks on 3
    assert_identical(found, expected)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["runs", "chunks"])
def test_dask_local_cluster_matches_serial(reference, mode):
    jobs, expected = reference
    used, found = run_all(jobs, "dask", 2, 250, mode)
    assert used == mode
    assert_identical(found, expected)


@pytest.mark.slow
def test_dask_local_cluster_listens_on_loopback_only():
    with open_executor("dask", 2) as pool:
        assert worker_count(pool) == 2
        me = psutil.Process()
        listening = [
            conn.laddr
            for proc in (me, *me.children(recursive=True))
            for conn in proc.net_connections(kind="inet")
            if conn.status == psutil.CONN_LISTEN
        ]
    assert listening  # scheduler, nannies, workers (and their route-less HTTP servers)
    assert {address.ip for address in listening} == {"127.0.0.1"}
    assert 8787 not in {address.port for address in listening}


def failing_task(config, seed, first_world, worlds):
    """run_chunk, except that run "b" fails in its second chunk (module level: picklable)."""
    if config.params["counter_a2ad_share"] == 0.3 and first_world == 250:
        raise RuntimeError("boom")
    return run_chunk(config, seed, first_world, worlds)


@pytest.mark.parametrize(
    ("kind", "mode"),
    [
        ("serial", "runs"),
        ("serial", "chunks"),
        pytest.param("processes", "runs", marks=pytest.mark.slow),
    ],
)
def test_failing_chunk_fails_only_its_run(reference, kind, mode):
    jobs, expected = reference
    outcome = {}
    progress = []
    with open_executor(kind, 2) as pool:
        used = execute(
            jobs,
            pool,
            lambda job, results, error, wall: outcome.update({job.key: (results, error)}),
            chunk_worlds=250,
            task=failing_task,
            mode=mode,
            on_progress=lambda done, total, unit: progress.append((done, total, unit)),
        )
    assert used == mode
    assert outcome["a"][1] is None
    assert_identical({"a": outcome["a"][0]}, {"a": expected["a"]})
    assert outcome["b"][0] is None and "boom" in str(outcome["b"][1])
    total, unit = (2, "runs") if mode == "runs" else (8, "chunks")
    assert progress[0] == (0, total, unit) and progress[-1] == (total, total, unit)  # reaches 100%


def test_finish_runs_once_per_run_and_its_value_comes_back(reference):
    jobs, expected = reference
    found = {}
    execute(
        jobs,
        SerialExecutor(),
        lambda job, value, error, wall: found.update({job.key: (value, error, wall)}),
        chunk_worlds=500,
        finish=summary_size,
    )
    assert found["a"][0] == ("a", len(expected["a"].summary())) and found["a"][1] is None
    assert found["a"][2] > 0


def summary_size(job, results, wall):
    return job.key, len(results.summary())


def test_a_chunk_frees_its_model_before_the_next_one(tmp_path):
    """A finished model is a reference cycle (mesa.Model <-> agents): run_chunk collects it, so
    a worker does not pile up one chunk's state per chunk until the cyclic collector runs."""
    import gc

    from lynchpin.model.model import LynchpinModel

    def models() -> int:
        return sum(isinstance(o, LynchpinModel) for o in gc.get_objects())

    job = short_jobs(tmp_path)[0]
    gc.collect()
    before = models()
    gc.disable()  # only run_chunk's own collection may free it
    try:
        results = run_chunk(job.config, job.seed, 0, 100)
        assert models() == before
    finally:
        gc.enable()
    assert results.worlds == 100
