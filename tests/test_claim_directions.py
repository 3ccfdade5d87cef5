"""Directional tests the mutation gate found missing (lynchpin/backtest/mutations.py).

Each moves one driver of a claim's mechanism, everything else equal (same seed: common random
numbers), and asserts the sign of the response on a model output. A treatment given through
a parameter (a shock or an override) is mutated with it, so switching the parameter off, or
reversing its sign, removes or reverses the treatment and the test fails: that is what the
gate checks. Names start with test_cNN_ so the gate counts them for claim CNN.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.model import Shock, simulate

WORLDS = 300
QUARTERS = 40
SEED = 20200119


def run(config, **changes):
    return simulate(vary(config, quarters=QUARTERS, **changes), worlds=WORLDS, seed=SEED)


def mean(results, actor: str, metric: str) -> float:
    return float(results.metric(actor, metric).mean())


def path(results, actor: str, metric: str) -> np.ndarray:
    """Mean over worlds, per quarter."""
    return results.metric(actor, metric).mean(axis=1)


def shock(target: str, quantity: str, size: float, config, mode: str = "additive", **kw):
    return Shock(target, quantity, config.start, config.start + QUARTERS, size, mode=mode, **kw)


# -- C1: output gaps recover, growth slows with drift, power counts GDP -----------------------
def test_c01_a_recession_lowers_output_and_fades(baseline) -> None:
    """A one-quarter output-gap shock lowers GDP in each of the next four quarters, by less
    each quarter (persistence between 0 and 1)."""
    base = run(baseline)
    hit = Shock("USA", "recession", baseline.start + 4, baseline.start + 4, -0.05, "additive")
    recession = run(baseline, shocks=(hit,))
    loss = 1.0 - path(recession, "USA", "gdp") / path(base, "USA", "gdp")
    after = loss[4:9]
    assert np.all(after > 0.002), after
    assert np.all(np.diff(after) < 0), after


def test_c01_growth_drift_slows_china_over_time(baseline) -> None:
    r = run(baseline)
    gdp = path(r, "CHN", "gdp")
    early = np.log(gdp[4] / gdp[0])
    late = np.log(gdp[-1] / gdp[-5])
    assert late < early - 0.002, (early, late)


def test_c01_power_weighs_capability_less_than_in_proportion(baseline) -> None:
    """P = GDP^w K^(1-w): raising China's starting capability by half (through its starting
    defence share, GDP unchanged) raises the power ratio by 1.5^(1-w), between 1 and 1.5."""
    china = baseline.actor("CHN")
    armed = dataclasses.replace(
        baseline,
        actors=tuple(
            dataclasses.replace(a, defence_share=a.defence_share * 1.5) if a is china else a
            for a in baseline.actors
        ),
    )
    first = lambda r: float(r.metric("system", "power_ratio")[0].mean())  # noqa: E731
    ratio = first(run(armed)) / first(run(baseline))
    assert 1.1 < ratio < 1.4, ratio


# -- C2: dissatisfaction toward parity drives coercion and crises -----------------------------
def test_c02_dissatisfaction_rises_toward_parity(baseline) -> None:
    """Faster Chinese growth closes the power gap, and dissatisfaction rises over the run."""
    base = run(baseline)
    rising = run(baseline, actors={"CHN": {"growth_trend": 0.12}})
    change = lambda r: path(r, "CHN", "dissatisfaction")[-1] - path(r, "CHN", "dissatisfaction")[0]  # noqa: E731
    assert change(rising) > change(base) + 0.02


def test_c02_dissatisfaction_raises_coercion(baseline) -> None:
    """Without crises (no path through fears), more dissatisfaction means more probing."""
    calm = {"crisis_base_hazard": 0.0, "crisis_grayzone_hazard": 0.0}
    base = run(baseline, params=calm)
    angry = run(
        baseline,
        params=calm,
        shocks=(shock("system", "dissatisfaction_base", 0.3, baseline),),
    )
    assert mean(angry, "CHN", "dissatisfaction") > mean(base, "CHN", "dissatisfaction") + 0.1
    assert mean(angry, "CHN", "gray_zone_intensity") > mean(base, "CHN", "gray_zone_intensity")


def test_c02_dissatisfaction_raises_crises_directly(baseline) -> None:
    """With the gray-zone channels shut, dissatisfaction still raises the crisis hazard."""
    direct = {"crisis_grayzone_hazard": 0.0, "grayzone_dissatisfaction_weight": 0.0}
    base = run(baseline, params=direct)
    angry = run(
        baseline,
        params=direct,
        shocks=(shock("system", "dissatisfaction_base", 0.3, baseline),),
    )
    assert mean(angry, "system", "crises") > mean(base, "system", "crises")


def test_c02_crisis_hazard_falls_away_from_parity_on_both_sides(baseline) -> None:
    """A wider parity band raises crises far from parity (it cannot if the width is wrong)."""
    base = run(baseline)
    wide = run(baseline, params={"crisis_parity_width": 1.0})
    assert mean(wide, "system", "crises") > mean(base, "system", "crises")


# -- C3: distraction persists and frightens allies --------------------------------------------
def test_c03_attention_recovers_gradually(baseline) -> None:
    """After a one-year distraction, attention is still below the undisturbed path one quarter
    later and back near it two years later (persistence between 0 and 1)."""
    base = run(baseline)
    end = baseline.start + 3
    distracted = run(baseline, shocks=(Shock("USA", "attention", baseline.start, end, -0.4),))
    gap = path(base, "USA", "attention") - path(distracted, "USA", "attention")
    assert gap[4] > 0.05, gap[:8]
    assert gap[4] < gap[3]
    assert abs(gap[12]) < 0.02


def test_c03_distraction_raises_abandonment_fear(baseline) -> None:
    base = run(baseline)
    distracted = run(baseline, shocks=(shock("USA", "attention", -0.4, baseline, "relative"),))
    assert mean(distracted, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear")


# -- C4: crises come from coercion and shocks; deterrence prevents escalation -----------------
def test_c04_crisis_hazard_rises_with_coercion_and_shocks(baseline) -> None:
    base = run(baseline)
    extra = run(baseline, shocks=(shock("system", "crisis_extra_hazard", 0.3, baseline),))
    assert mean(extra, "system", "crises") > mean(base, "system", "crises") * 1.2
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    assert mean(coercive, "system", "crises") > mean(base, "system", "crises")


def test_c04_deterrence_lowers_the_chance_of_armed_conflict(baseline) -> None:
    crisis = (shock("system", "crisis_extra_hazard", 0.5, baseline),)
    base = run(baseline, shocks=crisis)
    deterred = run(baseline, shocks=crisis, params={"escalation_deterrence_weight": 0.9})
    assert 0 < mean(deterred, "system", "armed_conflict") < mean(base, "system", "armed_conflict")


def test_c04_incidents_follow_intensity_in_each_domain(baseline) -> None:
    base = run(baseline)
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    for metric in ("incidents_maritime", "incidents_air"):
        assert mean(coercive, "system", metric) > mean(base, "system", metric) * 1.1, metric


def test_c04_intensity_adjusts_to_a_new_drive(baseline) -> None:
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    intensity = path(coercive, "CHN", "gray_zone_intensity")
    assert intensity[-1] > intensity[0] * 1.1


# -- C5: the alliance dilemma ---------------------------------------------------------------
@pytest.mark.parametrize("ally", ["JPN", "AUS"])
def test_c05_entrapment_lowers_alignment(baseline, ally) -> None:
    base = run(baseline)
    trapped = run(baseline, shocks=(shock("system", "entrapment_base", 0.3, baseline),))
    assert mean(trapped, ally, "entrapment_fear") > mean(base, ally, "entrapment_fear") + 0.1
    assert mean(trapped, ally, "alignment") < mean(base, ally, "alignment") - 0.01


def test_c05_coercion_under_commitment_raises_entrapment(baseline) -> None:
    """A firmer leader under the same gray-zone tension draws its allies in: entrapment rises
    (even though firmer commitment deters some crises). Since D1 a firmer leader also lowers
    the challenger's intensity (deterrence and the cost of a firm response), so that channel
    is frozen to isolate the partial effect of commitment on entrapment."""
    frozen = {
        "grayzone_deterrence_cost": 0.0,
        "red_line_deterrence_weight": 0.0,
        "red_line_response_cost": 0.0,
        "domain_air_deterrence_cost": 0.0,
    }
    base = run(baseline, params=frozen)
    firm = run(baseline, params=frozen, shocks=(shock("USA", "commitment", 0.15, baseline),))
    assert mean(firm, "JPN", "entrapment_fear") > mean(base, "JPN", "entrapment_fear")


def test_c05_crises_are_remembered_as_entrapment(baseline) -> None:
    """More crises raise entrapment fear through the crisis memory, and it lasts."""
    base = run(baseline)
    crisis = Shock(
        "system", "crisis_extra_hazard", baseline.start, baseline.start + 7, 1.0, "additive"
    )
    tense = run(baseline, shocks=(crisis,))
    gap = path(tense, "JPN", "entrapment_fear") - path(base, "JPN", "entrapment_fear")
    assert gap[8] > 0.005 and gap[12] > 0


def test_c05_abandonment_fear_lowers_cohesion(baseline) -> None:
    base = run(baseline)
    afraid = run(baseline, shocks=(shock("system", "abandonment_base", 0.3, baseline),))
    assert mean(afraid, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear") + 0.1
    assert mean(afraid, "system", "alliance_cohesion") < mean(base, "system", "alliance_cohesion")


def test_c05_friction_raises_abandonment_fear(baseline) -> None:
    base = run(baseline)
    strained = run(baseline, policies={"host_nation_support": "cost_plus_50"})
    assert mean(strained, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear")


def test_c05_commitment_binds_the_alliance(baseline) -> None:
    """A firmer leader raises cohesion over the run (fears held out of it) and keeps partners
    closer."""
    direct = {"abandonment_commitment_weight": 0.0, "cohesion_fear_weight": 0.0}
    base = run(baseline, params=direct)
    firm = run(baseline, params=direct, shocks=(shock("USA", "commitment", 0.15, baseline),))
    cohesion = path(firm, "system", "alliance_cohesion") - path(base, "system", "alliance_cohesion")
    assert cohesion[-1] > 0.01
    assert mean(firm, "IND", "alignment") > mean(base, "IND", "alignment")


def test_c05_cohesion_moves_toward_its_target(baseline) -> None:
    firm = run(baseline, shocks=(shock("system", "cohesion_base", 0.2, baseline),))
    cohesion = path(firm, "system", "alliance_cohesion")
    assert cohesion[-1] > cohesion[0] + 0.05
    assert np.all(np.diff(cohesion[:8]) > 0)


# -- C6: specific reciprocity strains the alliance ---------------------------------------------
@pytest.mark.parametrize(
    "shut", ["reciprocity_weight", "burden_gap_friction_weight"], ids=["friction", "reciprocity"]
)
def test_c06_specific_reciprocity_lowers_cohesion(baseline, shut) -> None:
    """Through either channel alone: the friction of the wider burden gap, or the leader's
    reciprocity (its commitment to the ally falls with the gap, D4)."""
    params = {shut: 0.0}
    base = run(baseline, params=params)
    specific = run(baseline, params=params, policies={"doctrine": "specific"})
    assert mean(specific, "system", "alliance_cohesion") < mean(base, "system", "alliance_cohesion")
    assert mean(specific, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear")


# -- C8: threat raises desired budgets -------------------------------------------------------
@pytest.mark.parametrize("actor", ["AUS", "IND"])
def test_c08_threat_raises_defence_share(baseline, actor) -> None:
    base = run(baseline)
    threatened = run(baseline, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),))
    assert mean(threatened, actor, "threat_perception") > mean(base, actor, "threat_perception")
    assert mean(threatened, actor, "defence_share_gdp") > mean(base, actor, "defence_share_gdp")


# -- C9: threat, proximity and the Quad ------------------------------------------------------
@pytest.mark.parametrize("partner", ["AUS", "IND"])
def test_c09_power_and_proximity_raise_threat(baseline, partner) -> None:
    no_intent = {"threat_intent_weight": 0.0}
    base_power = run(baseline, params=no_intent)
    stronger = run(baseline, params=no_intent, gdp={"CHN": 1.5})
    assert mean(stronger, partner, "threat_perception") > mean(
        base_power, partner, "threat_perception"
    )
    base = run(baseline)
    nearer = run(baseline, actors={partner: {"proximity": 1.0}})
    assert mean(nearer, partner, "threat_perception") > mean(base, partner, "threat_perception")
    assert mean(nearer, partner, "alignment") > mean(base, partner, "alignment")


@pytest.mark.parametrize("partner", ["AUS", "IND"])
def test_c09_observed_coercion_raises_threat(baseline, partner) -> None:
    """Threat remembers the challenger's coercion (intent): more probing, more threat."""
    base = run(baseline)
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),))
    assert (
        mean(coercive, partner, "threat_perception")
        > mean(base, partner, "threat_perception") + 0.01
    )


def test_c09_institutions_raise_quad_cohesion_directly(baseline) -> None:
    """With members' alignment held out of it, institutions still bind the Quad."""
    direct = {"quad_alignment_weight": 0.0}
    base = run(baseline, params=direct)
    quad = run(
        baseline,
        params=direct,
        shocks=(shock("system", "quad_institutionalisation", 0.9, baseline, "absolute"),),
    )
    assert mean(quad, "system", "quad_cohesion") > mean(base, "system", "quad_cohesion")


def test_c09_quad_institutions_bind_members(baseline) -> None:
    base = run(baseline)
    quad = run(
        baseline, shocks=(shock("system", "quad_institutionalisation", 0.9, baseline, "absolute"),)
    )
    assert mean(quad, "system", "quad_cohesion") > mean(base, "system", "quad_cohesion")
    assert mean(quad, "IND", "alignment") > mean(base, "IND", "alignment")


def test_c09_alignment_starts_from_its_initial_value(baseline) -> None:
    low = run(baseline, actors={"IND": {"alignment_initial": 0.1}})
    high = run(baseline, actors={"IND": {"alignment_initial": 0.6}})
    assert path(high, "IND", "alignment")[0] > path(low, "IND", "alignment")[0] + 0.2


def test_c09_threat_binds_the_alliance(baseline) -> None:
    """Threat raises cohesion directly (friction, which threat also lowers, held constant)."""
    direct = {"burden_gap_friction_weight": 0.0}
    base = run(baseline, params=direct)
    threatened = run(
        baseline, params=direct, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),)
    )
    assert mean(threatened, "system", "alliance_cohesion") > mean(
        base, "system", "alliance_cohesion"
    )


# -- C11: counter-A2/AD raises credibility ----------------------------------------------------
def test_c11_counter_a2ad_raises_deterrence(baseline) -> None:
    base = run(baseline)
    invested = run(baseline, shocks=(shock("system", "counter_a2ad_share", 0.2, baseline),))
    assert mean(invested, "system", "deterrence") > mean(base, "system", "deterrence") + 0.01
    assert mean(invested, "CHN", "gray_zone_intensity") < mean(base, "CHN", "gray_zone_intensity")


# -- C12: cyber attacks under Article 5 ------------------------------------------------------
def test_c12_article5_raises_deterrence_directly(baseline) -> None:
    """With the cohesion channel shut, the switch still raises deterrence (its own gain)."""
    cyber = {"article5_cohesion_gain": 0.0}
    base = run(baseline, params=cyber)
    covered = run(baseline, params=cyber, policies={"cyber_article5": True})
    assert mean(covered, "system", "deterrence") > mean(base, "system", "deterrence")


# -- C14: the Belt and Road's leverage grows with China's economy ------------------------------
def test_c14_bri_leverage_pulls_partners_away_as_china_grows(baseline) -> None:
    base = run(baseline)
    leverage = run(baseline, params={"bri_leverage": 1.0})
    assert mean(leverage, "IND", "alignment") < mean(base, "IND", "alignment")


# -- C15: the order rests on cohesion and erodes under coercion --------------------------------
def test_c15_order_depends_on_cohesion_with_the_right_sign(baseline) -> None:
    """Cohesion raises order directly (the path through deterrence and coercion held out)."""
    direct = {"order_coercion_weight": 0.0}
    base = run(baseline, params=direct)
    cohesive = run(
        baseline, params=direct, shocks=(shock("system", "cohesion_base", 0.2, baseline),)
    )
    assert mean(cohesive, "system", "alliance_cohesion") > mean(base, "system", "alliance_cohesion")
    order = path(cohesive, "system", "order_stability") - path(base, "system", "order_stability")
    assert order[-1] > 0.01
    assert order[-1] > order[2]  # it builds up as cohesion does


def test_c15_coercion_and_retrenchment_erode_the_order(baseline) -> None:
    base = run(baseline)
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),))
    assert mean(coercive, "system", "order_stability") < mean(base, "system", "order_stability")
    direct = {"order_coercion_weight": 0.0, "order_cohesion_weight": 0.0, "order_quad_weight": 0.0}
    steady = run(baseline, params=direct)
    retrenched = run(baseline, params=direct, shocks=(shock("USA", "commitment", -0.3, baseline),))
    assert (
        mean(retrenched, "system", "order_stability")
        < mean(steady, "system", "order_stability") - 0.01
    )


def test_c15_the_quad_supports_the_order(baseline) -> None:
    """The Quad raises order directly (the path through deterrence and coercion held out)."""
    direct = {"order_coercion_weight": 0.0}
    base = run(baseline, params=direct)
    quad = run(
        baseline,
        params=direct,
        shocks=(shock("system", "quad_institutionalisation", 0.9, baseline, "absolute"),),
    )
    assert mean(quad, "system", "order_stability") > mean(base, "system", "order_stability")


def test_c15_order_starts_from_its_base(baseline) -> None:
    up = run(baseline, shocks=(shock("system", "order_base", 0.1, baseline),))
    base = run(baseline)
    assert mean(up, "system", "order_stability") > mean(base, "system", "order_stability") + 0.02
