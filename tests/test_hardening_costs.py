"""Issue 16, exhaustion: what cannot fit is refused before it starts, with the estimate in the
message and --force to run anyway; designs too large to list are never built."""

from __future__ import annotations

import pytest

import lynchpin.experiments.cost as cost
from lynchpin.cli import main
from lynchpin.errors import UserError
from lynchpin.experiments.executors import check_scheduler_address, open_executor
from lynchpin.scenario import load_scenario

GB = 1024**3


@pytest.fixture
def small_machine(monkeypatch):
    """A machine with 4 GB available, whatever this one has."""
    monkeypatch.setattr(cost, "available_memory", lambda: 4.0 * GB)


def test_estimate_grows_with_worlds_quarters_and_keep_worlds():
    config = load_scenario("baseline").to_config()
    one = cost.run_estimate(config, 1000)
    assert cost.run_estimate(config, 2000).memory - one.memory == pytest.approx(
        one.memory - cost.PROCESS_BASE_BYTES
    )
    kept = cost.run_estimate(config, 1000, keep_worlds=True)
    assert kept.memory - cost.PROCESS_BASE_BYTES == pytest.approx(
        (one.memory - cost.PROCESS_BASE_BYTES) * (1 + cost.KEEP_WORLDS_COPIES / cost.PEAK_COPIES)
    )
    assert cost.run_estimate(config, 2000).seconds > one.seconds
    # 50,000 worlds with every world kept (the MemoryError after 38 s) needs > 15 GB.
    assert cost.run_estimate(config, 50_000, keep_worlds=True).memory > 15 * GB


def test_a_million_worlds_is_refused_with_the_estimate(small_machine, tmp_path, capsys):
    out = tmp_path / "big"
    assert main(["run", "baseline", "--worlds", "1000000", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "1,000,000 worlds needs about" in err and "GB of memory" in err
    assert "only 4.0 GB of memory is available" in err and "--force" in err
    assert not out.exists()


def test_keep_worlds_is_part_of_the_estimate(small_machine, tmp_path, capsys):
    config = load_scenario("baseline").to_config()
    cost.check_cost("10,000 worlds", cost.run_estimate(config, 10_000), force=False)  # fits
    out = tmp_path / "kept"
    args = ["run", "baseline", "--worlds", "10000", "--keep-worlds", "--out", str(out)]
    assert main(args) == 2
    assert "10,000 worlds with --keep-worlds needs about" in capsys.readouterr().err
    assert not out.exists()


def test_force_runs_what_the_estimate_refuses(small_machine):
    huge = cost.Estimate(100 * GB, 10 * cost.MAX_SECONDS)
    with pytest.raises(UserError):
        cost.check_cost("x", huge, force=False)
    cost.check_cost("x", huge, force=True)


def test_too_long_is_refused_even_when_memory_fits(monkeypatch):
    monkeypatch.setattr(cost, "available_memory", lambda: 1e15)
    with pytest.raises(UserError, match="more than the 24 hours limit"):
        cost.check_cost("x", cost.Estimate(GB, 2 * cost.MAX_SECONDS), force=False)


def test_batch_is_estimated_over_its_parallel_runs(small_machine, tmp_path, capsys):
    batch = tmp_path / "b.yaml"
    batch.write_text(
        "name: b\nruns:\n"
        + "".join(f"  - {{scenario: baseline, worlds: 400000, seed: {i}}}\n" for i in range(3))
    )
    out = tmp_path / "out"
    args = ["batch", str(batch), "--out", str(out), "--executor", "serial"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "3 runs on 1 worker(s) needs about" in err and "--force" in err
    assert not list((out / "runs").iterdir())  # nothing was computed


def test_parallel_workers_of_each_executor(monkeypatch):
    """Serial runs one at a time whatever --workers says; pools use --workers or every CPU."""
    monkeypatch.setattr(cost.os, "cpu_count", lambda: 6)
    assert cost.parallel_workers("serial", 4) == 1
    assert cost.parallel_workers("processes", 3) == 3
    assert cost.parallel_workers("dask", None) == 6
    monkeypatch.setattr(cost.os, "cpu_count", lambda: None)
    assert cost.parallel_workers("processes", None) == 1


def test_sensitivity_samples_are_bounded_before_sampling(tmp_path, capsys):
    args = [
        "sensitivity",
        "baseline",
        "--param",
        "depreciation=0.06:0.1",
        "--outcome",
        "system.armed_conflict@2030Q4",
        "--samples",
        "10000000",
        "--out",
        str(tmp_path / "s"),
        "--executor",
        "serial",
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "20,000,000 points; at most 100,000" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--port", "70000", "must be 0..65535"),
        ("--port", "-1", "must be 0..65535"),
        ("--worlds", "1000000", "must be 1..20,000"),
        ("--worlds", "0", "must be 1..20,000"),
    ],
)
def test_dashboard_options_are_bounded(option, value, words, capsys):
    assert main(["dashboard", "baseline", option, value]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize(
    "address", ["not an address", "tcp://host", "tcp://host:99999", "tcp://host:port", ""]
)
def test_malformed_scheduler_address_is_a_user_error(address):
    with pytest.raises(UserError, match="expected an address like tcp://host:8786"):
        check_scheduler_address(address)


def test_malformed_scheduler_address_via_the_executor():
    with pytest.raises(UserError, match="--scheduler"), open_executor("dask", 1, "tcp://x:abc"):
        pass


def test_good_scheduler_addresses_pass():
    for address in ("tcp://127.0.0.1:8786", "tls://scheduler.example.org:8786", "host:8786"):
        check_scheduler_address(address)
