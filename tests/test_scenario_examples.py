"""Example scenarios in scenarios/examples/: a new actor is a role plus parameters."""

from __future__ import annotations

from pathlib import Path

from lynchpin.model import simulate
from lynchpin.scenario import load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "examples"


def test_south_korea_joins_as_a_treaty_ally_with_every_ally_output():
    scenario = load_scenario(EXAMPLES / "with-south-korea.yaml")
    config = scenario.to_config()
    assert config.actor("KOR").role == "treaty_ally"
    results = simulate(config, worlds=60, seed=2, scenario=scenario.name)
    summary = results.summary()
    korea = set(summary[summary.actor == "KOR"].metric)
    assert {"abandonment_fear", "entrapment_fear", "burden_gap", "alignment"} <= korea
    # A second aligned ally adds to the coalition, so the challenger's power ratio is lower.
    baseline = simulate(load_scenario("baseline").to_config(), worlds=60, seed=2)
    assert (
        results.metric("system", "power_ratio")[-1].mean()
        < baseline.metric("system", "power_ratio")[-1].mean()
    )
