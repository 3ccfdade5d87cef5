"""The participatory game: turns, who may change what, absent teams, saving and resuming."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from lynchpin.classroom.game import QUARTERS_PER_TURN, Game
from lynchpin.classroom.server import ClassroomServer
from lynchpin.cli import main
from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.errors import UserError

WORLDS = 30


@pytest.fixture
def game(tmp_path: Path) -> Game:
    return Game.new("baseline", worlds=WORLDS, path=tmp_path / "game.json")


def test_every_actor_is_a_team_with_its_own_code(game: Game) -> None:
    assert game.state.teams == {
        "USA": "leader",
        "JPN": "treaty_ally",
        "CHN": "challenger",
        "AUS": "treaty_ally",
        "IND": "partner",
    }
    codes = game.state.codes
    assert set(codes) == {*game.state.teams, "facilitator"}
    assert len(set(codes.values())) == len(codes)
    assert game.who(codes["JPN"]) == "JPN" and game.who(codes["JPN"].lower()) == "JPN"
    assert game.who("") is None and game.who("WRONG1") is None


def test_a_turn_is_a_year_and_submitted_levers_act_on_that_country_only(game: Game) -> None:
    game.submit("JPN", {"defence_goal": "2.5"})
    game.close_turn()
    assert game.turn == 1 and game.model.quarter == game.model.config.start + QUARTERS_PER_TURN
    assert game.model.actors["JPN"].base_params["defence_goal"] == pytest.approx(0.025)
    assert game.model.actors["AUS"].base_params["defence_goal"] == pytest.approx(
        DashboardModel("baseline", worlds=1).actors["AUS"].base_params["defence_goal"]
    )
    assert any(
        "team Japan decides: Declared defence goal 2.5 % of GDP" in str(e)
        for e in game.model.events
    )


def test_bad_values_and_other_countries_levers_are_refused_and_change_nothing(game: Game) -> None:
    before = game.state.to_json()
    with pytest.raises(UserError, match=r"expected 0 to 3"):
        game.submit("JPN", {"defence_goal": "9"})
    with pytest.raises(UserError, match="not a lever of this team"):
        game.submit("JPN", {"attention_base": "0.1"})  # the US's lever
    with pytest.raises(UserError, match="expected one of"):
        game.submit("USA", {"policy:host_nation_support": "free"})
    assert game.state.to_json() == before


def test_an_absent_team_is_played_by_the_models_own_agents(game: Game) -> None:
    """No submission in a turn: the country's levers are the scenario's, as in the agents'
    path; a team that returns later overrides them again."""
    game.close_turn()
    game.close_turn()
    agents = game.agents_path()
    for key in [("JPN", "abandonment_fear"), ("system", "alliance_cohesion")]:
        np.testing.assert_array_equal(
            game.model.results("a").metric(*key), agents.results("b").metric(*key)
        )
    game.submit("USA", {"attention_base": "0.4"})
    game.close_turn()
    game.close_turn()  # the US team is absent again: attention returns to the scenario's
    assert game.model.actors["USA"].base_params["attention_base"] == pytest.approx(1.0)


def test_the_class_path_differs_from_the_agents_path_in_the_direction_of_the_claim(
    game: Game,
) -> None:
    """C9: a cost-plus-50 demand raises Japan's fear of abandonment against the agents' path
    (same start, same seed, so the difference is the decision's effect)."""
    game.submit("USA", {"policy:host_nation_support": "cost_plus_50"})
    game.close_turn()
    fear = game.model.results("a").metric("JPN", "abandonment_fear")[-1]
    agents = game.agents_path().results("b").metric("JPN", "abandonment_fear")[-1]
    assert np.median(fear - agents) > 0.05


def test_the_game_is_saved_after_each_turn_and_resumes_bit_for_bit(game: Game) -> None:
    game.submit("CHN", {"grayzone_drive": "2.5"})
    game.submit("IND", {"alignment_affinity": "0.9", "trade_dependence": "0.05"})
    game.close_turn()
    game.submit("AUS", {"defence_goal": "2.0"})  # pending when the server stops
    saved = json.loads(game.path.read_text())
    assert saved["format"] == "lynchpin-classroom/1" and len(saved["decisions"]) == 1
    assert list(game.path.parent.iterdir()) == [game.path]  # no temporary file left behind
    resumed = Game.load(game.path)
    assert resumed.turn == 1 and resumed.state.pending == {"AUS": {"defence_goal": 0.02}}
    assert resumed.state.codes == game.state.codes
    for key in [("CHN", "gray_zone_intensity"), ("IND", "alignment")]:
        np.testing.assert_array_equal(
            resumed.model.results("a").metric(*key), game.model.results("b").metric(*key)
        )


def test_a_file_that_is_not_a_game_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(UserError, match="not a lynchpin classroom game file"):
        Game.load(path)
    assert main(["classroom", "baseline", "--state", str(path), "--new", "--port", "0"]) == 2
    assert path.read_text() == '{"hello": 1}'  # --new replaces only what lynchpin wrote


def test_classroom_host_beyond_loopback_needs_lan(capsys) -> None:
    assert main(["classroom", "--host", "0.0.0.0"]) == 2
    assert "--lan" in capsys.readouterr().err


# -- the HTTP server: every page and action checks its code -----------------------------
@pytest.fixture
def server(game: Game):
    httpd = ClassroomServer(game, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", game
    httpd.shutdown()
    httpd.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _post(url: str, fields: dict[str, str]) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data)) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_pages_need_their_own_code(server) -> None:
    base, game = server
    codes = game.state.codes
    assert _get(f"{base}/team/JPN?code={codes['JPN']}")[0] == 200
    assert _get(f"{base}/team/JPN")[0] == 403
    assert _get(f"{base}/team/JPN?code={codes['USA']}")[0] == 403  # another team's page
    assert _get(f"{base}/facilitator?code={codes['JPN']}")[0] == 403
    assert _get(f"{base}/debrief?code=NOPE")[0] == 403
    assert _get(f"{base}/state.json?code=NOPE")[0] == 403
    status, page = _get(f"{base}/facilitator?code={codes['facilitator']}")
    assert status == 200 and "Close turn 1: play 2020" in page


def test_actions_with_a_wrong_code_change_nothing(server) -> None:
    base, game = server
    codes = game.state.codes
    before = game.state.to_json()
    assert _post(f"{base}/team/JPN/levers", {"code": codes["USA"], "defence_goal": "3"})[0] == 403
    assert _post(f"{base}/team/USA/levers", {"code": "", "attention_base": "0"})[0] == 403
    assert _post(f"{base}/facilitator/close", {"code": codes["USA"]})[0] == 403
    assert game.state.to_json() == before and game.turn == 0
    status, page = _post(f"{base}/team/JPN/levers", {"code": codes["JPN"], "defence_goal": "2"})
    assert status == 200 and "Submitted: Declared defence goal 2 % of GDP" in page
    status, page = _post(f"{base}/facilitator/close", {"code": codes["facilitator"]})
    assert status == 200 and game.turn == 1 and "Close turn 2: play 2021" in page


def test_more_gray_zone_assertiveness_raises_intensity_against_the_agents(game: Game) -> None:
    """docs/classroom.md, C4/C12: China's team pushing harder shows in its intensity."""
    game.submit("CHN", {"grayzone_drive": "2.5"})
    game.close_turn()
    class_path = game.model.results("a").metric("CHN", "gray_zone_intensity")[-1]
    agents = game.agents_path().results("b").metric("CHN", "gray_zone_intensity")[-1]
    assert np.median(class_path - agents) > 0.02


def test_a_declared_goal_raises_japans_spending_and_a_goal_at_its_norm_does_not(
    game: Game,
) -> None:
    """docs/classroom.md, C8/D4: Japan's team declaring 2% lifts its spending above the agents'
    path over the years; a goal at its ~1% norm changes nothing."""
    for _ in range(3):
        game.submit("JPN", {"defence_goal": "2"})
        game.close_turn()
    spending = game.model.results("a").metric("JPN", "defence_share_gdp")
    agents = game.agents_path().results("b").metric("JPN", "defence_share_gdp")
    rise = np.median(spending - agents, axis=1)
    assert rise[3] > 0 and rise[-1] > rise[3] and rise[-1] > 0.003  # climbs over the years
    assert np.median(spending[-1]) < 0.02  # budgets phase in: not at the goal after 3 years
    assert "end of 2022: Japan spends" in str(game.model.events[-1])
    at_norm = Game.new("baseline", worlds=game.state.worlds, seed=game.state.seed)
    at_norm.submit("JPN", {"defence_goal": "0.75"})
    at_norm.close_turn()
    np.testing.assert_array_equal(
        at_norm.model.results("a").metric("JPN", "defence_share_gdp"),
        at_norm.agents_path().results("b").metric("JPN", "defence_share_gdp"),
    )
