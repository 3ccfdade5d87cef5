"""Directional tests the mutation gate found missing (lynchpin/backtest/mutations.py).

Each moves one driver of a claim's mechanism, everything else equal (same seed: common random
numbers), and asserts the sign of the response on a model output. A treatment given through
a parameter (a shock or an override) is mutated with it, so switching the parameter off, or
reversing its sign, removes or reverses the treatment and the test fails: that is what the
gate checks. Each is marked @pytest.mark.claim("CNN") (and named test_cNN_), so the gate
counts it for claim CNN.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.agents.challenger import red_line_public
from lynchpin.model import LynchpinModel, Shock, simulate
from lynchpin.model.config import ENGAGED, Administrations, Election

WORLDS = 300
QUARTERS = 40
SEED = 20200119


def run(config, **changes):
    return simulate(vary(config, quarters=QUARTERS, **changes), worlds=WORLDS, seed=SEED)


def mean(results, actor: str, metric: str) -> float:
    return float(results.metric(actor, metric).mean())


def final(results, actor: str, metric: str) -> float:
    return float(results.metric(actor, metric)[-1].mean())


def path(results, actor: str, metric: str) -> np.ndarray:
    """Mean over worlds, per quarter."""
    return results.metric(actor, metric).mean(axis=1)


def shock(target: str, quantity: str, size: float, config, mode: str = "additive", **kw):
    return Shock(target, quantity, config.start, config.start + QUARTERS, size, mode=mode, **kw)


# -- C1: output gaps recover, growth slows with drift, power counts GDP -----------------------
@pytest.mark.claim("C1")
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


@pytest.mark.claim("C1")
def test_c01_growth_drift_slows_china_over_time(baseline) -> None:
    r = run(baseline)
    gdp = path(r, "CHN", "gdp")
    early = np.log(gdp[4] / gdp[0])
    late = np.log(gdp[-1] / gdp[-5])
    assert late < early - 0.002, (early, late)


@pytest.mark.claim("C1")
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
@pytest.mark.claim("C2")
def test_c02_dissatisfaction_rises_toward_parity(baseline) -> None:
    """Faster Chinese growth closes the power gap, and dissatisfaction rises over the run."""
    base = run(baseline)
    rising = run(baseline, actors={"CHN": {"growth_trend": 0.12}})
    change = lambda r: path(r, "CHN", "dissatisfaction")[-1] - path(r, "CHN", "dissatisfaction")[0]  # noqa: E731
    assert change(rising) > change(base) + 0.02


@pytest.mark.claim("C2")
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


@pytest.mark.claim("C2")
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


@pytest.mark.claim("C2")
def test_c02_crisis_hazard_falls_away_from_parity_on_both_sides(baseline) -> None:
    """A wider parity band raises crises far from parity (it cannot if the width is wrong)."""
    base = run(baseline)
    wide = run(baseline, params={"crisis_parity_width": 1.0})
    assert mean(wide, "system", "crises") > mean(base, "system", "crises")


# -- C3: distraction persists and frightens allies --------------------------------------------
@pytest.mark.claim("C3")
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


@pytest.mark.claim("C3")
def test_c03_distraction_raises_abandonment_fear(baseline) -> None:
    """Directly: the other sources of fear (commitment, friction, the crises distraction
    invites and what allies learn from them) held out."""
    alone = {
        "abandonment_commitment_weight": 0.0,
        "abandonment_friction_weight": 0.0,
        "abandonment_belief_weight": 0.0,
    }
    base = run(baseline, params=alone)
    distracted = run(
        baseline, params=alone, shocks=(shock("USA", "attention", -0.4, baseline, "relative"),)
    )
    assert (
        mean(distracted, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear") + 0.005
    )


# -- C4: crises come from coercion and shocks; deterrence prevents escalation -----------------
@pytest.mark.claim("C4")
def test_c04_crisis_hazard_rises_with_coercion_and_shocks(baseline) -> None:
    base = run(baseline)
    extra = run(baseline, shocks=(shock("system", "crisis_extra_hazard", 0.3, baseline),))
    assert mean(extra, "system", "crises") > mean(base, "system", "crises") * 1.2
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    assert mean(coercive, "system", "crises") > mean(base, "system", "crises")


@pytest.mark.claim("C4")
def test_c04_deterrence_lowers_the_chance_of_armed_conflict(baseline) -> None:
    crisis = (shock("system", "crisis_extra_hazard", 0.5, baseline),)
    base = run(baseline, shocks=crisis)
    deterred = run(baseline, shocks=crisis, params={"escalation_deterrence_weight": 0.9})
    assert 0 < mean(deterred, "system", "armed_conflict") < mean(base, "system", "armed_conflict")


@pytest.mark.claim("C4")
def test_c04_incidents_follow_intensity_in_each_domain(baseline) -> None:
    base = run(baseline)
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    for metric in ("incidents_maritime", "incidents_air"):
        assert mean(coercive, "system", metric) > mean(base, "system", metric) * 1.1, metric


@pytest.mark.claim("C4")
def test_c04_intensity_adjusts_to_a_new_drive(baseline) -> None:
    coercive = run(baseline, shocks=(shock("CHN", "gray_zone", 0.5, baseline, "relative"),))
    intensity = path(coercive, "CHN", "gray_zone_intensity")
    assert intensity[-1] > intensity[0] * 1.1


@pytest.mark.claim("C4")
def test_c04_a_costlier_coercion_is_less_intense(baseline) -> None:
    base = run(baseline)
    dear = run(baseline, params={"grayzone_cost_base": 2 * baseline.params["grayzone_cost_base"]})
    gap = mean(base, "CHN", "gray_zone_intensity") - mean(dear, "CHN", "gray_zone_intensity")
    assert gap > 0.05


@pytest.mark.claim("C4")
def test_c04_deterrence_lowers_the_red_line_and_the_choice_follows(baseline) -> None:
    """D1 partial derivative at the 2022 state: more deterrence lowers the public red line and
    the challenger probes less. Deterrence's cost channel is held at its value in this state
    (folded into the base cost, per world), so only the red line moves."""
    model = LynchpinModel(vary(baseline), worlds=200, seed=SEED)
    for _ in range(8):
        model.step()
    challenger, snap, g = model.challenger, model.snapshot, model.p
    g.grayzone_cost_base = g.grayzone_cost_base + g.grayzone_deterrence_cost * snap.deterrence
    g.grayzone_deterrence_cost = 0.0
    stronger = snap.deterrence + 0.1
    assert np.all(red_line_public(g, stronger) < red_line_public(g, snap.deterrence))
    state = (challenger.dissatisfaction, challenger.gray_zone_intensity)
    weak = challenger.choose_intensity(snap.attention, snap.deterrence, *state)
    strong = challenger.choose_intensity(snap.attention, stronger, *state)
    assert np.mean(strong < weak - 1e-9) > 0.9
    assert strong.mean() < weak.mean() - 0.01


@pytest.mark.claim("C4")
def test_c04_a_fuzzier_response_brings_more_miscalculated_probes(baseline) -> None:
    """Twice the noise in the coalition's response near its red line, more probes cross it."""
    base = run(baseline)
    noise = 2 * baseline.params["red_line_signal_noise"]
    fuzzy = run(baseline, params={"red_line_signal_noise": noise})
    crossed = mean(base, "system", "red_line_crossed")
    assert mean(fuzzy, "system", "red_line_crossed") > 1.5 * crossed


@pytest.mark.claim("C4")
def test_c04_answered_probes_and_coercion_each_bring_crises(baseline) -> None:
    """Crises come from answered probes (red_line_crisis_probability) and, with those held
    out, from the hazard gray-zone coercion adds (crisis_grayzone_hazard)."""
    base = run(baseline)
    p = 2 * baseline.params["red_line_crisis_probability"]
    touchy = run(baseline, params={"red_line_crisis_probability": p})
    assert mean(touchy, "system", "crises") > 1.08 * mean(base, "system", "crises")
    calm = {"red_line_crisis_probability": 0.0}
    quiet = run(baseline, params=calm)
    probing = shock("CHN", "gray_zone", 0.5, baseline, "relative")
    coercive = run(baseline, params=calm, shocks=(probing,))
    assert mean(coercive, "system", "crises") > 1.06 * mean(quiet, "system", "crises")


@pytest.mark.claim("C4")
def test_c04_scripted_crises_take_their_type(baseline) -> None:
    """A scripted crisis hazard (crisis_extra_hazard) brings crises of the type it names
    (crisis_extra_type, 1 = Taiwan Strait): nearly all the extra crises are of that type."""
    base = run(baseline)
    hot = run(baseline, shocks=(shock("system", "crisis_extra_hazard", 1.0, baseline),))

    def extra(name):
        return mean(hot, "system", name) - mean(base, "system", name)

    assert extra("crises_taiwan_strait") > 0.8 * extra("crises")


# -- C5: the alliance dilemma ---------------------------------------------------------------
@pytest.mark.parametrize("ally", ["JPN", "AUS"])
@pytest.mark.claim("C5")
def test_c05_entrapment_lowers_alignment(baseline, ally) -> None:
    base = run(baseline)
    trapped = run(baseline, shocks=(shock("system", "entrapment_base", 0.3, baseline),))
    assert mean(trapped, ally, "entrapment_fear") > mean(base, ally, "entrapment_fear") + 0.1
    assert mean(trapped, ally, "alignment") < mean(base, ally, "alignment") - 0.01


@pytest.mark.claim("C5")
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
        "entrapment_crisis_weight": 0.0,  # the crises it deters or provokes held out too
    }
    base = run(baseline, params=frozen)
    firm = run(baseline, params=frozen, shocks=(shock("USA", "commitment", 0.15, baseline),))
    assert mean(firm, "JPN", "entrapment_fear") > mean(base, "JPN", "entrapment_fear") + 0.002


@pytest.mark.claim("C5")
def test_c05_crises_are_remembered_as_entrapment(baseline) -> None:
    """More crises raise entrapment fear through the crisis memory, and it lasts."""
    base = run(baseline)
    crisis = Shock(
        "system", "crisis_extra_hazard", baseline.start, baseline.start + 7, 1.0, "additive"
    )
    tense = run(baseline, shocks=(crisis,))
    gap = path(tense, "JPN", "entrapment_fear") - path(base, "JPN", "entrapment_fear")
    assert gap[8] > 0.005 and gap[12] > 0


@pytest.mark.claim("C5")
def test_c05_abandonment_fear_lowers_cohesion(baseline) -> None:
    base = run(baseline)
    afraid = run(baseline, shocks=(shock("system", "abandonment_base", 0.3, baseline),))
    assert mean(afraid, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear") + 0.1
    assert mean(afraid, "system", "alliance_cohesion") < mean(base, "system", "alliance_cohesion")


@pytest.mark.claim("C5")
def test_c05_friction_raises_abandonment_fear(baseline) -> None:
    """The friction of open host-nation-support talks raises fear (the leader's commitment to
    Japan, which the talks also move, held still)."""
    still = {"hns_commitment_weight": 0.0, "reciprocity_weight": 0.0}
    base = run(baseline, params=still)
    strained = run(baseline, params=still, policies={"host_nation_support": "cost_plus_50"})
    assert mean(strained, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear") + 0.005


@pytest.mark.claim("C5")
def test_c05_commitment_binds_the_alliance(baseline) -> None:
    """A firmer leader raises cohesion over the run (fears held out of it) and keeps partners
    closer."""
    direct = {"abandonment_commitment_weight": 0.0, "cohesion_fear_weight": 0.0}
    base = run(baseline, params=direct)
    firm = run(baseline, params=direct, shocks=(shock("USA", "commitment", 0.15, baseline),))
    cohesion = path(firm, "system", "alliance_cohesion") - path(base, "system", "alliance_cohesion")
    assert cohesion[-1] > 0.01
    assert mean(firm, "IND", "alignment") > mean(base, "IND", "alignment")


@pytest.mark.claim("C5")
def test_c05_cohesion_moves_toward_its_target(baseline) -> None:
    firm = run(baseline, shocks=(shock("system", "cohesion_base", 0.2, baseline),))
    cohesion = path(firm, "system", "alliance_cohesion")
    assert cohesion[-1] > cohesion[0] + 0.05
    assert np.all(np.diff(cohesion[:8]) > 0)


@pytest.mark.claim("C5")
def test_c05_the_lasting_threat_of_a_crisis_fades(baseline) -> None:
    """A run of Taiwan Strait crises in 2022 leaves Japan a threat that fades afterwards
    (crisis_threat_decay): smaller in 2029 than in 2023, but not gone."""
    window = Shock(
        "system", "crisis_hazard", baseline.start + 8, baseline.start + 11, 4.0, "additive"
    )
    base = run(baseline)
    marked = run(baseline, shocks=(window,))
    gap = path(marked, "JPN", "threat_perception") - path(base, "JPN", "threat_perception")
    assert gap[12] > 0.02
    assert 0.0 < gap[-1] < 0.8 * gap[12]


# -- C6: specific reciprocity strains the alliance ---------------------------------------------
@pytest.mark.parametrize(
    "shut", ["reciprocity_weight", "burden_gap_friction_weight"], ids=["friction", "reciprocity"]
)
@pytest.mark.claim("C6")
def test_c06_specific_reciprocity_lowers_cohesion(baseline, shut) -> None:
    """Through either channel alone: the friction of the wider burden gap, or the leader's
    reciprocity (its commitment to the ally falls with the gap, D4)."""
    params = {shut: 0.0}
    base = run(baseline, params=params)
    specific = run(baseline, params=params, policies={"doctrine": "specific"})
    assert mean(specific, "system", "alliance_cohesion") < mean(base, "system", "alliance_cohesion")
    assert mean(specific, "JPN", "abandonment_fear") > mean(base, "JPN", "abandonment_fear")


@pytest.mark.claim("C6")
def test_c06_a_wider_gap_strains_through_friction(baseline) -> None:
    """Specific reciprocity widens the gap; with the leader's reciprocity, its reward and
    abandonment fear held out, the friction of the gap alone lowers cohesion."""
    alone = {
        "reciprocity_weight": 0.0,
        "burden_reward_weight": 0.0,
        "abandonment_friction_weight": 0.0,
    }
    base = run(baseline, params=alone)
    specific = run(baseline, params=alone, policies={"doctrine": "specific"})
    drop = mean(base, "system", "alliance_cohesion") - mean(specific, "system", "alliance_cohesion")
    assert drop > 0.005


@pytest.mark.claim("C7")
def test_c07_open_talks_carry_a_threat_of_withdrawal(baseline) -> None:
    """D5: while cost-plus-50 talks are open the leader's commitment to Japan is lower
    (hns_commitment_weight), with reciprocity held out."""
    still = {"reciprocity_weight": 0.0}
    commitment = {}
    for policy in ("standard", "cost_plus_50"):
        config = vary(baseline, params=still, policies={"host_nation_support": policy})
        model = LynchpinModel(config, worlds=20, seed=SEED)
        for _ in range(2):
            model.step()
        commitment[policy] = model.leader.commitment_to["JPN"]
    assert np.all(commitment["cost_plus_50"] < commitment["standard"] - 0.02)


# -- C8: threat raises desired budgets -------------------------------------------------------
@pytest.mark.parametrize("actor", ["AUS", "IND"])
@pytest.mark.claim("C8")
def test_c08_threat_raises_defence_share(baseline, actor) -> None:
    base = run(baseline)
    threatened = run(baseline, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),))
    assert mean(threatened, actor, "threat_perception") > mean(base, actor, "threat_perception")
    assert mean(threatened, actor, "defence_share_gdp") > mean(base, actor, "defence_share_gdp")


# No war (D2: its budget surge lifts every share) and crises leave no lasting threat or norm
# shift, so a threat shock reaches budgets only through the channel a test names.
NO_WAR_NOR_CRISIS_MARK = {
    "escalation_base": 0.0,
    "crisis_threat_step": 0.0,
    "norm_crisis_weight": 0.0,
}
THREAT = ("CHN", "gray_zone", 1.0)


def threat_response(baseline, actor: str, metric: str, **params) -> float:
    """Mean change of actor's metric when China probes twice as hard, under params."""
    frozen = NO_WAR_NOR_CRISIS_MARK | params
    base = run(baseline, params=frozen)
    threatened = run(baseline, params=frozen, shocks=(shock(*THREAT, baseline, "relative"),))
    return mean(threatened, actor, metric) - mean(base, actor, metric)


@pytest.mark.claim("C8")
def test_c08_a_partner_answers_threat_by_its_threat_response(baseline) -> None:
    """Richardson-style: India's desired share follows its threat (threat_response)."""
    assert threat_response(baseline, "IND", "defence_share_gdp") > 0.0002


@pytest.mark.claim("C8")
def test_c08_threat_raises_an_allys_security_value(baseline) -> None:
    """D4: with the norm held still, threat raises the worth of security, so Australia's best
    response rises (the pull of partners' extra alignment, free riding, goes the other way)."""
    rise = threat_response(baseline, "AUS", "defence_share_gdp", norm_threat_weight=0.0)
    assert rise > 0.0002


@pytest.mark.claim("C8")
def test_c08_threat_loosens_japans_norm(baseline) -> None:
    """D4: with the security value held still, threat loosens Japan's spending norm and Japan
    spends more."""
    still = {"security_threat_weight": 0.0}
    assert threat_response(baseline, "JPN", "spending_norm", **still) > 0.0005
    assert threat_response(baseline, "JPN", "defence_share_gdp", **still) > 0.0001


@pytest.mark.claim("C8")
def test_c08_the_political_cost_damps_the_response_to_threat(baseline) -> None:
    """A steeper political cost (twice the curvature), a smaller rise of Australia's budget
    under the same threat."""
    steep = baseline.params["political_cost_curvature"] * 2
    assert (
        threat_response(baseline, "AUS", "defence_share_gdp")
        > threat_response(baseline, "AUS", "defence_share_gdp", political_cost_curvature=steep)
        + 0.0002
    )


@pytest.mark.claim("C8")
def test_c08_a_higher_desired_share_means_more_spending(baseline) -> None:
    base = run(baseline)
    keen = run(baseline, actors={"IND": {"defence_share_desired": 0.03}})
    assert final(keen, "IND", "defence_share_gdp") > final(base, "IND", "defence_share_gdp") + 0.002


# -- C9: threat, proximity and the Quad ------------------------------------------------------
@pytest.mark.parametrize("partner", ["AUS", "IND"])
@pytest.mark.claim("C9")
def test_c09_power_and_proximity_raise_threat(baseline, partner) -> None:
    no_intent = {"threat_intent_weight": 0.0, "crisis_threat_step": 0.0}  # power alone
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
@pytest.mark.claim("C9")
def test_c09_observed_coercion_raises_threat(baseline, partner) -> None:
    """Threat remembers the challenger's coercion (intent): more probing, more threat (the
    lasting threat of the crises it brings held out)."""
    alone = {"crisis_threat_step": 0.0}
    base = run(baseline, params=alone)
    coercive = run(
        baseline, params=alone, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),)
    )
    assert (
        mean(coercive, partner, "threat_perception")
        > mean(base, partner, "threat_perception") + 0.01
    )


@pytest.mark.claim("C9")
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


@pytest.mark.claim("C9")
def test_c09_quad_institutions_bind_members(baseline) -> None:
    base = run(baseline)
    quad = run(
        baseline, shocks=(shock("system", "quad_institutionalisation", 0.9, baseline, "absolute"),)
    )
    assert mean(quad, "system", "quad_cohesion") > mean(base, "system", "quad_cohesion")
    assert mean(quad, "IND", "alignment") > mean(base, "IND", "alignment")


@pytest.mark.claim("C9")
def test_c09_alignment_starts_from_its_initial_value(baseline) -> None:
    low = run(baseline, actors={"IND": {"alignment_initial": 0.1}})
    high = run(baseline, actors={"IND": {"alignment_initial": 0.6}})
    assert path(high, "IND", "alignment")[0] > path(low, "IND", "alignment")[0] + 0.2


@pytest.mark.claim("C9")
def test_c09_affinity_pulls_toward_the_leader(baseline) -> None:
    """D6: the alternative-specific constant of standing firm (values, history) raises
    alignment."""
    base = run(baseline)
    closer = run(baseline, actors={"AUS": {"alignment_affinity": 0.8}})
    assert final(closer, "AUS", "alignment") > final(base, "AUS", "alignment") + 0.02


@pytest.mark.claim("C9")
def test_c09_threat_binds_the_alliance(baseline) -> None:
    """Threat raises cohesion directly (friction, which threat also lowers, and commitment and
    fear, which the crises it brings move, held out of cohesion)."""
    direct = {
        "burden_gap_friction_weight": 0.0,
        "cohesion_commitment_weight": 0.0,
        "cohesion_fear_weight": 0.0,
    }
    base = run(baseline, params=direct)
    threatened = run(
        baseline, params=direct, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),)
    )
    assert mean(threatened, "system", "alliance_cohesion") > mean(
        base, "system", "alliance_cohesion"
    )


# -- C11: counter-A2/AD raises credibility ----------------------------------------------------
@pytest.mark.claim("C11")
def test_c11_counter_a2ad_raises_deterrence(baseline) -> None:
    base = run(baseline)
    invested = run(baseline, shocks=(shock("system", "counter_a2ad_share", 0.2, baseline),))
    assert mean(invested, "system", "deterrence") > mean(base, "system", "deterrence") + 0.01
    assert mean(invested, "CHN", "gray_zone_intensity") < mean(base, "CHN", "gray_zone_intensity")


@pytest.mark.claim("C11")
def test_c11_counter_a2ad_is_paid_for_out_of_general_capability(baseline) -> None:
    """The coalition's general-purpose power falls with the share it spends on counter-A2/AD,
    so the challenger's power ratio is higher at once (a2ad_capability_cost)."""

    def ratio(share: float) -> float:
        results = run(baseline, params={"counter_a2ad_share": share})
        return float(results.metric("system", "power_ratio")[0].mean())

    assert ratio(0.3) > 1.01 * ratio(0.0)


# -- C12: cyber attacks under Article 5 ------------------------------------------------------
@pytest.mark.claim("C12")
def test_c12_article5_raises_deterrence_directly(baseline) -> None:
    """With the cohesion channel shut, the switch still raises deterrence (its own gain)."""
    cyber = {"article5_cohesion_gain": 0.0}
    base = run(baseline, params=cyber)
    covered = run(baseline, params=cyber, policies={"cyber_article5": True})
    assert mean(covered, "system", "deterrence") > mean(base, "system", "deterrence")


# -- C14: the Belt and Road's leverage grows with China's economy ------------------------------
@pytest.mark.claim("C14")
def test_c14_bri_leverage_pulls_partners_away_as_china_grows(baseline) -> None:
    base = run(baseline)
    leverage = run(baseline, params={"bri_leverage": 1.0})
    assert mean(leverage, "IND", "alignment") < mean(base, "IND", "alignment")


@pytest.mark.claim("C14")
def test_c14_war_collapses_trade_with_the_challenger(baseline) -> None:
    """D2/D8: in worlds at war, trade with the challenger collapses and partners' dependence
    no longer holds them back, so they align more (the direct war shift held out)."""
    hot = {"escalation_base": 0.3, "war_alignment_shift": 0.0}
    on = run(baseline, params=hot)
    off = run(baseline, params=hot | {"war_trade_collapse": 0.0})
    war = on.metric("system", "at_war")[-1] > 0
    assert war.mean() > 0.1
    for partner in ("AUS", "IND"):
        gap = on.metric(partner, "alignment")[-1] - off.metric(partner, "alignment")[-1]
        assert gap[war].mean() > 0.01, partner


# -- C15: the order rests on cohesion and erodes under coercion --------------------------------
@pytest.mark.claim("C15")
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


@pytest.mark.claim("C15")
def test_c15_coercion_and_retrenchment_erode_the_order(baseline) -> None:
    """Each channel alone: uncontested coercion with cohesion and the Quad held out of the
    order (coercion also moves them), retrenchment with all three held out."""
    alone = {
        "order_cohesion_weight": 0.0,
        "order_quad_weight": 0.0,
        "order_retrenchment_weight": 0.0,
        "war_order_drop": 0.0,
    }
    base = run(baseline, params=alone)
    coercive = run(
        baseline, params=alone, shocks=(shock("CHN", "gray_zone", 1.0, baseline, "relative"),)
    )
    assert (
        mean(coercive, "system", "order_stability")
        < mean(base, "system", "order_stability") - 0.005
    )
    direct = {"order_coercion_weight": 0.0, "order_cohesion_weight": 0.0, "order_quad_weight": 0.0}
    steady = run(baseline, params=direct)
    retrenched = run(baseline, params=direct, shocks=(shock("USA", "commitment", -0.3, baseline),))
    assert (
        mean(retrenched, "system", "order_stability")
        < mean(steady, "system", "order_stability") - 0.01
    )


@pytest.mark.claim("C15")
def test_c15_the_quad_supports_the_order(baseline) -> None:
    """The Quad raises order directly (the paths through cohesion, deterrence and coercion
    held out, and war and retrenchment)."""
    direct = {
        "order_coercion_weight": 0.0,
        "order_cohesion_weight": 0.0,
        "order_retrenchment_weight": 0.0,
        "war_order_drop": 0.0,
    }
    base = run(baseline, params=direct)
    quad = run(
        baseline,
        params=direct,
        shocks=(shock("system", "quad_institutionalisation", 0.9, baseline, "absolute"),),
    )
    assert mean(quad, "system", "order_stability") > mean(base, "system", "order_stability")


@pytest.mark.claim("C15")
def test_c15_order_starts_from_its_base(baseline) -> None:
    up = run(baseline, shocks=(shock("system", "order_base", 0.1, baseline),))
    base = run(baseline)
    assert mean(up, "system", "order_stability") > mean(base, "system", "order_stability") + 0.02


# -- C3/D7: a transactional administration -----------------------------------------------------
def _regime(config, transactional: bool, **changes):
    """Engaged in 2020; after the 2020Q4 election transactional in every world, or engaged in
    every world: the same worlds, only the administration differs."""
    chance = 1.0 if transactional else 0.0
    election = Election(config.start + 3, chance, chance)
    varied = vary(config, quarters=16, **changes)
    return dataclasses.replace(varied, administrations=Administrations(ENGAGED, (election,)))


def _regime_models(config, **changes) -> tuple[LynchpinModel, LynchpinModel]:
    models = []
    for transactional in (False, True):
        model = LynchpinModel(_regime(config, transactional, **changes), worlds=50, seed=SEED)
        model.run()
        models.append(model)
    return models[0], models[1]


@pytest.mark.claim("C3", "C7", "C14")
def test_c03_a_transactional_administration_pays_less_attention_and_asks_more(baseline) -> None:
    """D7: each shift the regime sets, with the right sign, once the transactional one is in
    office: less attention and commitment, a higher burden demand and host-nation-support
    stance, less trade engagement (a smaller TPP offset of partners' dependence)."""
    engaged, transactional = _regime_models(baseline, policies={"us_in_tpp": True})
    e, t = engaged.leader, transactional.leader
    assert np.all(t.p.attention_base < e.p.attention_base - 0.05)
    assert np.all(t.p.commitment_base < e.p.commitment_base - 0.05)
    assert np.all(t.attention < e.attention - 0.02)
    assert np.all(t.p.burden_demand > e.p.burden_demand + 0.005)
    assert np.all(t.hns_stance > e.hns_stance + 0.2)
    assert np.all(transactional.p.tpp_dependence_offset < engaged.p.tpp_dependence_offset - 0.01)


@pytest.mark.claim("C6")
def test_c06_a_transactional_administration_rewards_contributions_more(baseline) -> None:
    """D4/D7: with the regime's other shifts frozen, a transactional leader's steeper reward
    for closing the gap raises Japan's best-response share, and its commitment falls faster
    with Japan's gap."""
    frozen = {
        name: 0.0
        for name in (
            "transactional_attention_shift",
            "transactional_commitment_shift",
            "transactional_burden_demand_shift",
            "transactional_hns_demand",
            "transactional_trade_disengagement",
            "resolve_transactional_penalty",
        )
    }
    engaged, transactional = _regime_models(baseline, params=frozen | {"reciprocity_weight": 0.0})
    e, t = engaged.actors["JPN"], transactional.actors["JPN"]
    assert np.all(t.reward_weight() > 1.5 * e.reward_weight())
    assert t.defence_share_gdp.mean() > e.defence_share_gdp.mean() + 1e-4
