"""The Scenario object other layers use: resolved(), sha256(), with_overrides()."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from lynchpin.errors import UserError
from lynchpin.scenario import load_scenario


def test_resolved_is_json_and_complete():
    scenario = load_scenario("america-first")
    resolved = scenario.resolved()
    json.dumps(resolved, allow_nan=False)
    assert "extends" not in resolved
    assert set(resolved["actors"]) == {"USA", "JPN", "CHN", "AUS", "IND"}
    # Under the default `uncertainty: priors` a parameter the scenario does not fix shows its
    # prior, centred on the value from actors.csv / the registry; with none, the value itself.
    assert resolved["uncertainty"] == "priors"
    assert resolved["parameters"]["depreciation"] == {"triangular": [0.06, 0.08, 0.1]}
    assert resolved["actors"]["JPN"]["quad_member"] == 1.0  # a switch is never drawn
    assert resolved["actors"]["JPN"]["defence_ceiling"] == 0.03  # a legal limit: a lever
    assert resolved["policies"]["host_nation_support"] == "cost_plus_50"
    fixed = scenario.with_overrides(uncertainty="none").resolved()
    assert fixed["actors"]["JPN"]["norm_strength"] == 1.0  # from actors.csv
    assert fixed["parameters"]["depreciation"] == 0.08


def test_resolved_round_trips_to_the_same_scenario(tmp_path: Path):
    for name in ("fortified-alliance", "taiwan-strait-crisis"):
        scenario = load_scenario(name)
        copy = tmp_path / f"{name}.yaml"
        copy.write_text(yaml.safe_dump(scenario.resolved(), sort_keys=False), encoding="utf-8")
        again = load_scenario(copy)
        assert again.sha256() == scenario.sha256()
        assert again.to_config() == scenario.to_config()


def test_sha256_is_stable_and_follows_values():
    first, second = load_scenario("baseline"), load_scenario("baseline")
    assert first.sha256() == second.sha256()
    assert len(first.sha256()) == 64
    assert first.with_overrides(seed=1).sha256() != first.sha256()
    changed = first.with_overrides(params={"JPN.defence_ceiling": 0.012})
    assert changed.sha256() != first.sha256()
    # Under priors, setting a drawn parameter to its default fixes it (no longer drawn): a change.
    assert first.with_overrides(params={"depreciation": 0.08}).sha256() != first.sha256()
    fixed = first.with_overrides(uncertainty="none")
    assert fixed.with_overrides(params={"depreciation": 0.08}).sha256() == fixed.sha256()
    assert changed.with_overrides(params={"JPN.defence_ceiling": 0.03}).sha256() == (first.sha256())


def test_with_overrides_changes_only_what_it_names():
    base = load_scenario("pandemic-distraction")
    changed = base.with_overrides(
        worlds=20,
        seed=np.int64(3),
        params={
            "counter_a2ad_share": 0.3,
            "USA.commitment_base": "0.6",
            "policies.doctrine": "specific",
            "policies.cptpp_leader": "null",
            "policies.cyber_article5": "true",
        },
    )
    assert (changed.worlds, changed.seed, changed.name) == (20, 3, base.name)
    config = changed.to_config()
    assert config.params["counter_a2ad_share"] == 0.3
    assert config.actor("USA").params["commitment_base"] == 0.6
    assert config.policies.doctrine == "specific"
    assert config.policies.cptpp_leader is None
    assert config.policies.cyber_article5 is True
    assert config.shocks == base.to_config().shocks
    assert (base.worlds, base.seed) == (1000, 20200119)  # the original is untouched


def test_with_overrides_reaches_new_actors(tmp_path: Path):
    path = tmp_path / "kor.yaml"
    path.write_text(
        "new_actors:\n  - {code: KOR, name: Korea, role: treaty_ally, gdp: 1644, "
        "defence_share: 0.028}\n",
        encoding="utf-8",
    )
    changed = load_scenario(path).with_overrides(params={"KOR.proximity": 0.95})
    assert changed.to_config().actor("KOR").params["proximity"] == 0.95


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"worlds": 0}, "override: worlds: must be between 1 and 1000000 (got 0)"),
        ({"seed": -1}, "override: seed: must be at least 0 (got -1)"),
        (
            {"params": {"JPN.defence_ceiling": 2}},
            "override: actors.JPN.defence_ceiling: must be between 0 and 0.2 (got 2)",
        ),
        (
            {"params": {"JPN.defence_cieling": 0.02}},
            "did you mean 'defence_ceiling'?",
        ),
        ({"params": {"depreciaton": 0.1}}, "did you mean 'depreciation'?"),
        ({"params": {"JPX.proximity": 0.1}}, "unknown actor 'JPX'"),
        ({"params": {"policies.doctrine": "difused"}}, "did you mean 'diffused'?"),
        ({"params": {"policies.doctrin": "specific"}}, "did you mean 'doctrine'?"),
        ({"params": {"a.b.c": 1}}, "override a.b.c: expected <global_param>"),
        ({"params": {"counter_a2ad_share": "lots"}}, "must be a number (got 'lots')"),
    ],
)
def test_with_overrides_validates(kwargs, expected):
    with pytest.raises(UserError) as caught:
        load_scenario("baseline").with_overrides(**kwargs)
    assert any(expected in line for line in caught.value.lines), caught.value.lines


def test_override_that_breaks_a_file_shock_points_at_the_shock():
    # china-slowdown lowers CHN growth by 2 pp; from -0.09 that leaves the range -0.1..0.15.
    with pytest.raises(UserError) as caught:
        load_scenario("china-slowdown").with_overrides(params={"CHN.growth_trend": -0.09})
    (line,) = caught.value.lines
    location, _, message = line.partition(": ")
    assert location.rsplit(":", 2)[0].endswith("china-slowdown.yaml")
    assert message.startswith("shocks[0].size: additive -0.02 moves CHN.growth_trend")


def test_override_strings_are_never_objects():
    with pytest.raises(UserError, match="must be a number"):
        load_scenario("baseline").with_overrides(
            params={"depreciation": "!!python/object/apply:os.system ['true']"}
        )
