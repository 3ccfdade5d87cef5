"""Run directories: exact columns, manifest, checksums, and never a silent overwrite."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from lynchpin.errors import UserError
from lynchpin.model import simulate
from lynchpin.outputs import read_run, write_run
from lynchpin.scenario import load_scenario

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def run_inputs():
    scenario = load_scenario("baseline").with_overrides(worlds=16, seed=3)
    results = simulate(scenario.to_config(), worlds=16, seed=3, scenario=scenario.name)
    return results, scenario


def _write(run_inputs, out: Path, **options):
    results, scenario = run_inputs
    defaults = {"keep_worlds": False, "command": "lynchpin run baseline", "wall_time": 1.25}
    return write_run(results, scenario, out, **(defaults | options))


def test_summary_header_matches_golden(run_inputs, tmp_path):
    out = _write(run_inputs, tmp_path / "run")
    header = (out / "summary.csv").read_text().splitlines()[0] + "\n"
    assert header == (GOLDEN / "summary_header.csv").read_text()


def test_manifest_keys_match_golden(run_inputs, tmp_path):
    manifest = json.loads((_write(run_inputs, tmp_path / "run") / "manifest.json").read_text())
    golden = json.loads((GOLDEN / "manifest_keys.json").read_text())
    assert list(manifest) == golden["manifest"]
    assert list(manifest["versions"]) == golden["versions"]
    assert all(list(entry) == golden["file_entry"] for entry in manifest["files"])


def test_manifest_describes_the_run(run_inputs, tmp_path):
    results, scenario = run_inputs
    out = _write(run_inputs, tmp_path / "run", keep_worlds=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "baseline"
    assert manifest["scenario_sha256"] == scenario.sha256()
    assert manifest["resolved_scenario"] == scenario.resolved()
    assert (manifest["seed"], manifest["worlds"]) == (3, 16)
    assert (manifest["start"], manifest["end"]) == (results.periods[0], results.periods[-1])
    assert manifest["wall_time_seconds"] == 1.25
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert set(listed) == {
        "summary.csv",
        "worlds.parquet",
        "uncertainty.csv",
        "parameters.parquet",
        "worlds_outcomes.parquet",
    }
    assert manifest["uncertainty"] == "priors"
    for path, digest in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == digest


def test_summary_round_trips_exactly(run_inputs, tmp_path):
    results, _ = run_inputs
    summary, _ = read_run(_write(run_inputs, tmp_path / "run"))
    expected = results.summary()
    assert len(summary) == len(results.periods) * len(results.values)
    pd.testing.assert_frame_equal(summary, expected, check_exact=True, check_dtype=False)


def test_worlds_parquet_only_when_asked(run_inputs, tmp_path):
    results, _ = run_inputs
    assert not (_write(run_inputs, tmp_path / "a") / "worlds.parquet").exists()
    frame = pd.read_parquet(_write(run_inputs, tmp_path / "b", keep_worlds=True) / "worlds.parquet")
    assert len(frame) == len(results.periods) * len(results.values) * results.worlds


def test_existing_run_needs_overwrite(run_inputs, tmp_path):
    out = _write(run_inputs, tmp_path / "run")
    (out / "note.txt").write_text("mine")
    with pytest.raises(UserError) as error:
        _write(run_inputs, out)
    assert str(out) in error.value.lines[0] and "--overwrite" in error.value.lines[1]
    assert (out / "note.txt").exists()
    _write(run_inputs, out, overwrite=True)
    assert not (out / "note.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging or old dirs


def test_empty_existing_directory_is_used(run_inputs, tmp_path):
    (tmp_path / "run").mkdir()
    assert (_write(run_inputs, tmp_path / "run") / "summary.csv").is_file()


def test_failure_while_writing_keeps_old_run_and_leaves_no_debris(run_inputs, tmp_path):
    out = _write(run_inputs, tmp_path / "run")
    before = (out / "manifest.json").read_text()

    def broken_plots(staging: Path, summary) -> None:
        raise RuntimeError("plotting failed")

    with pytest.raises(RuntimeError):
        _write(run_inputs, out, overwrite=True, add_files=broken_plots)
    assert (out / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_added_files_are_listed_in_manifest(run_inputs, tmp_path):
    def add_plot(staging: Path, summary) -> None:
        (staging / "plots").mkdir()
        (staging / "plots" / "chart.png").write_bytes(b"png")

    out = _write(run_inputs, tmp_path / "run", add_files=add_plot)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["path"] for e in manifest["files"]] == [
        "parameters.parquet",
        "plots/chart.png",
        "summary.csv",
        "uncertainty.csv",
        "worlds_outcomes.parquet",
    ]


def test_read_run_reports_missing_and_corrupt_files(run_inputs, tmp_path):
    with pytest.raises(UserError, match="no such run directory"):
        read_run(tmp_path / "nothing")
    out = _write(run_inputs, tmp_path / "run")
    (out / "summary.csv").write_text("scenario,period\nbaseline,2020Q1\n")
    with pytest.raises(UserError, match="checksum"):
        read_run(out)
    (out / "manifest.json").write_text("{not json")
    with pytest.raises(UserError, match="not a valid run manifest"):
        read_run(out)
    (out / "manifest.json").unlink()
    with pytest.raises(UserError, match="missing"):
        read_run(out)


def test_out_location_is_checked_up_to_the_first_existing_parent(tmp_path):
    from lynchpin.outputs import check_out_location

    check_out_location(tmp_path / "a" / "b" / "c")  # missing parents are fine
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for bad in (blocker, blocker / "run", blocker / "a" / "run"):
        with pytest.raises(UserError, match="not a directory"):
            check_out_location(bad)


def test_staged_dir_writes_a_set_or_nothing(tmp_path):
    from lynchpin.outputs import staged_dir

    out = tmp_path / "set"
    with pytest.raises(RuntimeError), staged_dir(out) as staging:
        (staging / "a.csv").write_text("a")
        raise RuntimeError("half way")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    out.mkdir()
    (out / "old.txt").write_text("old")
    with staged_dir(out) as staging:
        (staging / "a.csv").write_text("a")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]


def test_mean_interval_is_the_normal_ci_of_the_mean():
    import numpy as np

    from lynchpin.outputs import mean_interval

    values = np.array([0.0, 0.1, 0.2, 0.3])
    mean, lo, hi = mean_interval(values)
    half = 1.6448536269514722 * values.std(ddof=1) / 2
    assert mean == pytest.approx(0.15) and (lo, hi) == pytest.approx((0.15 - half, 0.15 + half))
    assert mean_interval(np.array([0.4]))[1] == 0.4
