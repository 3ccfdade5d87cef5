"""Scenarios: YAML files that change the 2020 baseline, validated against the parameter
registry, with `extends` for sharing and errors that point to file:line:col."""

from lynchpin.scenario.editor_schema import scenario_json_schema
from lynchpin.scenario.loader import SCENARIO_DIR, list_scenarios, load_scenario
from lynchpin.scenario.scenario import Scenario

__all__ = ["SCENARIO_DIR", "Scenario", "list_scenarios", "load_scenario", "scenario_json_schema"]
