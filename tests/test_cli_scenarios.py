"""The bundled scenarios do what their names promise, and each runs through `lynchpin run`.

Direction checks compare each scenario with the baseline at the same seed (common random
numbers), so a difference comes from the scenario, not from luck. They run with the scenario
default `uncertainty: priors` (each world draws its parameters; both runs share the draws), so
each direction must hold across parameter uncertainty, not only at the point values.
"""

from __future__ import annotations

import functools

import pytest
from conftest import ARTICLE_SCENARIOS, lynchpin

from lynchpin.model import Results, simulate
from lynchpin.plots import CHARTS
from lynchpin.scenario import list_scenarios, load_scenario

WORLDS, SEED = 300, 11
BUNDLED = [name for name, _, _ in list_scenarios()]


@functools.cache
def outcome(name: str) -> Results:
    scenario = load_scenario(name).with_overrides(worlds=WORLDS, seed=SEED)
    assert scenario.uncertainty == "priors"
    return simulate(scenario.to_config(), worlds=WORLDS, seed=SEED, scenario=name)


def mean(name: str, actor: str, metric: str, periods: tuple[str, ...] | None = None) -> float:
    """Mean over worlds and the given periods (all periods if None)."""
    results = outcome(name)
    rows = [i for i, p in enumerate(results.periods) if periods is None or p in periods]
    return float(results.metric(actor, metric)[rows].mean())


def final(name: str, actor: str, metric: str) -> float:
    return mean(name, actor, metric, (outcome(name).periods[-1],))


def test_pandemic_distraction_raises_gray_zone_intensity_in_2020_2021():
    years = tuple(f"{y}Q{q}" for y in (2020, 2021) for q in (1, 2, 3, 4))
    assert mean("pandemic-distraction", "CHN", "gray_zone_intensity", years) > mean(
        "baseline", "CHN", "gray_zone_intensity", years
    )


def test_america_first_lowers_alliance_cohesion():
    assert mean("america-first", "system", "alliance_cohesion") < mean(
        "baseline", "system", "alliance_cohesion"
    )


def test_fortified_alliance_raises_japan_defence_share_by_2028():
    by_2028 = ("2028Q4",)
    fortified = mean("fortified-alliance", "JPN", "defence_share_gdp", by_2028)
    assert fortified > mean("baseline", "JPN", "defence_share_gdp", by_2028) + 0.002


def test_fortified_alliance_lowers_armed_conflict():
    assert final("fortified-alliance", "system", "armed_conflict") < final(
        "baseline", "system", "armed_conflict"
    )


def test_quad_institutionalised_raises_quad_cohesion():
    assert mean("quad-institutionalised", "system", "quad_cohesion") > mean(
        "baseline", "system", "quad_cohesion"
    )


def test_us_retrenchment_lowers_order_stability():
    assert mean("us-retrenchment", "system", "order_stability") < mean(
        "baseline", "system", "order_stability"
    )


def test_china_slowdown_lowers_power_ratio():
    assert final("china-slowdown", "system", "power_ratio") < final(
        "baseline", "system", "power_ratio"
    )


def test_taiwan_strait_crisis_raises_crises_and_armed_conflict():
    assert mean("taiwan-strait-crisis", "system", "crises") > mean("baseline", "system", "crises")
    assert final("taiwan-strait-crisis", "system", "armed_conflict") > final(
        "baseline", "system", "armed_conflict"
    )


def test_cyber_article5_raises_crises():
    assert mean("cyber-article5", "system", "crises") > mean("baseline", "system", "crises")


def test_the_article_scenarios_are_bundled():
    assert set(ARTICLE_SCENARIOS) <= set(BUNDLED)


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_runs_and_writes_every_file(name, tmp_path):
    out = tmp_path / name
    done = lynchpin("run", name, "--worlds", "8", "--out", str(out), "--keep-worlds")
    assert done.returncode == 0, done.stderr
    for file in ("summary.csv", "manifest.json", "worlds.parquet"):
        assert (out / file).stat().st_size > 0, file
    assert len(list((out / "plots").glob("*.png"))) == len(CHARTS)
