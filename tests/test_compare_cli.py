"""`lynchpin compare`: figures, tables and paired differences, from re-simulation or parquet."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lynchpin.analysis.compare import markdown, robust_share
from lynchpin.cli import main


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cmp")
    for name in ("baseline", "america-first"):
        (root / f"{name}.yaml").write_text(f"name: {name}\nextends: {name}\nend: 2025Q4\n")
    (root / "b.yaml").write_text(
        "name: c\nruns:\n"
        "  - {scenario: baseline.yaml, worlds: 500, seed: 5}\n"
        "  - {scenario: america-first.yaml, worlds: 500, seed: 5}\n"
    )
    out = root / "out"
    assert main(["batch", str(root / "b.yaml"), "--out", str(out), "--executor", "serial"]) == 0
    return out


def test_robust_share_counts_worlds_with_the_sign_of_the_mean():
    assert robust_share(np.array([-1.0, -2.0, -0.5, 0.3])) == 0.75
    assert robust_share(np.array([2.0, 1.0, -0.5, 0.0])) == 0.5  # zero has no sign
    assert np.isnan(robust_share(np.zeros(4)))


def cohesion_row(table: pd.DataFrame) -> pd.Series:
    rows = table[
        (table["outcome"] == "system.alliance_cohesion") & (table["run"] == "america-first")
    ]
    return rows.iloc[0]


@pytest.mark.slow
def test_compare_writes_plots_and_tables_with_paired_differences(batch_out, tmp_path):
    out = tmp_path / "compare"
    assert main(["compare", str(batch_out), "--out", str(out), "--at", "2020Q4,2025Q4"]) == 0
    assert (out / "end_state.png").stat().st_size > 10_000
    assert (out / "system_alliance_cohesion.png").stat().st_size > 10_000
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["period"]) == {"2020Q4", "2025Q4"}
    assert set(table["run"]) == {"baseline", "america-first"}
    # While the cost-plus-50 talks last, america-first lowers cohesion in (almost) every world
    # of the pair, though the priors spread cohesion across worlds far wider than the effect:
    # only differences taken world by world are below zero at their 95th percentile.
    talks = cohesion_row(table[table["period"] == "2020Q4"])
    assert talks["diff_p95"] < 0 < talks["p95"] - talks["p05"] + talks["diff_p95"]
    # Later the mean effect stays negative, but under the priors (D4 reward, D1 deterrence)
    # some worlds end with more cohesion than their baseline twin, so the 95th percentile of
    # the paired difference is not asserted there.
    row = cohesion_row(table[table["period"] == "2025Q4"])
    assert row["diff_mean"] < 0 and row["diff_mean_hi"] < 0
    assert row["diff_p05"] < row["diff_mean"] < row["diff_p95"]
    assert row["p05"] <= row["mean"] <= row["p95"]
    base = table[(table["run"] == "baseline")]
    assert base["diff_mean"].isna().all()
    markdown_text = (out / "comparison.md").read_text()
    assert "| US-Japan alliance cohesion (index 0-1) | america-first |" in markdown_text
    # Issue 10: beside each difference, the share of worlds whose paired difference has the
    # mean's sign.
    share = float(row["diff_robust"])
    assert 0.5 < share <= 1.0  # America First lowers cohesion in most worlds, priors on
    assert f"robust in {share:.0%} of worlds" in markdown_text
    periods = table["period"].nunique()  # one table per period, each with one Robust column
    assert markdown(table, SimpleNamespace(label="baseline")).count("| Robust |") == periods


@pytest.mark.slow
def test_saved_worlds_give_the_same_table_as_resimulation(batch_out, tmp_path):
    runs = sorted(batch_out.glob("runs/*"))
    kept = tmp_path / "kept"
    root = batch_out.parent
    assert main(["batch", str(root / "b.yaml"), "--out", str(kept), "--executor", "serial",
                 "--keep-worlds"]) == 0  # fmt: skip
    assert all((p / "worlds.parquet").is_file() for p in kept.glob("runs/*"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["compare", *map(str, runs), "--out", str(a), "--baseline", "baseline"]) == 0
    assert main(["compare", str(kept), "--out", str(b), "--at", "2025Q4"]) == 0
    keys = ["outcome", "period", "run"]
    left = pd.read_csv(a / "comparison.csv").query("period == '2025Q4'").sort_values(keys)
    right = pd.read_csv(b / "comparison.csv").sort_values(keys)
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))


def test_unknown_baseline_is_a_user_error(batch_out, tmp_path, capsys):
    assert main(["compare", str(batch_out), "--out", str(tmp_path), "--baseline", "nope"]) == 2
    assert "--baseline: no run named 'nope'" in capsys.readouterr().err


def test_at_outside_the_runs_is_refused_before_any_file(batch_out, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", str(batch_out), "--out", str(out), "--at", "2025Q4,2040Q4"]) == 2
    err = capsys.readouterr().err
    assert "--at 2040Q4" in err and "2020Q1..2025Q4" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".cmp*"))


def test_failure_leaves_no_partial_comparison(batch_out, tmp_path, monkeypatch):
    import importlib

    analysis = importlib.import_module("lynchpin.analysis.compare")  # the package shadows it

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "end_state_figure", broken)
    out = tmp_path / "cmp"
    with pytest.raises(RuntimeError):
        main(["compare", str(batch_out), "--out", str(out), "--at", "2025Q4"])
    assert not out.exists() and not list(tmp_path.glob(".cmp*"))


def test_existing_output_needs_overwrite_and_armed_conflict_is_a_mean(batch_out, tmp_path, capsys):
    out = tmp_path / "cmp"
    out.mkdir()
    (out / "old.txt").write_text("old")
    assert main(["compare", str(batch_out), "--out", str(out), "--at", "2025Q4"]) == 2
    assert "--overwrite" in capsys.readouterr().err and (out / "old.txt").exists()
    args = ["compare", str(batch_out), "--out", str(out), "--at", "2025Q4", "--overwrite"]
    assert main(args) == 2  # not a folder lynchpin wrote: never replaced (issue 16)
    assert "not written by lynchpin" in capsys.readouterr().err and (out / "old.txt").exists()
    (out / "old.txt").unlink()
    assert main(args[:-1]) == 0
    (out / "old.txt").write_text("old")  # a comparison (it has a manifest) is replaced
    assert main(args) == 0
    assert not (out / "old.txt").exists() and (out / "comparison.csv").is_file()
    table = pd.read_csv(out / "comparison.csv")
    conflict = table[table["outcome"] == "system.armed_conflict"]
    assert len(conflict) == 2
    assert (
        (conflict["mean_lo"] < conflict["mean"]) & (conflict["mean"] < conflict["mean_hi"])
    ).all()
    assert "Probability of armed conflict" in conflict["label"].iloc[0]
    markdown = (out / "comparison.md").read_text()
    row = next(line for line in markdown.splitlines() if line.startswith("| Probability"))
    first = conflict.iloc[0]
    assert f"[{first['mean_lo']:.3g}, {first['mean_hi']:.3g}]" in row
