"""The `lynchpin` console script end to end, as a user runs it (subprocess, real files)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import lynchpin

from lynchpin.cli import main
from lynchpin.model.periods import parse_quarter
from lynchpin.plots import CHARTS

WORLDS = 50


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    """One baseline run with the default output directory, kept worlds and plots."""
    cwd = tmp_path_factory.mktemp("cli")
    done = lynchpin(
        "run", "baseline", "--worlds", str(WORLDS), "--seed", "4", "--keep-worlds", cwd=cwd
    )
    return done, cwd / "runs" / "baseline"


def test_run_exits_zero_and_writes_every_file(baseline_run):
    done, out = baseline_run
    assert done.returncode == 0, done.stderr
    for name in ("summary.csv", "manifest.json", "worlds.parquet"):
        assert (out / name).stat().st_size > 0, name
    assert sorted(p.name for p in (out / "plots").glob("*.png")) == sorted(
        c.filename for c in CHARTS
    )


def test_summary_has_one_row_per_period_and_output(baseline_run):
    _, out = baseline_run
    summary = pd.read_csv(out / "summary.csv")
    manifest = json.loads((out / "manifest.json").read_text())
    periods = parse_quarter(manifest["end"]) - parse_quarter(manifest["start"]) + 1
    outputs = summary.groupby(["actor", "metric"]).ngroups
    assert outputs >= 51 and summary["period"].nunique() == periods
    assert len(summary) == periods * outputs
    assert manifest["worlds"] == WORLDS and manifest["seed"] == 4
    assert manifest["command"].startswith("lynchpin run baseline")


def test_kept_worlds_are_readable_by_pandas(baseline_run):
    _, out = baseline_run
    worlds = pd.read_parquet(out / "worlds.parquet")
    assert list(worlds.columns) == ["scenario", "period", "actor", "metric", "world", "value"]
    assert sorted(worlds["world"].unique()) == list(range(WORLDS))


def test_run_prints_key_outcomes_and_where_files_went(baseline_run):
    done, _ = baseline_run
    for text in (
        "2025",
        "2030",
        "2035",
        "Probability of armed conflict",
        "Defence spending (% of GDP)",
        "alliance cohesion",
        "Power ratio",
        "IND",
        "AUS",
        "runs/baseline",
    ):
        assert text in done.stdout, text
    assert "quarters" in done.stderr  # the progress bar


def test_existing_run_directory_is_not_overwritten(baseline_run):
    _, out = baseline_run
    before = (out / "manifest.json").read_bytes()
    done = lynchpin("run", "baseline", "--worlds", "10", "--out", str(out))
    assert done.returncode == 2
    assert "--overwrite" in done.stderr and str(out) in done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "manifest.json").read_bytes() == before


def test_overwrite_replaces_a_run(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    (out / "manifest.json").write_text('{"lynchpin_version": "0"}')  # a run lynchpin wrote
    done = lynchpin(
        "run", "baseline", "--worlds", "10", "--out", str(out), "--overwrite", "--no-plots"
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "parameters.parquet",
        "summary.csv",
        "uncertainty.csv",
        "worlds_outcomes.parquet",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_unknown_scenario_suggests_a_name_without_traceback():
    done = lynchpin("run", "baselin", "--worlds", "10")
    assert done.returncode == 2
    assert "baseline" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [("run",), ("run", "baseline", "--worlds", "0"), ("run", "baseline", "--bogus"), ("nope",)],
)
def test_usage_errors_show_usage_and_exit_2(args):
    done = lynchpin(*args)
    assert done.returncode == 2
    assert "Usage:" in done.stderr and "Traceback" not in done.stderr


def test_list_names_every_bundled_scenario():
    done = lynchpin("list")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    for name in ("baseline", "pandemic-distraction", "america-first", "cyber-article5"):
        assert name in names
    assert all(len(line) <= 160 for line in done.stdout.splitlines())


def test_show_prints_resolved_yaml():
    import yaml

    done = lynchpin("show", "fortified-alliance")
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert resolved["name"] == "fortified-alliance" and "extends" not in resolved
    assert {"actors", "parameters", "policies", "shocks"} <= set(resolved)


def test_show_output_validates_and_loads_back(tmp_path):
    path = tmp_path / "resolved.yaml"
    path.write_text(lynchpin("show", "america-first").stdout)
    done = lynchpin("validate", str(path))
    assert done.returncode == 0 and "OK" in done.stdout


def test_validate_reports_each_file(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("extends: baseline\nname: good\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: baseline\nname: bad\nparameters:\n  depreciaton: 0.1\n")
    done = lynchpin("validate", str(good), str(bad))
    assert done.returncode == 2
    assert f"OK   {good}" in done.stdout and f"FAIL {bad}" in done.stdout
    assert "bad.yaml:4:3" in done.stdout and "depreciation" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


# Cheaper checks run the same entry point in-process (main() is what the console script calls).
def test_explain_shows_passage_rule_and_parameter_defaults(capsys):
    assert main(["explain", "C3"]) == 0
    shown = capsys.readouterr().out
    for text in ("C3", "preoccupied", "attention_base", "Rules", "Test"):
        assert text in shown, text
    assert main(["explain"]) == 0
    every = capsys.readouterr().out
    assert all(f"C{i} " in every for i in range(1, 16))
    assert main(["explain", "C99"]) == 2
    assert "unknown claim" in capsys.readouterr().err


def test_schema_is_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "properties" in schema and "worlds" in schema["properties"]


def _commands() -> list[str]:
    from lynchpin.cli import app

    return [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", [c for c in _commands() if c != "dashboard"])
def test_help_has_examples(command, capsys):
    assert main([command, "--help"]) == 0
    shown = capsys.readouterr().out
    assert "Example" in shown and "lynchpin " + command in shown


def test_help_lists_commands_in_reading_order():
    assert _commands() == [
        "list", "show", "validate", "run", "explain", "schema", "batch", "compare",
        "sensitivity", "discover", "dashboard", "classroom", "notebooks", "backtest", "calibrate",
        "version",
    ]  # fmt: skip


def test_run_reports_armed_conflict_as_mean_with_ci_of_the_mean(baseline_run):
    """Per world it is a probability given that world's crises: only the mean is the answer.
    Its interval is across parameter draws (ignorance); the Monte Carlo error of the mean is
    on its own, labelled row, so it is never read as forecast precision."""
    from lynchpin.cli.scenario_cmds import _number
    from lynchpin.outputs import mean_interval

    done, out = baseline_run
    worlds = pd.read_parquet(out / "worlds.parquet")
    draws = pd.read_parquet(out / "parameters.parquet").set_index("world")["draw"]
    conflict = worlds[(worlds["metric"] == "armed_conflict") & (worlds["period"] == "2035Q4")]
    values = conflict["value"].to_numpy()
    mean, lo, hi = (float(v) * 100 for v in mean_interval(values))
    by_draw = conflict.groupby(draws.loc[conflict["world"]].to_numpy())["value"].mean() * 100
    draw_lo, draw_hi = np.quantile(by_draw, [0.05, 0.95])
    lines = done.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "armed conflict" in line)
    assert f"{_number(mean)} [{_number(draw_lo)}-{_number(draw_hi)}]" in lines[at]
    assert "Monte Carlo error of that mean" in lines[at + 1]
    assert f"±{_number((hi - lo) / 2)}" in lines[at + 1]
    assert "90% of parameter draws" in " ".join(done.stdout.split())


def test_set_overrides_values_and_is_recorded(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["run", "baseline", "--worlds", "10", "--no-plots", "--out", str(out),
            "--set", "JPN.defence_ceiling=0.02", "--set", "policies.doctrine=specific"]  # fmt: skip
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["overrides"] == {
        "JPN.defence_ceiling": "0.02",
        "policies.doctrine": "specific",
    }
    resolved = manifest["resolved_scenario"]
    assert resolved["actors"]["JPN"]["defence_ceiling"] == 0.02
    assert resolved["policies"]["doctrine"] == "specific"
    assert "--set JPN.defence_ceiling=0.02" in manifest["command"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("JPN.defence_cieling=0.02", "did you mean 'defence_ceiling'"),
        ("depreciaton=0.1", "depreciation"),
        ("depreciation", "expected KEY=VALUE"),
        ("counter_a2ad_share=7", "counter_a2ad_share"),
    ],
)
def test_bad_set_is_a_user_error(setting, message, tmp_path, capsys):
    assert main(["run", "baseline", "--set", setting, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_out_below_a_file_fails_before_simulating(tmp_path, capsys, monkeypatch):
    import lynchpin.cli.scenario_cmds as scenario_cmds

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(scenario_cmds, "_simulate", lambda s: pytest.fail("simulated"))
    assert main(["run", "baseline", "--worlds", "10", "--out", str(blocker / "run")]) == 2
    assert "is a file, not a directory" in capsys.readouterr().err
    assert main(["run", "baseline", "--worlds", "10", "--out", str(blocker)]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_os_error_while_writing_is_a_short_message(tmp_path, capsys, monkeypatch):
    import lynchpin.outputs

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "run"))

    monkeypatch.setattr(lynchpin.outputs, "write_run", refuse)
    assert main(["run", "baseline", "--worlds", "10", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "Traceback" not in err


def test_directory_is_not_a_scenario(tmp_path, capsys):
    assert main(["run", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_backtest_refuses_an_existing_report_without_overwrite(tmp_path, capsys):
    (tmp_path / "backtest.md").write_text("old")
    assert main(["backtest", "--worlds", "20", "--out", str(tmp_path)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (tmp_path / "backtest.md").read_text() == "old"


def test_calibrate_says_whether_defaults_match_the_fit(tmp_path, capsys, monkeypatch):
    import lynchpin.backtest.calibrate as calibrate

    real = calibrate.write_calibration
    monkeypatch.setattr(calibrate, "write_calibration", lambda **kw: real(tmp_path / "c.csv", **kw))
    assert main(["calibrate", "--draws", "0"]) == 0  # the moment fits only
    shown = capsys.readouterr().out
    assert "wrote" in shown and "fitted values" in shown
