"""Big runs keep their chunks on disk: same summary, charts and worlds.parquet, bounded memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import vary

import lynchpin.outputs.batch_dir as batch_dir
from lynchpin.cli import main
from lynchpin.model import Results, plan_chunks, simulate
from lynchpin.outputs.spill import SpilledResults, spill
from lynchpin.outputs.worlds import write_worlds


@pytest.fixture(scope="module")
def chunks(baseline):
    config = vary(baseline, quarters=6)
    return [
        simulate(config, worlds=n, seed=4, first_world=first, scenario="baseline")
        for first, n in plan_chunks(1100, 250)
    ]


def test_spilled_run_equals_the_merged_run_bit_for_bit(chunks, tmp_path):
    merged = Results.merge(chunks)
    spilled = SpilledResults("baseline", [spill(c, tmp_path / "s") for c in reversed(chunks)])
    assert (spilled.worlds, spilled.periods) == (merged.worlds, merged.periods)
    pd.testing.assert_frame_equal(spilled.summary(), merged.summary(), check_exact=True)
    assert (spilled.metric("JPN", "gdp") == merged.metric("JPN", "gdp")).all()
    with pytest.raises(KeyError, match=r"no output JPN\.nonsense"):
        spilled.metric("JPN", "nonsense")
    a = write_worlds(tmp_path / "a.parquet", "baseline", merged.periods, spilled.pieces())
    keys = ["actor", "metric", "period", "world"]
    got = pd.read_parquet(a).sort_values(keys, ignore_index=True)
    want = merged.per_world().sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    spilled.remove()
    assert not (tmp_path / "s").exists()


def test_missing_chunk_is_refused(chunks, tmp_path):
    parts = [spill(c, tmp_path) for c in chunks]
    with pytest.raises(ValueError, match="not contiguous at world 250"):
        SpilledResults("baseline", parts[:1] + parts[2:])


def _batch(tmp_path: Path, out: Path, spill_worlds: int, monkeypatch) -> Path:
    monkeypatch.setattr(batch_dir, "SPILL_WORLDS", spill_worlds)
    (tmp_path / "short.yaml").write_text("name: short\nextends: baseline\nend: 2021Q4\n")
    batch = tmp_path / "b.yaml"
    batch.write_text("name: t\nchunk_worlds: 250\nruns:\n  - {scenario: short.yaml, worlds: 900}\n")
    args = ["batch", str(batch), "--out", str(out), "--executor", "serial", "--keep-worlds"]
    assert main(args) == 0
    return next(out.glob("runs/*"))


def test_batch_run_spilled_or_not_writes_the_same_files(tmp_path, monkeypatch):
    in_memory = _batch(tmp_path, tmp_path / "mem", 10**9, monkeypatch)
    on_disk = _batch(tmp_path, tmp_path / "disk", 100, monkeypatch)
    assert (in_memory / "summary.csv").read_bytes() == (on_disk / "summary.csv").read_bytes()
    keys = ["actor", "metric", "period", "world"]  # spilled: row groups per chunk, then output
    kept = [pd.read_parquet(d / "worlds.parquet").sort_values(keys, ignore_index=True)
            for d in (in_memory, on_disk)]  # fmt: skip
    pd.testing.assert_frame_equal(*kept, check_exact=True)
    assert [p.name for p in on_disk.parent.iterdir()] == [on_disk.name]  # chunks removed


def test_second_pass_over_workers_equals_the_in_memory_run(tmp_path):
    """combine_run spreads the summary and the derived files of a spilled run over the
    executor's workers; every byte equals what writing the merged run in memory computes."""
    from lynchpin.experiments import Job, open_executor
    from lynchpin.outputs.run_dir import DERIVED_FILES, derived_file
    from lynchpin.scenario import load_scenario

    (tmp_path / "short.yaml").write_text("name: short\nextends: baseline\nend: 2021Q4\n")
    scenario = load_scenario(tmp_path / "short.yaml").with_overrides(worlds=900, seed=5)
    config = scenario.to_config()
    assert config.uncertainty is not None  # per-world parameters: groups and draws matter
    output = batch_dir.RunOutput(scenario, str(tmp_path / "run"), "test", False)
    job = Job("short", config, 900, 5, "short", output)
    parts = [
        simulate(config, worlds=n, seed=5, first_world=first, scenario="short")
        for first, n in plan_chunks(900, 250)
    ]
    merged = Results.merge(parts)
    with open_executor("processes", 2) as pool:
        spilled = [spill(p, batch_dir.scratch_folder(job)) for p in parts]
        reduced = batch_dir.combine_run(job, spilled, pool)
    assert isinstance(reduced, batch_dir.ReducedRun)
    want = merged.summary().to_csv(index=False)
    assert reduced.summary.to_csv(index=False) == want
    for name in DERIVED_FILES:
        assert reduced.derived[name] == derived_file(name, merged, scenario), name
    reduced.results.remove()
    assert not batch_dir.scratch_folder(job).exists()
