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
            "--executor", "serial", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(args) == 2
    assert "LOW below HIGH" in capsys.readouterr().err
    args[3] = "depreciation=0.05:0.1"
    args[5] = "system.nothing@2025Q4"
    assert main(args) == 2
    assert "no output system.nothing" in capsys.readouterr().err


def _fail_if_sampled(monkeypatch):
    from lynchpin.experiments import sensitivity as experiment

    monkeypatch.setattr(experiment, "sample", lambda *a, **k: pytest.fail("sampled"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (["depreciation=0.06:0.1", "depreciation=0.07:0.09"], "given twice"),
        (["counter_a2ad_share=0:7"], "counter_a2ad_share"),
        (["JPN.defence_cieling=0.01:0.03"], "did you mean 'defence_ceiling'"),
        (["policies.cyber_article5=0:1"], "policies are switches"),
        (["depreciation=a:b"], "NAME=LOW:HIGH"),
    ],
)
def test_every_factor_is_checked_before_sampling(params, message, short, tmp_path, capsys,
                                                 monkeypatch):  # fmt: skip
    _fail_if_sampled(monkeypatch)
    args = ["sensitivity", str(short), "--outcome", "system.armed_conflict@2025Q4",
            "--executor", "serial", "--out", str(tmp_path / "s")]  # fmt: skip
    for param in params:
        args += ["--param", param]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unknown_metric_suggests_close_names(short, tmp_path, capsys, monkeypatch):
    _fail_if_sampled(monkeypatch)
    args = ["sensitivity", str(short), "--param", "depreciation=0.06:0.1",
            "--outcome", "system.armed_conflit@2025Q4",
            "--executor", "serial", "--out", str(tmp_path / "s")]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "did you mean system.armed_conflict" in err
    assert "ACTOR.METRIC@PERIOD" in err and len(err) < 600


def test_output_checked_first_and_needs_overwrite(short, tmp_path, capsys, monkeypatch):
    _fail_if_sampled(monkeypatch)
    out = tmp_path / "s"
    out.mkdir()
    (out / "old.txt").write_text("old")
    base = ["sensitivity", str(short), "--param", "depreciation=0.06:0.1", "--outcome",
            "system.armed_conflict@2025Q4", "--executor", "serial"]  # fmt: skip
    assert main([*base, "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main([*base, "--out", str(blocker / "s")]) == 2
    assert "is a file, not a directory" in capsys.readouterr().err
