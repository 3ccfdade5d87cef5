"""Every broken file in tests/fixtures/bad_scenarios fails with file:line:col, the field and a
useful message; the table must cover every fixture so none goes unchecked."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynchpin.errors import UserError
from lynchpin.scenario import load_scenario

BAD = Path(__file__).parent / "fixtures" / "bad_scenarios"

# file -> (line, field as printed, words the message must contain)
EXPECTED: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "unknown-key.yaml": (5, "actors.JPN.defence_cieling", ("did you mean 'defence_ceiling'?",)),
    "unknown-global.yaml": (4, "parameters.depreciaton", ("did you mean 'depreciation'?",)),
    "unknown-field.yaml": (2, "wordls", ("unknown field", "did you mean 'worlds'?")),
    "wrong-type.yaml": (3, "worlds", ("must be a whole number", "'many'")),
    "out-of-range.yaml": (4, "actors.JPN.defence_ceiling", ("must be between 0 and 0.2 (got 2)",)),
    "unknown-actor.yaml": (5, "actors.JPX", ("unknown actor 'JPX'", "did you mean 'JPN'?")),
    "unknown-parent.yaml": (2, "extends", ("unknown scenario 'baselin'", "'baseline'?")),
    "end-before-start.yaml": (3, "end", ("2025Q4 is before start 2030Q1",)),
    "bad-quarter.yaml": (2, "start", ("quarter like 2020Q1", "'2020-Q1'")),
    "shock-outside-window.yaml": (10, "shocks[1].start", ("outside the run 2020Q1..2030Q4",)),
    "bad-mode.yaml": (7, "shocks[0].mode", ("did you mean 'additive'?",)),
    "quantity-not-for-target.yaml": (4, "shocks[0].quantity", ("'attention'", "actor code")),
    "two-challengers.yaml": (10, "new_actors[1].role", ("exactly one challenger", "CHN, RUS")),
    "oversized-list.yaml": (2, "shocks", ("at most 200 items", "got 201")),
    "syntax-error.yaml": (5, "YAML error", ("flow sequence started at line 4",)),
    "duplicate-key.yaml": (4, "worlds", ("duplicate key", "first given on line 2")),
    "python-tag.yaml": (2, "description", ("'!!python/object/apply:os.system' is not allowed",)),
    "unknown-cptpp-leader.yaml": (3, "policies.cptpp_leader", ("did you mean 'JPN'?",)),
    "shock-too-large.yaml": (6, "shocks[0].size", ("from 0.8 to 1.2", "range 0..1")),
    "unknown-target.yaml": (3, "shocks[0].target", ("did you mean 'CHN'?",)),
    "cycle-a.yaml": (2, "extends", ("cycle", "cycle-a.yaml -> ", "cycle-b.yaml")),
    "cycle-b.yaml": (2, "extends", ("cycle", "cycle-b.yaml -> ", "cycle-a.yaml")),
    "not-a-mapping.yaml": (1, "must be a mapping", ("got a list",)),
}
# A cycle is reported at the `extends` that closes it, i.e. in the other file.
REPORTED_IN = {"cycle-a.yaml": "cycle-b.yaml", "cycle-b.yaml": "cycle-a.yaml"}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_bad_scenario_names_file_line_and_field(filename, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # python-tag.yaml would create its sentinel here
    line, field, words = EXPECTED[filename]
    with pytest.raises(UserError) as caught:
        load_scenario(BAD / filename)
    first = caught.value.lines[0]
    location, _, message = first.partition(": ")
    path, line_text, column = location.rsplit(":", 2)
    assert Path(path).name == REPORTED_IN.get(filename, filename), first
    assert int(line_text) == line, first
    assert int(column) >= 1
    assert message.startswith(field) or f" {field}" in message, first
    for word in words:
        assert word in first, first
    assert not (tmp_path / "lynchpin-pwned-sentinel").exists()


def test_all_problems_are_reported_at_once(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(
        "worlds: 0\nseed: -1\nactors:\n  JPN:\n    defence_ceiling: 2\n    proximty: 0.5\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as caught:
        load_scenario(path)
    lines = caught.value.lines
    assert [line.split(": ")[0].rsplit(":", 2)[1] for line in lines] == ["1", "2", "5", "6"]
    assert "did you mean 'proximity'?" in lines[3]


@pytest.mark.parametrize(("leader", "role"), [("CHN", "challenger"), ("USA", "leader")])
def test_cptpp_leader_must_be_an_ally_or_partner(tmp_path, leader, role):
    """C14: China 'leading' CPTPP would lower dependence on China; the US is us_in_tpp."""
    path = tmp_path / "cptpp.yaml"
    path.write_text(f"name: cptpp\npolicies:\n  cptpp_leader: {leader}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_scenario(path)
    first = caught.value.lines[0]
    location, _, message = first.partition(": ")
    assert Path(location.rsplit(":", 2)[0]).name == "cptpp.yaml", first
    assert int(location.rsplit(":", 2)[1]) == 3, first
    assert message.startswith("policies.cptpp_leader") or "policies.cptpp_leader" in first
    assert f"{leader} is the {role}" in first and "treaty_ally or partner" in first, first
    for ok in ("AUS", "IND", "JPN"):
        path.write_text(f"name: cptpp\npolicies:\n  cptpp_leader: {ok}\n", encoding="utf-8")
        assert load_scenario(path).to_config().policies.cptpp_leader == ok


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("actors:\n  JPN:\n    defence_share_desired: -0.5\n", 4),
        (
            "shocks:\n  - target: JPN\n    quantity: defence_share_desired\n"
            "    start: 2021Q1\n    size: -0.5\n    mode: absolute\n",
            6,
        ),
    ],
)
def test_desired_share_sentinel_is_exactly_minus_one(tmp_path, body, line):
    """-1 means 'the observed 2020 share'; any other negative value is an error, not -1."""
    path = tmp_path / "sentinel.yaml"
    path.write_text(f"name: sentinel\n{body}", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_scenario(path)
    first = caught.value.lines[0]
    assert int(first.partition(": ")[0].rsplit(":", 2)[1]) == line, first
    assert "-1" in first and "2020 share" in first, first
    path.write_text("name: sentinel\nactors:\n  JPN:\n    defence_share_desired: -1\n")
    assert load_scenario(path).to_config().actor("JPN").params["defence_share_desired"] == -1.0
