"""`lynchpin sensitivity`: SALib indices through the executors, ranked, with a plot."""

from __future__ import annotations

import pandas as pd
import pytest

from lynchpin.cli import main


@pytest.fixture
def short(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("name: short\nextends: baseline\nend: 2025Q4\n")
    return path


def sensitivity(short, out, method, samples):
    return main([
        "sensitivity", str(short), "--method", method, "--samples", str(samples),
        "--param", "depreciation=0.06:0.1", "--param", "counter_a2ad_share=0:0.5",
        "--outcome", "system.armed_conflict@2025Q4", "--worlds", "250",
        "--out", str(out), "--executor", "serial",
    ])  # fmt: skip


def test_morris_ranks_the_influential_parameter_first(short, tmp_path):
    out = tmp_path / "m"
    assert sensitivity(short, out, "morris", 4) == 0
    table = pd.read_csv(out / "indices.csv")
    assert list(table["parameter"]) == ["counter_a2ad_share", "depreciation"]
    assert {"mu_star", "mu_star_conf", "mu", "sigma"} <= set(table.columns)
    assert table["mu_star"][0] > 3 * table["mu_star"][1]
    assert len(pd.read_csv(out / "samples.csv")) == 4 * 3
    assert (out / "sensitivity.png").stat().st_size > 10_000


def test_sobol_writes_first_and_total_indices(short, tmp_path):
    out = tmp_path / "s"
    assert sensitivity(short, out, "sobol", 8) == 0
    table = pd.read_csv(out / "indices.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    assert table["parameter"][0] == "counter_a2ad_share"


def test_bad_outcome_and_param_are_user_errors(short, tmp_path, capsys):
    outcome = "system.armed_conflict@2025Q4"
    args = ["sensitivity", str(short), "--param", "depreciation=0.1:0.05", "--outcome", outcome,
            "--executor", "serial", "--out", str(tmp_path)]  # fmt: skip
    assert main(args) == 2
    assert "LOW below HIGH" in capsys.readouterr().err
    args[3] = "depreciation=0.05:0.1"
    args[5] = "system.nothing@2025Q4"
    assert main(args) == 2
    assert "no output system.nothing" in capsys.readouterr().err
