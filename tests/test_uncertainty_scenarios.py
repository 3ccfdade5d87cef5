"""Scenario syntax for uncertainty: distributions, `uncertainty:` modes, `--set`, `show`,
the JSON Schema, and a clear file:line:col error (exit 2) for every bad spec."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import lynchpin

from lynchpin.errors import UserError
from lynchpin.model.draws import parameter_draws
from lynchpin.model.parameters import param
from lynchpin.scenario import load_scenario, scenario_json_schema

BAD_SPECS = [
    ("parameters:\n  depreciation: {gamma: [1, 2]}\n", "3:3", "unknown distribution family"),
    (
        "parameters:\n  counter_a2ad_share: {uniform: [0.0, 0.9]}\n",
        "3:3",
        "goes outside the parameter's range 0..0.5",
    ),
    ("parameters:\n  counter_a2ad_share: {uniform: [0.3, 0.1]}\n", "3:3", "lo 0.3 > hi 0.1"),
    ("parameters:\n  memory_rate: {normal: {mean: 0.3, sd: 0}}\n", "3:3", "sd must be > 0"),
    ("parameters:\n  memory_rate: {normal: {mean: 0.3, sd: -1}}\n", "3:3", "sd must be > 0"),
    (
        "parameters:\n  crisis_base_hazard: {lognormal: {median: 1, sigma: 0}}\n",
        "3:3",
        "sigma must be > 0",
    ),
    ("parameters:\n  incident_rate_air: {beta: {a: 1, b: 2}}\n", "3:3", "is for shares in 0..1"),
    ("parameters:\n  memory_rate: {triangular: [0.1, 0.5, 0.3]}\n", "3:3", "lo <= mode <= hi"),
    ("parameters:\n  memory_rate: {uniform: 0.3}\n", "3:3", "expected a list of 2 numbers"),
    (
        "parameters:\n  memory_rate: {uniform: [0.1, 0.2], beta: {a: 1, b: 1}}\n",
        "3:3",
        "exactly one family",
    ),
    ("policies:\n  doctrine: {uniform: [0, 1]}\n", "3:3", "is a policy switch"),
    ("actors:\n  JPN:\n    quad_member: {uniform: [0, 1]}\n", "4:5", "is a switch (0 or 1)"),
    ("uncertainty: missing.csv\n", "2:1", "no such table of parameter draws"),
    ("worlds_per_draw: 7\n", "2:1", "does not divide"),
]


@pytest.mark.parametrize("body, where, message", BAD_SPECS, ids=[b[2] for b in BAD_SPECS])
def test_every_bad_spec_names_file_line_and_field(tmp_path: Path, body, where, message):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: baseline\n" + body, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_scenario(path)
    line = raised.value.lines[0]
    assert line.startswith(f"{path}:{where}: ") and message in line, line


def test_cli_rejects_bad_specs_with_exit_2_and_no_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: baseline\nparameters:\n  depreciation: {gamma: [1, 2]}\n")
    done = lynchpin("validate", str(bad))
    assert done.returncode == 2 and f"{bad}:3:3: parameters.depreciation" in done.stdout
    done = lynchpin(
        "run", "baseline", "--worlds", "10", "--set", "memory_rate={beta: {a: 0, b: 1}}"
    )
    assert done.returncode == 2 and "a and b must be > 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_distributions_from_files_set_and_extends(tmp_path: Path):
    parent = tmp_path / "parent.yaml"
    parent.write_text("extends: baseline\nparameters:\n  depreciation: {uniform: [0.05, 0.1]}\n")
    child = tmp_path / "child.yaml"
    child.write_text(
        f"extends: {parent.name}\nparameters:\n  depreciation: {{beta: {{a: 2, b: 20}}}}\n"
    )
    # A child's distribution replaces the parent's whole (mappings would otherwise merge).
    assert load_scenario(child).distributions["depreciation"].family == "beta"
    scenario = load_scenario("baseline").with_overrides(
        params={"counter_a2ad_share": "{uniform: [0.1, 0.3]}", "JPN.defence_ceiling": 0.02},
        uncertainty="none",
    )
    config = scenario.to_config()
    assert set(config.uncertainty.distributions) == {"counter_a2ad_share"}  # none: no priors
    draws = parameter_draws(config, 500, 1)["counter_a2ad_share"]
    assert draws.min() >= 0.1 and draws.max() <= 0.3 and np.ptp(draws) > 0.15


def test_priors_are_the_default_and_a_number_fixes_a_parameter():
    scenario = load_scenario("fortified-alliance")  # sets counter_a2ad_share to a number
    drawn = scenario.to_config().uncertainty.distributions
    assert scenario.uncertainty == "priors"
    assert "counter_a2ad_share" not in drawn and "depreciation" in drawn
    assert "JPN.norm_strength" in drawn and "JPN.quad_member" not in drawn
    assert "JPN.defence_ceiling" not in drawn  # a legal limit is a lever, not an uncertainty
    assert (
        load_scenario("baseline").with_overrides(uncertainty="none").to_config().uncertainty is None
    )


def test_a_table_of_draws(tmp_path: Path):
    table = tmp_path / "posterior.csv"
    table.write_text("draw,depreciation,JPN.defence_ceiling\n0,0.05,0.011\n1,0.12,0.015\n")
    path = tmp_path / "s.yaml"
    path.write_text("extends: baseline\nuncertainty: posterior.csv\n")  # relative to the file
    config = load_scenario(path).to_config()
    draws = parameter_draws(config, 100, 3)
    assert set(draws) == {"depreciation", "JPN.defence_ceiling"}
    assert set(draws["depreciation"]) == {0.05, 0.12}
    table.write_text("depreciation,JPN.nonsense\n0.9,0.1\n")
    with pytest.raises(UserError) as raised:
        load_scenario(path)
    text = "\n".join(raised.value.lines)
    assert "posterior.csv:1:2: JPN.nonsense: not a parameter key" in text
    table.write_text("depreciation\n0.9\n")
    with pytest.raises(UserError, match=r"posterior.csv:2:1: depreciation: .* outside its range"):
        load_scenario(path)


def test_show_prints_each_parameter_as_a_value_or_its_distribution(tmp_path: Path):
    done = lynchpin("show", "baseline")
    assert done.returncode == 0, done.stderr
    shown = yaml.safe_load(done.stdout)
    assert shown["uncertainty"] == "priors"
    mean = param("escalation_base").default  # Beta, a + b = 30, around the default
    assert shown["parameters"]["escalation_base"] == {
        "beta": {"a": pytest.approx(mean * 30), "b": pytest.approx((1 - mean) * 30)}
    }
    assert shown["actors"]["JPN"]["quad_member"] == 1.0
    assert shown["administrations"]["initial"] == "transactional"
    copy = tmp_path / "resolved.yaml"
    copy.write_text(done.stdout)
    again, original = load_scenario(copy), load_scenario("baseline")
    assert again.to_config() == original.to_config()


def test_json_schema_accepts_distributions_and_rejects_bad_ones():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    good = {
        "parameters": {"depreciation": {"triangular": [0.06, 0.08, 0.1]}},
        "actors": {"JPN": {"defence_ceiling": {"normal": {"mean": 0.011, "sd": 0.001}}}},
        "uncertainty": "none",
    }
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {"parameters": {"depreciation": {"gamma": [1, 2]}}},
        {"parameters": {"depreciation": {"normal": {"mean": 0.1, "sd": 0}}}},
        {"actors": {"JPN": {"quad_member": {"uniform": [0, 1]}}}},
    ):
        assert list(validator.iter_errors(bad)), bad
    json.dumps(scenario_json_schema())


def test_run_writes_parameters_and_decomposition(tmp_path: Path):
    import pandas as pd

    out = tmp_path / "run"
    done = lynchpin("run", "baseline", "--worlds", "50", "--out", str(out), "--no-plots")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"] == "priors" and manifest["worlds_per_draw"] == 10
    listed = {f["path"] for f in manifest["files"]}
    assert {"uncertainty.csv", "parameters.parquet"} <= listed
    parameters = pd.read_parquet(out / "parameters.parquet")
    assert list(parameters["world"]) == list(range(50))
    assert parameters["depreciation"].nunique() == 5
    table = pd.read_csv(out / "uncertainty.csv")
    assert list(table.columns) == [
        "metric",
        "actor",
        "period",
        "total_variance",
        "parametric_share",
    ]
    none = tmp_path / "none"
    done = lynchpin(
        "run",
        "baseline",
        "--worlds",
        "50",
        "--out",
        str(none),
        "--no-plots",
        "--uncertainty",
        "none",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads((none / "manifest.json").read_text())["uncertainty"] == "none"
    assert list(pd.read_parquet(none / "parameters.parquet").columns) == ["world", "draw"]
    assert (pd.read_csv(none / "uncertainty.csv")["parametric_share"] == 0).all()
