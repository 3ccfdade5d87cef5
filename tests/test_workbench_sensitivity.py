"""Sensitivity of several outcomes from one set of samples, Sobol stability warnings, Morris
mu*-sigma plot, and shock fields as factors."""

from __future__ import annotations

import pandas as pd
import pytest

from lynchpin.cli import main

OUTCOMES = ("system.armed_conflict@2025Q4", "system.alliance_cohesion@2025Q4")


@pytest.fixture
def short(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("name: short\nextends: us-retrenchment\nend: 2025Q4\n")
    return path


def _sensitivity(short, out, outcomes, method="morris", samples=3, *extra):
    args = ["sensitivity", str(short), "--method", method, "--samples", str(samples),
            "--param", "shocks.drawdown.size=-0.8:0", "--param", "counter_a2ad_share=0:0.4",
            "--worlds", "40", "--out", str(out), "--executor", "serial", *extra]  # fmt: skip
    for outcome in outcomes:
        args += ["--outcome", outcome]
    return main(args)


def test_several_outcomes_equal_separate_calls_on_the_same_samples(short, tmp_path):
    assert _sensitivity(short, tmp_path / "both", OUTCOMES) == 0
    both = pd.read_csv(tmp_path / "both" / "indices.csv")
    samples = pd.read_csv(tmp_path / "both" / "samples.csv")
    assert list(dict.fromkeys(both["outcome"])) == list(OUTCOMES)
    for i, outcome in enumerate(OUTCOMES):
        out = tmp_path / f"one{i}"
        assert _sensitivity(short, out, [outcome]) == 0
        alone = pd.read_csv(out / "indices.csv")
        mine = both[both["outcome"] == outcome].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_exact=True)
        pd.testing.assert_series_equal(
            samples[outcome], pd.read_csv(out / "samples.csv")[outcome], check_exact=True
        )
    # the swept shock is what moves cohesion (C5, C15): it ranks first there
    cohesion = both[both["outcome"] == OUTCOMES[1]]
    assert cohesion["parameter"].iloc[0] == "shocks.drawdown.size"
    assert (tmp_path / "both" / "morris.png").stat().st_size > 10_000


def test_sobol_with_small_n_warns_clearly_and_flags_rows(short, tmp_path, capsys):
    out = tmp_path / "s"
    assert _sensitivity(short, out, OUTCOMES[:1], "sobol", 4, "--format", "png,pdf") == 0
    table = pd.read_csv(out / "indices.csv")
    assert table["unstable"].all()
    err = capsys.readouterr().err
    assert "not stable" in err and "--samples 256" in err
    assert (out / "sensitivity.pdf").read_bytes()[:4] == b"%PDF"
