"""Alliance politics as choices (issue 12): D4 burden-sharing, D5 host-nation support, D6 firm
or hedge, D8 geo-economics.

For each decision: the choice is an optimum (no neighbour does better, in every world), a
directional test with the other channels frozen, and a mutation check: zeroing the named
parameter of the mechanism (or replacing its input by a constant, where no parameter carries
it) removes the effect the claim's test asserts.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import vary
from hypothesis import given, settings
from hypothesis import strategies as st

from lynchpin.agents import Partner, TreatyAlly
from lynchpin.agents.alliance import (
    burden_share,
    burden_utility,
    firm_probability,
    nash_settlement,
)
from lynchpin.model import LynchpinModel, Shock, simulate

WORLDS = 300
QUARTERS = 40
SEED = 20200119

# Channels other than the one under test, switched off so a test measures one derivative.
FROZEN_NORM = {"norm_threat_weight": 0.0, "norm_crisis_weight": 0.0}
FROZEN_THREAT = {"security_threat_weight": 0.0, **FROZEN_NORM}
FROZEN_RECIPROCITY = {"reciprocity_weight": 0.0, "hns_commitment_weight": 0.0}
# The strategic challenger (issue 11): a change in US or allied capability moves deterrence,
# hence the challenger's red line and gray-zone intensity (D1), hence which crises happen, what
# allies learn from them about US resolve (D3) and which become wars (D2) that raise every
# budget. Frozen where a test isolates an alliance channel from these consequences.
FROZEN_CRISES = {
    "escalation_base": 0.0,  # no war (D2) and so no war surge
    "crisis_threat_step": 0.0,  # crises leave no lasting threat
    "abandonment_belief_weight": 0.0,  # resolve beliefs (D3) do not move abandonment fear
    "red_line_deterrence_weight": 0.0,  # deterrence does not move the challenger (D1)
    "grayzone_deterrence_cost": 0.0,
    "domain_air_deterrence_cost": 0.0,
}
# No crises at all: nothing to learn about US resolve from (D3), whose stand in a crisis
# follows its commitment and attention.
NO_CRISES = {
    "crisis_base_hazard": 0.0,
    "crisis_grayzone_hazard": 0.0,
    "red_line_crisis_probability": 0.0,
}


def run(config, quarters: int = QUARTERS, **changes):
    return simulate(vary(config, quarters=quarters, **changes), worlds=WORLDS, seed=SEED)


def final(results, actor: str, metric: str) -> float:
    return float(results.metric(actor, metric)[-1].mean())


def at(results, actor: str, metric: str, period: str) -> float:
    return float(results.metric(actor, metric)[results.periods.index(period)].mean())


# -- D4: the best response is an optimum ----------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(
    security=st.floats(0.01, 5.0),
    others=st.floats(0.01, 1.0),
    convexity=st.floats(0.0, 500.0),
    norm=st.floats(0.0, 0.05),
    kink=st.floats(0.0, 3.0),
    curvature=st.floats(0.0, 2000.0),
    reward=st.floats(0.0, 50.0),
    target=st.floats(0.0, 0.05),
)
def test_d4_burden_share_beats_every_grid_point(
    security, others, convexity, norm, kink, curvature, reward, target
):
    args = (security, others, convexity, norm, kink, curvature, reward, target)
    chosen = burden_share(*(np.atleast_1d(a) for a in args))
    grid = np.linspace(0.0, 0.2, 4001)
    best = burden_utility(chosen, *args)
    assert chosen[0] >= 0.0
    assert best[0] >= burden_utility(grid, *args).max() - 1e-9
    for step in (1e-5, 1e-3):
        for neighbour in (chosen + step, np.maximum(chosen - step, 0.0)):
            assert best[0] >= burden_utility(neighbour, *args)[0] - 1e-12


def _ally_inputs(ally: TreatyAlly) -> tuple:
    g = ally.model.p
    return (
        ally.security_value(),
        ally.coalition_others(ally.model.snapshot),
        g.defence_cost_convexity,
        ally.effective_norm(),
        ally.p.norm_strength,
        g.political_cost_curvature,
        ally.reward_weight(),
        ally.burden_target(),
    )


@pytest.mark.parametrize("goal", [0.0, 0.02])
def test_d4_each_allys_desired_share_is_optimal_in_every_world(baseline, goal):
    config = vary(
        baseline, actors={"JPN": {"defence_goal": goal}}, params={"crisis_extra_hazard": 1}
    )
    model = LynchpinModel(config, worlds=200, seed=SEED)
    for _ in range(12):
        model.step()
    model.agents.do("observe")
    for ally in model.allies:
        inputs = _ally_inputs(ally)
        # A world at war (D2, frequent under crisis_extra_hazard=1) adds war_budget_surge on
        # top of the D4 best response; the optimality claim is about the best response itself.
        chosen = ally.choose_defence_share(model.snapshot) - ally.war_surge(model.snapshot)
        best = burden_utility(chosen, *inputs)
        for step in (1e-5, 1e-4, 1e-3):
            for neighbour in (chosen + step, chosen - step):
                assert np.all(best >= burden_utility(neighbour, *inputs) - 1e-12), ally.code


# -- D4: free riding -------------------------------------------------------------------------
@pytest.mark.claim("C10")
def test_d4_leader_buildup_lowers_small_allies_shares(baseline):
    """Olson-Zeckhauser: with threat and norms frozen, a US build-up (more capability supplied
    by others) lowers Australia's best-response share; Japan, at its norm's kink, moves less."""
    base = run(baseline, params=FROZEN_THREAT)
    buildup = run(baseline, params=FROZEN_THREAT, actors={"USA": {"defence_share_desired": 0.05}})
    assert final(buildup, "USA", "capability") > 1.1 * final(base, "USA", "capability")
    fall = final(base, "AUS", "defence_share_gdp") - final(buildup, "AUS", "defence_share_gdp")
    assert fall > 0.0005
    japan = final(base, "JPN", "defence_share_gdp") - final(buildup, "JPN", "defence_share_gdp")
    assert 0.0 <= japan < fall


def test_d4_free_riding_vanishes_without_the_spill_in(baseline, monkeypatch):
    """Mutation: replace what the rest of the coalition supplies by its 2020 value and the
    build-up no longer moves Australia (free riding comes from that input alone)."""
    original = TreatyAlly.coalition_others

    def frozen(self, snap):
        return self.reference["others"] if self.reference else original(self, snap)

    monkeypatch.setattr(TreatyAlly, "coalition_others", frozen)
    # The build-up also deters the challenger (fewer crises and wars): frozen, not spill-in.
    params = FROZEN_THREAT | FROZEN_CRISES
    base = run(baseline, params=params)
    buildup = run(baseline, params=params, actors={"USA": {"defence_share_desired": 0.05}})
    assert final(buildup, "AUS", "defence_share_gdp") == pytest.approx(
        final(base, "AUS", "defence_share_gdp"), abs=2e-5
    )


# -- D4: the norm and the goal lever ---------------------------------------------------------
@pytest.mark.claim("C8")
def test_d4_goal_lever_raises_japan_and_a_goal_at_the_norm_does_not(baseline):
    """`JPN.defence_goal=0.02` makes Japan climb over several years; 0.01 (about its norm)
    does not; with goal_credibility 0 (mutation) the 2% goal does nothing."""
    full = baseline.end - baseline.start + 1
    base = run(baseline, quarters=full)
    goal = run(baseline, quarters=full, actors={"JPN": {"defence_goal": 0.02}})
    years = [at(goal, "JPN", "defence_share_gdp", f"{y}Q4") for y in (2021, 2023, 2025, 2030)]
    assert years == sorted(years)  # a climb, not a jump
    assert years[-1] > at(base, "JPN", "defence_share_gdp", "2030Q4") + 0.006
    assert years[0] < years[-1] - 0.003  # several years, not one budget
    near = run(baseline, quarters=full, actors={"JPN": {"defence_goal": 0.01}})
    assert (
        abs(
            at(near, "JPN", "defence_share_gdp", "2030Q4")
            - at(base, "JPN", "defence_share_gdp", "2030Q4")
        )
        < 0.001
    )
    muted = run(
        baseline,
        quarters=full,
        params={"goal_credibility": 0.0},
        actors={"JPN": {"defence_goal": 0.02}},
    )
    assert np.array_equal(
        muted.metric("JPN", "defence_share_gdp"), base.metric("JPN", "defence_share_gdp")
    )


@pytest.mark.parametrize("weight", ["norm_crisis_weight", None])
@pytest.mark.claim("C8")
def test_d4_a_run_of_crises_carries_japan_past_its_norm(baseline, weight):
    """A run of crises loosens the norm (a step that stays: it ratchets) and Japan passes 1%
    of GDP without a script; with norm_crisis_weight 0 (mutation) the norm moves only with
    threat, far less."""
    frozen = {"norm_threat_weight": 0.0, "security_threat_weight": 0.0}
    crises = Shock(
        "system", "crisis_hazard", baseline.start + 4, baseline.start + 11, 2.0, "additive"
    )
    params = frozen | ({weight: 0.0} if weight else {})
    calm = run(baseline, params=params)
    stormy = run(baseline, params=params, shocks=(crises,))
    rise = final(stormy, "JPN", "spending_norm") - final(calm, "JPN", "spending_norm")
    if weight is None:
        assert rise > 0.001
        assert final(stormy, "JPN", "defence_share_gdp") > 0.011
        norm = stormy.metric("JPN", "spending_norm").mean(axis=1)
        assert np.all(np.diff(norm) >= -1e-15)  # loosened norms do not tighten back
    else:
        assert rise == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("mutation", [None, "abandonment_commitment_weight"])
@pytest.mark.claim("C5", "C8")
def test_d4_retrenchment_raises_japanese_internal_balancing(baseline, mutation):
    """Less US commitment -> more abandonment fear -> less trust in the leader's capability ->
    Japan spends more (threat, norms and reciprocity frozen). Zeroing the commitment weight
    of abandonment fear (mutation) removes the effect. Weaker commitment also weakens
    deterrence and makes the US back down in more crises, which allies learn from (issue 11,
    D3): no crises, so only fear is measured."""
    params = FROZEN_THREAT | FROZEN_RECIPROCITY | FROZEN_CRISES | NO_CRISES
    params |= {mutation: 0.0} if mutation else {}
    drop = Shock("USA", "commitment", baseline.start, baseline.start + QUARTERS, -0.4)
    base = run(baseline, params=params)
    weaker = run(baseline, params=params, shocks=(drop,))
    rise = final(weaker, "JPN", "defence_share_gdp") - final(base, "JPN", "defence_share_gdp")
    if mutation is None:
        assert rise > 0.0005
    else:
        assert abs(rise) < 0.0001


def _backed_down(model: LynchpinModel, times: int = 3) -> None:
    """Every observer sees the leader back down in `times` crises (a D3 belief update)."""
    seen = np.ones(model.worlds, dtype=bool)
    for actor in model.actors.values():
        for _ in range(times):
            actor.resolve.update(seen, ~seen)


def _run_model(config, shaken: bool, quarters: int = 24) -> LynchpinModel:
    model = LynchpinModel(config, worlds=WORLDS, seed=SEED)
    if shaken:
        _backed_down(model)
    for _ in range(quarters):
        model.step()
    return model


@pytest.mark.parametrize("mutation", [None, "alignment_threat_weight"])
@pytest.mark.claim("C5", "C8", "C9")
def test_d6_a_backed_down_crisis_raises_hedging_and_japanese_internal_balancing(baseline, mutation):
    """A crisis in which the US backed down lowers every observer's belief in its resolve:
    partners hedge (alignment falls) and Japan trusts the US capability less, so it spends
    more. With no protection value of standing firm (alignment_threat_weight 0, mutation)
    the belief no longer makes partners hedge. The belief also raises a treaty ally's
    abandonment fear (issue 11, D3 -> C5), another route to hedging: frozen, so the test
    measures the protection value alone."""
    params = FROZEN_THREAT | {"abandonment_belief_weight": 0.0}
    config = vary(baseline, params=params | ({mutation: 0.0} if mutation else {}))
    calm, shaken = _run_model(config, False), _run_model(config, True)
    for code in ("AUS", "IND"):
        fall = calm.actors[code].alignment.mean() - shaken.actors[code].alignment.mean()
        if mutation is None:
            assert fall > 0.01, code
        else:  # gone (or reversed: allies that spend more are treated better)
            assert fall < 0.002, code
    rise = (
        shaken.actors["JPN"].defence_share_gdp.mean() - calm.actors["JPN"].defence_share_gdp.mean()
    )
    assert rise > 0.0003


@pytest.mark.parametrize("partner", ["AUS", "IND"])
@pytest.mark.claim("C5", "C9")
def test_d6_retrenchment_raises_partner_hedging(baseline, partner):
    drop = Shock("USA", "commitment", baseline.start, baseline.start + QUARTERS, -0.4)
    base = run(baseline)
    weaker = run(baseline, shocks=(drop,))
    assert final(weaker, partner, "alignment") < final(base, partner, "alignment") - 0.03


# -- D4: doctrine and reciprocity ------------------------------------------------------------
@pytest.mark.parametrize("mutation", [None, "burden_reward_weight"])
@pytest.mark.claim("C6", "C8")
def test_d4_specific_doctrine_raises_japans_share_through_the_reward(baseline, mutation):
    """Under specific reciprocity aid no longer counts, so the gap the leader rewards closing
    is wider and Japan's best response rises (other channels frozen); without the reward
    (mutation) the doctrine does not move Japan's budget. The doctrine moves cohesion, hence
    deterrence, the challenger's choices and crises (issue 11): frozen as in test_c06."""
    params = FROZEN_THREAT | FROZEN_RECIPROCITY | FROZEN_CRISES
    params |= {"abandonment_friction_weight": 0.0}
    params |= {mutation: 0.0} if mutation else {}
    diffused = run(baseline, params=params)
    specific = run(baseline, params=params, policies={"doctrine": "specific"})
    rise = final(specific, "JPN", "defence_share_gdp") - final(diffused, "JPN", "defence_share_gdp")
    if mutation is None:  # reward 10 x aid 0.003 over a political-cost slope of ~420
        assert rise > 3e-5
    else:  # what is left comes through the balance of power
        assert abs(rise) < 1e-5


@pytest.mark.parametrize("mutation", [None, "reciprocity_weight"])
@pytest.mark.claim("C6")
def test_d4_commitment_follows_contribution_and_administration(baseline, mutation):
    """The leader's commitment to an ally falls as its relative gap widens, more steeply
    under a transactional administration; with reciprocity_weight 0 (mutation) neither."""
    config = vary(baseline, params={mutation: 0.0} if mutation else {})
    model = LynchpinModel(config, worlds=4, seed=SEED)
    model.step()
    leader, japan = model.leader, model.actors["JPN"]
    japan.burden_gap = japan.burden_gap + 0.006  # a fifth of the demand wider than in 2020
    engaged = leader.commitment_to_ally(japan)
    leader.administration = np.array([0.0, 1.0, 0.0, 1.0])
    transactional = leader.commitment_to_ally(japan)
    japan.burden_gap = japan.burden_gap - 0.006
    reference = leader.commitment_to_ally(japan)
    if mutation is None:
        assert np.all(engaged < reference - 0.01)
        assert np.all(transactional[[1, 3]] < engaged[[1, 3]] - 0.01)
    else:
        assert np.allclose(engaged, reference) and np.allclose(transactional, reference)


# -- D5: host-nation support ---------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    status_quo=st.floats(0.1, 10.0),
    surplus=st.floats(0.0, 2.0),
    demand_multiple=st.floats(1.0, 5.0),
    power=st.floats(0.01, 0.99),
)
def test_d5_settlement_maximises_the_nash_product(status_quo, surplus, demand_multiple, power):
    reservation = status_quo * (1.0 + surplus)
    demand = status_quo * demand_multiple
    p = float(nash_settlement(np.array(status_quo), reservation, demand, power))
    top = min(reservation, demand)
    assert status_quo - 1e-12 <= p <= top + 1e-12
    if top - status_quo < 1e-9:
        return

    def product(x):
        return np.log(max(x - status_quo, 1e-300)) * power + np.log(
            max(reservation - x, 1e-300)
        ) * (1.0 - power)

    if reservation <= demand:  # interior: the generalised Nash solution
        for step in (1e-6 * status_quo, 1e-3 * status_quo):
            for x in (p - step, p + step):
                if status_quo < x < top:
                    assert product(p) >= product(x) - 1e-9
    else:  # the demand caps it: the leader would take more but asked for less
        assert p <= demand + 1e-12


@pytest.mark.parametrize("mutation", [None, "hns_bargaining_power", "hns_ally_surplus"])
@pytest.mark.claim("C7")
def test_d5_cost_plus_50_settles_between_old_payment_and_demand(baseline, mutation):
    """Cost plus 50 (about 3.2 times the old payment) opens talks that settle within a few
    quarters above the old payment and well below the demand (the FY2022-26 agreement ran
    ~7% above the previous one); friction lasts only while talks are open. With no
    bargaining power or no surplus (mutations) the payment never rises."""
    params = {mutation: 0.0} if mutation else {}
    r = run(baseline, params=params, policies={"host_nation_support": "cost_plus_50"})
    old = baseline.params["hns_reference_payment"]
    demand = old * baseline.params["hns_cost_plus_50_multiplier"]
    payment = r.metric("JPN", "hns_payment")
    asked = r.metric("JPN", "hns_demand")
    assert asked[0].mean() > 0.5 * (old + demand)  # talks open at the demand
    assert np.all(asked[12] == payment[12])  # settled in every world within three years
    if mutation is None:
        assert np.all(payment[-1] > old * 1.02)
        assert np.all(payment[-1] < old * 1.15)
        assert np.all(payment[-1] < demand)
    else:
        assert np.allclose(payment[-1], old)
    standard = run(baseline, params=params)
    cohesion = r.metric("system", "alliance_cohesion").mean(axis=1)
    calm = standard.metric("system", "alliance_cohesion").mean(axis=1)
    assert cohesion[2] < calm[2] - 0.05  # open talks strain the alliance ...
    assert abs(cohesion[-1] - calm[-1]) < abs(cohesion[2] - calm[2]) / 2  # ... while open


# -- D6: the firm-or-hedge choice --------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(gain=st.floats(-3.0, 3.0), temperature=st.floats(0.02, 2.0))
def test_d6_firm_probability_maximises_expected_utility_plus_entropy(gain, temperature):
    """The logit probability is the optimum of P gain + temperature H(P) (random utility with
    extreme-value tastes), so no neighbouring probability does better."""
    p = float(firm_probability(np.array(gain), temperature))

    def objective(q):
        q = min(max(q, 1e-15), 1 - 1e-15)
        return q * gain - temperature * (q * np.log(q) + (1 - q) * np.log(1 - q))

    for step in (1e-4, 1e-2):
        for q in (p - step, p + step):
            if 0.0 < q < 1.0:
                assert objective(p) >= objective(q) - 1e-12


def test_d6_alignment_is_the_smoothed_probability_of_standing_firm(baseline):
    model = LynchpinModel(baseline, worlds=50, seed=SEED)
    for _ in range(4):
        model.step()
    model.agents.do("observe")
    for actor in model.actors.values():
        if isinstance(actor, Partner):
            target = actor.firm_choice()
            assert np.all((target >= 0) & (target <= actor.p.autonomy_cap))
            actor.decide()
            rate = model.p.alignment_adjust_rate
            expected = actor.alignment + rate * (target - actor.alignment)
            assert np.allclose(actor.next_alignment, expected)


def test_d6_2020_choices_reproduce_2020_alignment(baseline):
    """The calibrated constants make the first quarter's choice match alignment_initial."""
    model = LynchpinModel(baseline, worlds=1, seed=SEED)
    model.agents.do("observe")
    for actor in model.actors.values():
        if isinstance(actor, Partner):
            assert float(actor.firm_choice()[0]) == pytest.approx(
                actor.p.alignment_initial, abs=0.005
            )


def _scenario_on_baseline(name: str, baseline, **changes):
    """A bundled scenario's own changes on the fixed-parameter baseline: without the priors
    (whose per-world draws would replace the params a test sets, and whose spread is not what
    is compared) and with the baseline's administrations, so only the scenario differs."""
    import dataclasses

    from lynchpin.scenario import load_scenario

    config = dataclasses.replace(
        load_scenario(name).to_config(),
        uncertainty=baseline.uncertainty,
        administrations=baseline.administrations,
    )
    return vary(config, quarters=QUARTERS, **changes)


@pytest.mark.parametrize("scenario", ["america-first", "us-retrenchment"])
@pytest.mark.claim("C6", "C7", "C9")
def test_america_first_does_not_raise_partners_alignment(baseline, scenario):
    """Partners see how the leader treats its allies: under america-first (specific doctrine,
    cost plus 50) neither Australia nor India aligns more than in the baseline."""
    config = _scenario_on_baseline(scenario, baseline)
    other = simulate(config, worlds=WORLDS, seed=SEED)
    base = run(baseline)
    for partner in ("AUS", "IND"):
        assert other.metric(partner, "alignment").mean(axis=1).max() <= (
            base.metric(partner, "alignment").mean(axis=1).max() + 1e-3
        )
        assert final(other, partner, "alignment") < final(base, partner, "alignment")


def test_america_first_raises_partners_alignment_without_reciprocity(baseline):
    """Mutation of the test above: if partners never see the leader's treatment of its allies
    (no reciprocity, no withdrawal threat), the extra threat america-first invites makes India
    align more, the specification error issue 12 fixed."""
    config = _scenario_on_baseline("america-first", baseline, params=FROZEN_RECIPROCITY)
    other = simulate(config, worlds=WORLDS, seed=SEED)
    base = run(baseline, params=FROZEN_RECIPROCITY)
    assert final(other, "IND", "alignment") >= final(base, "IND", "alignment")


# -- D8: membership and coercion ---------------------------------------------------------------
@pytest.mark.claim("C14")
def test_d8_india_is_in_neither_tpp_nor_cptpp(baseline):
    model = LynchpinModel(baseline, worlds=1, seed=SEED)
    india, australia = model.actors["IND"], model.actors["AUS"]
    snap = model.snapshot
    for policies in ({"us_in_tpp": True}, {"us_in_tpp": False, "cptpp_leader": None}):
        other = LynchpinModel(vary(baseline, policies=policies), worlds=1, seed=SEED)
        assert other.actors["IND"].effective_dependence(other.snapshot) == pytest.approx(
            india.effective_dependence(snap)
        )
        assert other.actors["AUS"].effective_dependence(other.snapshot) != pytest.approx(
            australia.effective_dependence(snap)
        )


@pytest.mark.parametrize("mutation", [None, "coercion_threat_weight"])
@pytest.mark.claim("C14")
def test_d8_coercion_of_a_dependent_partner_makes_it_balance(baseline, mutation):
    """Australia 2020-23: China's economic coercion raised Australia's threat perception, and
    with the default payoffs it balances (aligns more) rather than hedges. Without the threat
    channel (mutation) only the cost remains and it hedges."""
    coerce = Shock(
        "AUS", "economic_coercion", baseline.start + 1, baseline.start + 15, 1.0, "absolute"
    )
    params = {mutation: 0.0} if mutation else {}
    base = run(baseline, params=params, quarters=16)
    coerced = run(baseline, params=params, quarters=16, shocks=(coerce,))
    threat = final(coerced, "AUS", "threat_perception") - final(base, "AUS", "threat_perception")
    shift = final(coerced, "AUS", "alignment") - final(base, "AUS", "alignment")
    if mutation is None:
        assert threat > 0.1
        assert shift > 0.01
        assert final(coerced, "AUS", "defence_share_gdp") > final(base, "AUS", "defence_share_gdp")
    else:
        assert abs(threat) < 0.005  # only feedback through the balance of power is left
        assert shift < -0.01


# -- parameters may differ per world ----------------------------------------------------------
def test_every_alliance_rule_takes_per_world_parameters(baseline):
    """issue 10 draws parameters per world: each rule must broadcast arrays of shape (worlds,)
    and a world's outcome must follow its own value."""
    config = vary(baseline, quarters=24, policies={"host_nation_support": "cost_plus_50"})
    model = LynchpinModel(config, worlds=4, seed=SEED)
    model.p.hns_bargaining_power = np.array([0.0, 0.5, 1.0, 0.5])
    model.p.political_cost_curvature = np.array([300.0, 300.0, 300.0, 3000.0])
    model.p.firm_hedge_temperature = np.array([0.15, 0.15, 0.3, 0.15])
    model.p.goal_credibility = np.array([1.0, 1.0, 1.0, 0.0])
    model.actors["JPN"].p.defence_goal = np.array([0.02, 0.02, 0.02, 0.02])
    model.actors["AUS"].p.norm_strength = np.array([0.0, 1.0, 0.0, 0.0])
    model.actors["AUS"].p.spending_norm = np.array([-1.0, 0.02, 0.025, -1.0])
    model.actors["IND"].p.alignment_initial = np.array([0.45, 0.45, 0.5, 0.45])
    model.leader.administration = np.array([0.0, 0.0, 1.0, 0.0])
    while model.running:
        model.step()
    japan = model.actors["JPN"]
    assert all(np.all(np.isfinite(japan.state(m))) for m in japan.outputs)
    payment = japan.hns_payment
    assert payment[0] == pytest.approx(2.5) and payment[1] > 2.5 and payment[2] > payment[1]
    share = japan.defence_share_gdp
    assert share[0] > 0.015 and share[3] < 0.0115  # the goal binds only where it is credible
    assert model.actors["AUS"].spending_norm[2] >= 0.025


# -- a setting that binds in no world says so --------------------------------------------------
def test_limits_and_goals_that_bind_nowhere_are_named(baseline):
    from lynchpin.model.binding import binds_somewhere, unbound_settings

    loose = vary(
        baseline, quarters=8, actors={"JPN": {"defence_ceiling": 0.05, "defence_goal": 0.009}}
    )
    results = simulate(loose, worlds=20, seed=SEED)
    keys = ["JPN.defence_ceiling", "JPN.defence_goal", "counter_a2ad_share"]
    assert unbound_settings(results, loose, keys) == ["JPN.defence_ceiling", "JPN.defence_goal"]
    assert binds_somewhere(results, loose, "counter_a2ad_share") is None
    tight = vary(
        baseline, quarters=8, actors={"JPN": {"defence_ceiling": 0.0101, "defence_goal": 0.02}}
    )
    results = simulate(tight, worlds=20, seed=SEED)
    assert unbound_settings(results, tight, keys) == []


def test_run_warns_about_a_set_that_binds_in_no_world(tmp_path):
    from conftest import lynchpin

    done = lynchpin(
        "run", "baseline", "--worlds", "20", "--no-plots", "--out", str(tmp_path / "a"),
        "--set", "JPN.defence_ceiling=0.05", "--set", "JPN.defence_goal=0.02",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "JPN.defence_ceiling=0.05" in warnings[0]
