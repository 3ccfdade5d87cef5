"""Every backend, worker count and chunk size gives the same numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from lynchpin.experiments import Job, SerialExecutor, execute, open_executor
from lynchpin.model.results import Results
from lynchpin.scenario import load_scenario


def short_jobs(tmp_path) -> list[Job]:
    path = tmp_path / "short.yaml"
    path.write_text("name: short\nextends: baseline\nend: 2022Q4\n")
    jobs = []
    for key, params in (("a", {}), ("b", {"counter_a2ad_share": 0.3})):
        scenario = load_scenario(path).with_overrides(worlds=1000, seed=11, params=params)
        jobs.append(Job(key, scenario.to_config(), 1000, 11, "short"))
    return jobs


def run_all(jobs: list[Job], kind: str, workers: int, chunk: int) -> dict[str, Results]:
    found: dict[str, Results] = {}

    def on_done(job, results, error, wall):
        assert error is None, error
        found[job.key] = results

    with open_executor(kind, workers) as pool:
        execute(jobs, pool, on_done, chunk_worlds=chunk)
    return found


def assert_identical(left: dict[str, Results], right: dict[str, Results]) -> None:
    assert left.keys() == right.keys()
    for key in left:
        a, b = left[key], right[key]
        assert a.periods == b.periods and a.values.keys() == b.values.keys()
        for output in a.values:
            assert np.array_equal(a.values[output], b.values[output]), (key, output)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    jobs = short_jobs(tmp_path_factory.mktemp("eq"))
    return jobs, run_all(jobs, "serial", 1, 1000)


def test_chunk_size_does_not_change_results(reference):
    jobs, expected = reference
    assert_identical(run_all(jobs, "serial", 1, 250), expected)
    assert expected["a"].worlds == 1000


@pytest.mark.slow
def test_process_pool_matches_serial(reference):
    jobs, expected = reference
    assert_identical(run_all(jobs, "processes", 2, 250), expected)


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(reference):
    jobs, expected = reference
    assert_identical(run_all(jobs, "dask", 2, 250), expected)


def test_failing_chunk_fails_only_its_run(reference):
    jobs, _ = reference

    def task(config, seed, first_world, worlds):
        if config.params["counter_a2ad_share"] == 0.3 and first_world == 250:
            raise RuntimeError("boom")
        from lynchpin.experiments.tasks import run_chunk

        return run_chunk(config, seed, first_world, worlds)

    outcome = {}
    chunks = []
    execute(
        jobs,
        SerialExecutor(),
        lambda job, results, error, wall: outcome.update({job.key: (results, error)}),
        chunk_worlds=250,
        task=task,
        on_chunks=chunks.append,
    )
    assert outcome["a"][1] is None and outcome["a"][0].worlds == 1000
    assert outcome["b"][0] is None and "boom" in str(outcome["b"][1])
    assert sum(chunks) == 8  # progress still reaches the total
