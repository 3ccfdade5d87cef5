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
