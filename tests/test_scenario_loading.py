"""Reading scenario files: extends and deep merge, safe YAML, limits, name lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynchpin.errors import UserError
from lynchpin.model.periods import parse_quarter
from lynchpin.scenario import load_scenario
from lynchpin.scenario.yaml_source import MAX_BYTES


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def family(tmp_path: Path) -> Path:
    """grandchild -> child -> parent, by relative path."""
    write(
        tmp_path,
        "parent.yaml",
        "name: parent\ndescription: the parent\nworlds: 50\n"
        "actors:\n  JPN:\n    defence_ceiling: 0.015\n    proximity: 0.8\n"
        "policies:\n  doctrine: specific\n"
        "shocks:\n  - {target: USA, quantity: attention, start: 2020Q1, end: 2020Q4, size: -0.1}\n",
    )
    write(
        tmp_path,
        "child.yaml",
        "extends: ./parent.yaml\nname: child\n"
        "actors:\n  JPN:\n    defence_ceiling: 0.02\n  AUS:\n    proximity: 0.5\n"
        "shocks:\n  - {target: CHN, quantity: growth, start: 2022Q1, size: -0.01, "
        "mode: additive}\n",
    )
    return write(tmp_path, "grandchild.yaml", "extends: child.yaml\nseed: 7\n")


def test_extends_deep_merges_mappings_and_concatenates_lists(family: Path):
    scenario = load_scenario(family)
    assert (scenario.name, scenario.worlds, scenario.seed) == ("grandchild", 50, 7)
    assert scenario.description == ""  # descriptions are not inherited
    config = scenario.to_config()
    japan = config.actor("JPN").params
    assert (japan["defence_ceiling"], japan["proximity"]) == (0.02, 0.8)
    assert config.actor("AUS").params["proximity"] == 0.5
    assert config.policies.doctrine == "specific"
    assert [(s.target, s.parameter) for s in config.shocks] == [
        ("USA", "attention_base"),
        ("CHN", "growth_trend"),
    ]
    assert config.shocks[1].end == parse_quarter("2035Q4")  # defaults to the scenario's end
    assert "extends" not in scenario.resolved()


def test_errors_in_a_parent_point_into_the_parent(family: Path):
    parent = family.parent / "parent.yaml"
    parent.write_text(parent.read_text().replace("proximity: 0.8", "proximity: 8"))
    with pytest.raises(UserError) as caught:
        load_scenario(family)
    assert caught.value.lines[0].startswith(f"{parent}:7:5: actors.JPN.proximity:")


def test_extends_by_name_uses_the_scenario_dir(tmp_path: Path):
    child = write(tmp_path, "mine.yaml", "extends: pandemic-distraction\nworlds: 10\n")
    scenario = load_scenario(child)
    assert scenario.worlds == 10
    assert scenario.to_config().shocks[0].parameter == "attention_base"


def test_scenario_path_environment_variable(tmp_path: Path, monkeypatch):
    write(tmp_path, "base.yaml", "name: base\nworlds: 3\n")
    write(tmp_path, "derived.yaml", "name: derived\nextends: base\nseed: 5\n")
    monkeypatch.setenv("LYNCHPIN_SCENARIO_PATH", str(tmp_path))
    scenario = load_scenario("derived")
    assert (scenario.worlds, scenario.seed) == (3, 5)
    with pytest.raises(UserError, match="unknown scenario 'baseline'"):
        load_scenario("baseline")


def test_cycle_names_the_chain(tmp_path: Path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "worlds: 5\nextends: c.yaml\n")
    write(tmp_path, "c.yaml", "extends: ./a.yaml\n")
    with pytest.raises(UserError) as caught:
        load_scenario(tmp_path / "a.yaml")
    (line,) = caught.value.lines
    assert line.startswith(f"{tmp_path / 'c.yaml'}:1:1: extends: cycle ")
    assert line.endswith("cycle " + " -> ".join(str(tmp_path / f"{n}.yaml") for n in "abca"))


def test_unknown_parent_names_the_chain(tmp_path: Path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "\n\nextends: pandemic-distracton\n")
    with pytest.raises(UserError) as caught:
        load_scenario(tmp_path / "a.yaml")
    (line,) = caught.value.lines
    assert line.startswith(f"{tmp_path / 'b.yaml'}:3:1: extends: unknown scenario")
    assert "did you mean 'pandemic-distraction'?" in line
    assert f"(while loading {tmp_path / 'a.yaml'} -> {tmp_path / 'b.yaml'})" in line
    write(tmp_path, "c.yaml", "extends: ./missing.yaml\n")
    with pytest.raises(UserError, match=r"c\.yaml:1:1: extends: no such file"):
        load_scenario(tmp_path / "c.yaml")


def test_unknown_bundled_name_suggests_one():
    with pytest.raises(UserError, match="did you mean 'america-first'"):
        load_scenario("america-frist")
    with pytest.raises(UserError, match="no such scenario file"):
        load_scenario("does/not/exist.yaml")


def test_python_tags_never_execute(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sentinel = tmp_path / "sentinel"
    for text in (
        f"name: x\nseed: !!python/object/apply:os.system ['touch {sentinel}']\n",
        f"!!python/object/apply:os.system\nargs: ['touch {sentinel}']\n",
        f"name: !!python/object/apply:os.system 'touch {sentinel}'\n",
        "name: !!python/name:os.system ''\n",
    ):
        path = write(tmp_path, "evil.yaml", text)
        with pytest.raises(UserError, match="is not allowed; use plain data"):
            load_scenario(path)
        assert not sentinel.exists()


def test_duplicate_keys_are_rejected_with_both_lines(tmp_path: Path):
    path = write(
        tmp_path, "dup.yaml", "actors:\n  JPN:\n    proximity: 0.5\n\n    proximity: 0.6\n"
    )
    with pytest.raises(UserError) as caught:
        load_scenario(path)
    assert caught.value.lines == [
        f"{path}:5:5: actors.JPN.proximity: duplicate key (first given on line 3)"
    ]


def test_aliases_are_rejected(tmp_path: Path):
    path = write(tmp_path, "alias.yaml", "worlds: &n 10\nseed: *n\n")
    with pytest.raises(UserError, match=r"alias.yaml:2:7: YAML error: anchors and aliases"):
        load_scenario(path)


def test_oversized_file_is_rejected_before_parsing(tmp_path: Path):
    path = write(tmp_path, "big.yaml", "# " + "x" * MAX_BYTES + "\nname: big\n")
    with pytest.raises(UserError, match="limited to 1,000,000"):
        load_scenario(path)


def test_too_many_new_actors(tmp_path: Path):
    actors = "".join(
        f"  - {{code: X{i:02d}, name: x, role: partner, gdp: 10, defence_share: 0.01}}\n"
        for i in range(51)
    )
    path = write(tmp_path, "crowd.yaml", "name: crowd\nnew_actors:\n" + actors)
    with pytest.raises(UserError, match=r"crowd.yaml:2:1: new_actors: at most 50 items"):
        load_scenario(path)


def test_empty_and_deeply_nested_files(tmp_path: Path):
    with pytest.raises(UserError, match=r"empty\.yaml:1:1: the file is empty"):
        load_scenario(write(tmp_path, "empty.yaml", "# nothing\n"))
    with pytest.raises(UserError, match="nested more than"):
        load_scenario(write(tmp_path, "deep.yaml", "a: " + "[" * 30 + "]" * 30 + "\n"))


def test_exponent_floats_are_numbers(tmp_path: Path):
    path = write(tmp_path, "exp.yaml", "parameters:\n  threat_response: 1e-2\n")
    assert load_scenario(path).to_config().params["threat_response"] == 0.01


def test_new_actor_joins_with_its_role_and_parameters(tmp_path: Path):
    path = write(
        tmp_path,
        "korea.yaml",
        "new_actors:\n"
        "  - code: KOR\n    name: South Korea\n    role: treaty_ally\n    gdp: 1644\n"
        "    defence_share: 0.028\n    parameters: {proximity: 0.9, host_weight: 0.4}\n"
        "actors:\n  KOR:\n    trade_dependence: 0.25\n"
        "shocks:\n  - {target: KOR, quantity: defence_ceiling, start: 2025Q1, size: 0.035, "
        "mode: absolute}\n",
    )
    scenario = load_scenario(path)
    assert scenario.name == "korea"
    korea = scenario.to_config().actor("KOR")
    assert (korea.role, korea.gdp, korea.defence_share) == ("treaty_ally", 1644, 0.028)
    assert korea.params["proximity"] == 0.9
    assert korea.params["trade_dependence"] == 0.25
    assert korea.params["growth_volatility"] == 0.01  # registry default
    from lynchpin.model import simulate

    results = simulate(scenario.to_config(), worlds=5, seed=1)
    assert results.metric("KOR", "gdp").shape[1] == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020: x\n", "odd.yaml:1:1: (scenario): keys must be names (got 2020)"),
        ("start: 2020-01-01\n", "odd.yaml:1:1: start: must be a quarter like 2020Q1"),
        ("parameters:\n  depreciation: .nan\n", "odd.yaml:2:3: parameters.depreciation: must be a"),
        ("policies:\n", "odd.yaml:1:1: policies: must be a mapping (got None)"),
        ("seed: 1.5\n", "odd.yaml:1:1: seed: must be a whole number (got 1.5)"),
    ],
)
def test_odd_values_get_plain_messages(tmp_path: Path, monkeypatch, text: str, expected: str):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as caught:
        load_scenario(write(tmp_path, "odd.yaml", text))
    assert caught.value.lines[0].startswith(expected), caught.value.lines
