"""A whole participatory game in headless Chromium, offline: five team browser contexts and a
facilitator play three turns; each team changes only its own country; wrong codes are
refused; a restarted server resumes the game where it stopped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lynchpin.classroom.game import ROLE_LEVERS
from lynchpin.dashboard.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    block_outside_requests,
    running_lynchpin,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 120_000
# Turn by turn, what each team submits (None: the team is absent and the agents play it).
PLAN: list[dict[str, dict[str, str] | None]] = [
    {
        "USA": {"attention_base": "0.6", "policy:host_nation_support": "cost_plus_50"},
        "JPN": {"defence_goal": "2"},
        "CHN": {"grayzone_drive": "2"},
        "AUS": {"defence_goal": "1.5"},
        "IND": {"alignment_affinity": "0.8"},
    },
    {"USA": None, "JPN": {"defence_goal": "2.5"}, "CHN": None, "AUS": None, "IND": None},
    {
        "USA": {"commitment_base": "1"},
        "JPN": {"defence_goal": "3"},
        "CHN": {"grayzone_drive": "0.5"},
        "AUS": {"defence_goal": "2"},
        "IND": {"trade_dependence": "0.1"},
    },
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
expect = playwright_api.expect
expect.set_options(timeout=TIMEOUT_MS)


def _set(page, name: str, value: str) -> None:
    """Move a range input (or pick an option) as a student would, then let the page know."""
    control = page.locator(f"[name='{name}']")
    if control.evaluate("el => el.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value
        )


def test_a_class_plays_three_turns_and_a_restart_resumes(tmp_path: Path) -> None:
    state = tmp_path / "game.json"
    args = ["classroom", "baseline", "--state", str(state), "--worlds", "60"]
    with running_lynchpin(args) as (url, log_path), playwright_api.sync_playwright() as p:
        codes = json.loads(state.read_text())["codes"]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        outside: list[str] = []
        pages = {}
        for who in ["facilitator", "USA", "JPN", "CHN", "AUS", "IND"]:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            outside += block_outside_requests(context)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)  # the join page: type the code, as on a phone
            page.get_by_label("Your join code").fill(codes[who].lower())
            page.get_by_role("button", name="Join").click()
            pages[who] = page
        facilitator = pages.pop("facilitator")
        expect(facilitator.locator("h2").first).to_have_text("Facilitator")
        for actor, page in pages.items():
            expect(page.locator("h2").first).to_contain_text("Your country")
            assert page.url.endswith(f"/team/{actor}?code={codes[actor]}")

        # Wrong codes are refused and change nothing.
        intruder = browser.new_context()
        block_outside_requests(intruder)
        spy = intruder.new_page()
        for path in ["team/JPN?code=WRONG1", f"team/JPN?code={codes['USA']}", "facilitator"]:
            response = spy.goto(url + path)
            assert response.status == 403
            expect(spy.locator(".refused")).to_contain_text("Refused")
        # A team cannot send another country's levers, even by editing its form.
        japan = pages["JPN"]
        japan.evaluate("document.querySelector('form.levers').action = '/team/USA/levers'")
        japan.get_by_role("button", name="Submit for 2020").click()
        expect(japan.locator(".refused")).to_contain_text("only its own country")
        japan.goto(f"{url}team/JPN?code={codes['JPN']}")
        assert json.loads(state.read_text())["pending"] == {}

        for turn, plan in enumerate(PLAN):
            year = str(2020 + turn)
            for actor, levers in plan.items():
                page = pages[actor]
                expect(page.locator(".turn")).to_contain_text(f"Year {year}")
                if levers is None:
                    expect(page.locator(".status")).to_contain_text("model's own agent plays")
                    continue
                for name, value in levers.items():
                    _set(page, name, value)
                page.get_by_role("button", name=f"Submit for {year}").click()
                expect(page.locator(".status")).to_contain_text("Submitted:")
            for actor, levers in plan.items():
                row = facilitator.locator(f"tr.team-{actor}")
                expect(row).to_contain_text("submitted" if levers else "not yet")
            facilitator.get_by_role("button", name=f"Close turn {turn + 1}: play {year}").click()
            expect(facilitator.locator(".turn")).to_contain_text(f"Year {2021 + turn}")
            for page in pages.values():  # every page follows: consequences and the log
                expect(page.locator(".turn")).to_contain_text(f"Year {2021 + turn}")
                expect(page.locator(".events")).to_contain_text(f"{year}Q4: end of {year}")
        expect(pages["IND"].locator(".events")).to_contain_text("team Japan decides")
        pages["JPN"].screenshot(path=_artifact("classroom-team.png"), full_page=True)
        facilitator.screenshot(path=_artifact("classroom-facilitator.png"), full_page=True)
        facilitator.get_by_role("link", name="Debrief").click()
        expect(facilitator.locator("table.differences")).to_contain_text("class minus agents")
        expect(facilitator.locator(".panel-japan svg")).to_contain_text("reference")
        facilitator.screenshot(path=_artifact("classroom-debrief.png"), full_page=True)
        browser.close()
        assert outside == []
        assert "Traceback" not in log_path.read_text()

    # Each team's decisions touch only its own country's levers.
    saved = json.loads(state.read_text())
    assert len(saved["decisions"]) == 3
    for turn, plan in enumerate(PLAN):
        decided = saved["decisions"][turn]
        assert sorted(decided) == sorted(a for a, levers in plan.items() if levers)
        for actor, levers in decided.items():  # the form sends all of its own levers
            own = {lever.name for lever in ROLE_LEVERS[saved["teams"][actor]]}
            assert set(levers) == own and set(plan[actor]) <= own
    assert saved["decisions"][0]["JPN"] == {"defence_goal": pytest.approx(0.02)}
    assert saved["decisions"][0]["USA"]["attention_base"] == pytest.approx(0.6)
    assert saved["decisions"][2]["CHN"] == {"grayzone_drive": pytest.approx(0.5)}

    # Restart: the same command resumes after three turns, with the same codes and history.
    with running_lynchpin(args) as (url, log_path), playwright_api.sync_playwright() as p:
        assert "resuming" in log_path.read_text()
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        block_outside_requests(context)
        page = context.new_page()
        page.goto(f"{url}facilitator?code={codes['facilitator']}")
        expect(page.locator(".turn")).to_contain_text("Year 2023 · turn 4 of 16")
        expect(page.locator(".events")).to_contain_text("2020Q1: team Japan decides")
        browser.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
