"""Each experiment in docs/classroom.md, run as the lesson describes, shows the direction the
lesson tells students to expect (issue 12: the teaching material must say what the model does).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lynchpin.model import simulate
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
    assert cost_plus.metric("JPN", "defence_share_gdp")[:12].max() < 0.0125  # during the talks
    # talks settle in about two years, about 7% above the old payment, below the demand
    demand, payment = path(cost_plus, "JPN", "hns_demand"), path(cost_plus, "JPN", "hns_payment")
    settled = cost_plus.periods[int(np.argmax(demand - payment < 1e-9))]
    assert "2021Q2" <= settled <= "2022Q2"
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
    assert 0.015 < share["2024Q4"] < 0.019 and 0.0175 < share["2030Q4"] < 0.02
    assert at(goal, "system", "alliance_cohesion", "2035Q4") > at(
        baseline, "system", "alliance_cohesion", "2035Q4"
    )
    # raising the ceiling, the old step 3, does nothing
    ceiling = run("baseline", **{"JPN.defence_ceiling": 0.02})
    assert np.array_equal(
        ceiling.metric("JPN", "defence_share_gdp"), baseline.metric("JPN", "defence_share_gdp")
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
