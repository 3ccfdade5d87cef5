"""Each experiment in docs/classroom.md, run as the lesson describes, shows the direction the
lesson tells students to expect (issue 12: the teaching material must say what the model does).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lynchpin.dashboard.levers import LEVERS_BY_NAME
from lynchpin.model import simulate
from lynchpin.model.binding import binds_somewhere
from lynchpin.scenario import load_scenario

LESSON = Path(__file__).resolve().parents[1] / "docs" / "classroom.md"
WORLDS = 300


def run(name: str, **sets):
    scenario = load_scenario(name).with_overrides(worlds=WORLDS, params=sets or None)
    return simulate(scenario.to_config(), worlds=WORLDS, seed=scenario.seed)


def path(results, actor: str, metric: str) -> np.ndarray:
    """Mean over worlds, per quarter."""
    return results.metric(actor, metric).mean(axis=1)


def at(results, actor: str, metric: str, quarter: str) -> float:
    return float(path(results, actor, metric)[results.periods.index(quarter)])


@pytest.fixture(scope="module")
def baseline():
    return run("baseline")


def test_the_lesson_still_names_these_levers():
    text = LESSON.read_text(encoding="utf-8")
    assert "--set JPN.defence_goal=0.02" in text
    for lever in ("host_nation_support", "japan_hns_offer", "japan_goal"):  # the dashboard's
        assert f"**{LEVERS_BY_NAME[lever].label}" in text, lever
    assert "ceiling, % GDP" not in text  # the lever that moved nothing is gone
    assert "cost_plus_50" in text and "Quad institutions" in text and "pandemic-distraction" in text


def test_experiment_1_cost_plus_50_and_the_2_percent_goal(baseline):
    cost_plus = run("baseline", **{"policies.host_nation_support": "cost_plus_50"})
    # fear of abandonment rises at once; cohesion drops by about a tenth while talks last
    assert at(cost_plus, "JPN", "abandonment_fear", "2020Q1") > (
        at(baseline, "JPN", "abandonment_fear", "2020Q1") + 0.1
    )
    drop = at(baseline, "system", "alliance_cohesion", "2020Q4") - at(
        cost_plus, "system", "alliance_cohesion", "2020Q4"
    )
    assert 0.05 < drop < 0.15
    # Japan spends a little more, held near its norm: nowhere near the 3% demand
    extra = at(cost_plus, "JPN", "defence_share_gdp", "2021Q4") - at(
        baseline, "JPN", "defence_share_gdp", "2021Q4"
    )
    assert 0.0003 < extra < 0.002
    # During the talks (three years): the typical world stays under 1.25% and in no world at
    # peace does the demand add half a point (following it towards 3% would add two). Worlds
    # under the priors differ, and a world at war adds war_budget_surge to every budget (D2),
    # talks or not, so those are compared world by world and without the wars.
    talks = slice(0, 12)
    share = cost_plus.metric("JPN", "defence_share_gdp")[talks]
    assert np.median(share, axis=1).max() < 0.0125
    wars = cost_plus.metric("system", "at_war") + baseline.metric("system", "at_war")
    peace = wars[talks].max(axis=0) == 0
    assert peace.mean() > 0.9
    by_world = share - baseline.metric("JPN", "defence_share_gdp")[talks]
    assert by_world[:, peace].max() < 0.005
    # talks settle in about two years in the median world (the priors spread the pace of
    # concessions, so the slowest worlds take longer), all within the talks' three years, about
    # 7% above the old payment, below the demand
    open_talks = cost_plus.metric("JPN", "hns_demand") - cost_plus.metric("JPN", "hns_payment")
    closed = open_talks < 1e-9
    assert closed[-1].all()
    settled = np.argmax(closed, axis=0)
    assert "2021Q2" <= cost_plus.periods[int(np.median(settled))] <= "2022Q2"
    assert settled.max() <= 12
    demand, payment = path(cost_plus, "JPN", "hns_demand"), path(cost_plus, "JPN", "hns_payment")
    assert 1.04 < payment[-1] / payment[0] < 1.10 and payment[-1] < demand[0]
    # cohesion then recovers
    assert (
        abs(
            at(cost_plus, "system", "alliance_cohesion", "2026Q4")
            - at(baseline, "system", "alliance_cohesion", "2026Q4")
        )
        < drop / 2
    )
    # with the goal Japan climbs over several years and cohesion ends higher
    goal = run(
        "baseline",
        **{"policies.host_nation_support": "cost_plus_50", "JPN.defence_goal": 0.02},
    )
    share = {q: at(goal, "JPN", "defence_share_gdp", q) for q in ("2020Q4", "2024Q4", "2030Q4")}
    assert share["2020Q4"] < share["2024Q4"] < share["2030Q4"]
    assert 0.014 < share["2024Q4"] < 0.018 and 0.017 < share["2030Q4"] < 0.02
    assert at(goal, "system", "alliance_cohesion", "2035Q4") > at(
        baseline, "system", "alliance_cohesion", "2035Q4"
    )
    # a goal at or below the ~1% norm changes nothing (the dashboard warns that it binds
    # nowhere), nor does the default legal limit of 3%, which no budget comes near
    at_norm = run("baseline", **{"JPN.defence_goal": 0.0075})
    assert np.array_equal(
        at_norm.metric("JPN", "defence_share_gdp"), baseline.metric("JPN", "defence_share_gdp")
    )
    assert binds_somewhere(at_norm, at_norm_config(0.0075), "JPN.defence_goal") is False


def test_experiment_1_japans_hns_offer_settles_higher_not_sooner():
    """Step 3: a more generous offer (hns_ally_surplus 0.4) settles the talks higher (about
    18% above the old payment rather than 7%), but no sooner and with the same strain."""
    demand = {"policies.host_nation_support": "cost_plus_50"}
    usual = run("baseline", **demand, hns_ally_surplus=0.15)
    generous = run("baseline", **demand, hns_ally_surplus=0.4)
    rise = {}
    for name, results in (("usual", usual), ("generous", generous)):
        payment = path(results, "JPN", "hns_payment")
        rise[name] = payment[-1] / payment[0] - 1.0
    assert 0.04 < rise["usual"] < 0.10 and 0.14 < rise["generous"] < 0.24
    for actor, metric in [("JPN", "abandonment_fear"), ("system", "alliance_cohesion")]:
        np.testing.assert_allclose(
            generous.metric(actor, metric)[:12], usual.metric(actor, metric)[:12], atol=1e-9
        )

    def settled(results) -> np.ndarray:
        gap = results.metric("JPN", "hns_demand") - results.metric("JPN", "hns_payment")
        return np.argmax(gap < 1e-9, axis=0)

    np.testing.assert_array_equal(settled(generous), settled(usual))


def at_norm_config(goal: float):
    return (
        load_scenario("baseline")
        .with_overrides(worlds=WORLDS, params={"JPN.defence_goal": goal})
        .to_config()
    )


def test_experiment_2_a_distracted_leader(baseline):
    distracted = run("pandemic-distraction")
    assert at(distracted, "USA", "attention", "2020Q2") < at(baseline, "USA", "attention", "2020Q2")
    intensity = path(distracted, "CHN", "gray_zone_intensity")
    peak = distracted.periods[int(np.argmax(intensity))]
    assert "2021Q1" <= peak <= "2022Q2"  # peaks around 2022Q1 ...
    assert intensity[distracted.periods.index("2024Q4")] < intensity.max() - 0.02  # ... eases
    assert at(distracted, "JPN", "abandonment_fear", "2021Q2") > at(
        baseline, "JPN", "abandonment_fear", "2021Q2"
    )


def test_experiment_3_institutionalising_the_quad(baseline):
    quad = run("baseline", quad_institutionalisation=0.9)
    india = path(quad, "IND", "alignment")
    assert india[-1] > path(baseline, "IND", "alignment")[-1] + 0.03  # rises ...
    assert india.max() < 0.6  # ... only so far: the autonomy cap
    assert india[8] < india[-1]  # ... slowly
    assert at(quad, "system", "quad_cohesion", "2035Q4") > at(
        baseline, "system", "quad_cohesion", "2035Q4"
    )
