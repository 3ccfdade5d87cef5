"""The bundled scenarios: all nine exist, validate, build a config, run, and say what they
claim to change (so an edit that silently drops a shock fails here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ARTICLE_SCENARIOS

from lynchpin.data import default_config
from lynchpin.model import simulate
from lynchpin.model.periods import parse_quarter
from lynchpin.scenario import SCENARIO_DIR, list_scenarios, load_scenario
from lynchpin.scenario.editor_schema import scenario_json_schema, schema_text

REPO = Path(__file__).resolve().parents[1]
BUNDLED = list(ARTICLE_SCENARIOS)
ALL_FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


def test_scenario_dir_is_the_repository_folder():
    assert REPO / "scenarios" == SCENARIO_DIR
    assert {p.stem for p in ALL_FILES} >= set(BUNDLED)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_bundled_scenario_validates_builds_and_runs(path: Path):
    scenario = load_scenario(path.stem)
    assert scenario.name == path.stem
    assert scenario.description.strip()
    config = scenario.to_config()
    results = simulate(config, worlds=20, seed=scenario.seed, scenario=scenario.name)
    assert len(results.periods) == config.periods
    assert set(results.summary()["scenario"]) == {scenario.name}


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_file_layout(name: str):
    text = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../docs/scenario.schema.json"
    data = yaml.safe_load(text)
    assert data["name"] == name
    if name != "baseline":
        assert data["extends"] == "baseline"


def test_baseline_is_the_default_config():
    scenario = load_scenario("baseline")
    config, default = scenario.to_config(), default_config()
    assert (scenario.start, scenario.end, scenario.worlds, scenario.seed) == (
        "2020Q1",
        "2035Q4",
        1000,
        20200119,
    )
    assert config.actors == default.actors
    assert dict(config.params) == dict(default.params)
    assert config.policies == default.policies
    assert config.shocks == ()


def _shock(name: str, index: int = 0):
    return load_scenario(name).to_config().shocks[index]


def test_pandemic_distraction_cuts_us_attention_by_30_percent_for_two_years():
    shock = _shock("pandemic-distraction")
    assert (shock.target, shock.parameter, shock.mode, shock.size) == (
        "USA",
        "attention_base",
        "relative",
        -0.3,
    )
    assert (shock.start, shock.end) == (parse_quarter("2020Q1"), parse_quarter("2021Q4"))


def test_america_first_is_specific_cost_plus_50_with_an_explicit_demand():
    scenario = load_scenario("america-first")
    policies = scenario.to_config().policies
    assert (policies.doctrine, policies.host_nation_support) == ("specific", "cost_plus_50")
    raw = yaml.safe_load((SCENARIO_DIR / "america-first.yaml").read_text(encoding="utf-8"))
    assert raw["actors"]["USA"]["burden_demand"] == 0.03


def test_fortified_alliance_declares_japans_2_percent_goal_from_2023():
    """The goal is a policy lever (D4); the spending that follows is Japan's choice."""
    config = load_scenario("fortified-alliance").to_config()
    assert config.params["counter_a2ad_share"] == 0.25
    (shock,) = config.shocks
    assert (shock.target, shock.parameter) == ("JPN", "defence_goal")
    goal = config.actor("JPN").params["defence_goal"]
    assert shock.apply(goal, parse_quarter("2022Q4")) == goal == 0.0
    assert shock.apply(goal, parse_quarter("2023Q1")) == pytest.approx(0.02)
    assert shock.apply(goal, parse_quarter("2035Q4")) == pytest.approx(0.02)


def test_other_scenarios_change_what_their_passage_is_about():
    assert load_scenario("quad-institutionalised").to_config().params[
        "quad_institutionalisation"
    ] == pytest.approx(0.8)
    assert load_scenario("cyber-article5").to_config().policies.cyber_article5 is True
    retreat = load_scenario("us-retrenchment").to_config().shocks
    assert {(s.parameter, s.size < 0) for s in retreat} == {
        ("commitment_base", True),
        ("attention_base", True),
    }
    crisis = load_scenario("taiwan-strait-crisis").to_config().shocks
    assert ("system", "crisis_extra_hazard") in {(s.target, s.parameter) for s in crisis}
    assert ("CHN", "grayzone_drive") in {(s.target, s.parameter) for s in crisis}
    slow = _shock("china-slowdown")
    assert (slow.target, slow.parameter, slow.mode, slow.size) == (
        "CHN",
        "growth_trend",
        "additive",
        -0.02,
    )
    assert slow.start == parse_quarter("2022Q1")


def test_list_scenarios_gives_names_descriptions_and_paths():
    listed = {name: (description, path) for name, description, path in list_scenarios()}
    assert set(BUNDLED) <= set(listed)
    description, path = listed["cyber-article5"]
    assert "Article 5" in description
    assert path == SCENARIO_DIR / "cyber-article5.yaml"


def test_committed_json_schema_is_current():
    committed = (REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "docs/scenario.schema.json is stale; regenerate with: .venv/bin/python -c "
        "\"from lynchpin.scenario.editor_schema import schema_text; print(schema_text(), end='')\""
        " > docs/scenario.schema.json"
    )


def test_json_schema_describes_parameters_from_the_registry():
    schema = scenario_json_schema()
    ceiling = schema["$defs"]["ActorParams"]["properties"]["defence_ceiling"]
    number, distribution = ceiling["anyOf"]  # a number in range, or a distribution
    assert (number["minimum"], number["maximum"]) == (0.0, 0.2)
    assert distribution == {"$ref": "#/$defs/Distribution"}
    assert "Hard legal limit" in ceiling["description"]
    assert schema["$defs"]["ActorParams"]["additionalProperties"] is False
    json.dumps(schema)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_bundled_scenario_matches_the_json_schema(path: Path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert errors == []


def test_json_schema_rejects_what_the_loader_rejects():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(scenario_json_schema())
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for bad in (
        {"actors": {"JPN": {"defence_cieling": 0.02}}},
        {"actors": {"JPN": {"defence_ceiling": 2}}},
        {"start": "2020-Q1"},
        {"shocks": [{"target": "USA", "quantity": "attention", "start": "2020Q1"}]},
        {"policies": {"doctrine": "difused"}},
    ):
        assert list(validator.iter_errors(bad)), bad
