"""D2 and D3: crises as bargaining, war as an absorbing event, learned beliefs about resolve.

Also the named crisis types (Taiwan Strait, East China Sea, South China Sea, Sino-Indian
border) and their lasting effects, and C11 (clearer red lines, fewer miscalculations).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import vary

from lynchpin.model import LynchpinModel, Shock, simulate
from lynchpin.model.crises import CRISIS_OUTPUTS, CRISIS_TYPES, type_probabilities

WORLDS = 1000
SEED = 20200119


def stepped(config, quarters: int = 8, worlds: int = 400) -> LynchpinModel:
    model = LynchpinModel(config, worlds=worlds, seed=SEED)
    for _ in range(quarters):
        model.step()
    return model


# -- C11: counter-A2/AD makes the red line clearer ---------------------------------------------
A2AD_OTHER_CHANNELS = {
    "deterrence_a2ad_weight": 0.0,
    "a2ad_capability_cost": 0.0,
    "domain_a2ad_cost": 0.0,
    "escalation_a2ad_weight": 0.0,
}


@pytest.mark.claim("C11")
def test_counter_a2ad_lowers_miscalculated_crises(baseline):
    """C11 with its other channels frozen: only clarity acts. Probes that cross the red line
    (miscalculations) and the crises they bring fall by more than half; with clarity zeroed
    the two runs are identical."""

    def run(share, clarity=None):
        params = {**A2AD_OTHER_CHANNELS, "counter_a2ad_share": share}
        if clarity is not None:
            params["red_line_a2ad_clarity"] = clarity
        return simulate(vary(baseline, params=params), worlds=WORLDS, seed=SEED)

    vague, clear = run(0.0), run(0.3)
    crossed = {
        k: r.metric("system", "red_line_crossed").mean() for k, r in (("v", vague), ("c", clear))
    }
    assert crossed["c"] < 0.6 * crossed["v"]
    blind = run(0.3, clarity=0.0)
    assert np.array_equal(
        blind.metric("system", "red_line_crossed"), vague.metric("system", "red_line_crossed")
    )


# -- D2: bargaining failure ---------------------------------------------------------------------
@pytest.mark.claim("C2")
def test_faster_power_shift_raises_war_given_a_crisis_at_equal_power_ratio(baseline):
    """Powell (2006): same state, same power ratio, only the rate of shift differs."""
    model = stepped(baseline)
    system = model.system
    system.power_shift = np.full(model.worlds, 0.01)
    slow = system.escalation_probability()
    system.power_shift = np.full(model.worlds, 0.05)
    fast = system.escalation_probability()
    assert np.all(fast > slow)
    assert fast.mean() > 1.2 * slow.mean()


@pytest.mark.claim("C2")
def test_power_shift_is_measured_from_the_power_ratio(baseline):
    """A faster-growing challenger (same start, so the same 2020 ratio) shifts power faster."""
    faster = vary(baseline, actors={"CHN": {"growth_trend": 0.12}})
    shift = {
        k: stepped(config, quarters=12).system.power_shift.mean()
        for k, config in (("base", baseline), ("fast", faster))
    }
    assert shift["fast"] > 1.5 * shift["base"]


@pytest.mark.claim("C2", "C4")
def test_private_information_and_costs_of_war(baseline):
    """Fearon (1995): more uncertainty, more war; costlier war (deterrence), less."""
    model = stepped(baseline)
    system, challenger = model.system, model.challenger
    base = system.escalation_probability()
    challenger.red_line_sd = challenger.red_line_sd * 2.0
    assert np.all(system.escalation_probability() > base)
    challenger.red_line_sd = challenger.red_line_sd / 2.0
    system.deterrence = system.deterrence + 0.2
    assert np.all(system.escalation_probability() < base)


@pytest.mark.claim("C4")
def test_war_happens_is_absorbing_and_armed_conflict_estimates_it(baseline):
    results = simulate(baseline, worlds=2000, seed=SEED)
    at_war = results.metric("system", "at_war")
    conflict = results.metric("system", "armed_conflict")
    assert 0.02 < at_war[-1].mean() < 0.5  # wars happen, in some worlds only
    assert np.all(np.diff(at_war, axis=0) >= 0)  # absorbing
    assert np.all(np.diff(conflict, axis=0) >= -1e-15)
    # Same expectation (the compensator of at_war), within Monte Carlo error of at_war.
    se = at_war[-1].std() / np.sqrt(at_war.shape[1])
    assert abs(conflict[-1].mean() - at_war[-1].mean()) < 3.5 * se
    assert conflict[-1].std() < at_war[-1].std()  # less noise per world
    # No crises in worlds already at war: war replaced bargaining.
    assert np.all(results.metric("system", "crises")[1:][at_war[:-1] > 0] == 0)


@pytest.mark.claim("C8", "C9", "C14", "C15")
def test_war_has_consequences(baseline):
    """Each consequence, zeroed, vanishes; the war histories themselves are identical (the war
    draws and everything before a war do not depend on what war does afterwards)."""
    hot = {"escalation_base": 0.3}
    on = simulate(vary(baseline, params=hot), worlds=WORLDS, seed=SEED)
    off = simulate(
        vary(
            baseline,
            params={
                **hot,
                "war_budget_surge": 0.0,
                "war_order_drop": 0.0,
                "war_alignment_shift": 0.0,
                "war_trade_collapse": 0.0,
            },
        ),
        worlds=WORLDS,
        seed=SEED,
    )
    war = on.metric("system", "at_war")[-1] > 0
    first = np.argmax(on.metric("system", "at_war") > 0, axis=0)
    assert 0.2 < war.mean() < 0.9
    # Before the first war in a world, both runs agree exactly.
    early = first[war].min()
    assert np.array_equal(
        on.metric("system", "crises")[:early], off.metric("system", "crises")[:early]
    )

    def gap(metric, actor="system"):
        return (on.metric(actor, metric)[-1] - off.metric(actor, metric)[-1])[war].mean()

    assert gap("defence_share_gdp", "JPN") > 0.005  # budgets surge (and the ceiling with them)
    assert gap("order_stability") < -0.1  # the order falls
    assert gap("alignment", "AUS") > 0.05  # partners close ranks (trade collapse + balancing)
    assert gap("alignment", "IND") > 0.05


def test_crisis_draws_keep_common_random_numbers(baseline):
    """The crisis stream is drawn with the same shape every quarter whatever the state (at war
    or not, crisis or not), so two scenarios see the same crisis numbers world by world: a
    crisis is likelier in one only because its probability is higher, never because its
    draws shifted."""

    def crisis_draws(config):
        model = LynchpinModel(config, worlds=300, seed=SEED)
        stream = model.streams("crises")
        seen = []
        original = stream.uniform

        def recording(rows=1):
            values = original(rows)
            seen.append(values.copy())
            return values

        stream.uniform = recording
        while model.running:
            model.step()
        return np.stack(seen), model.system.at_war

    calm, _ = crisis_draws(vary(baseline, params={"escalation_base": 0.0}))
    hot, at_war = crisis_draws(
        vary(
            baseline,
            params={"escalation_base": 0.5, "crisis_extra_hazard": 2.0},
            actors={"USA": {"commitment_base": 0.3}},
        )
    )
    assert at_war.mean() > 0.2
    assert np.array_equal(calm, hot)


# -- D3: learned beliefs about the leader's resolve ---------------------------------------------
@pytest.mark.claim("C3", "C5")
def test_leader_stands_firm_less_when_distracted_or_transactional(baseline):
    model = stepped(baseline, quarters=1)
    system, leader = model.system, model.leader
    engaged = system.stand_firm_probability()
    leader.administration = np.ones(model.worlds)
    transactional = system.stand_firm_probability()
    leader.administration = np.zeros(model.worlds)
    leader.attention = leader.attention * 0.5
    distracted = system.stand_firm_probability()
    assert np.all(transactional < engaged) and np.all(distracted < engaged)


@pytest.mark.claim("C5")
def test_every_observer_learns_from_each_crisis(baseline):
    """Crises update every non-leader's Beta belief, by its exposure to the crisis' theatre."""
    config = vary(baseline, params={"crisis_extra_hazard": 20.0})
    model = stepped(config, quarters=1)
    system = model.system
    crisis, firm = system.crises > 0, system.stood_firm > 0
    assert crisis.mean() > 0.9 and 0.2 < firm[crisis].mean() < 0.95
    prior = baseline.params["resolve_prior_strength"]
    for code in ("CHN", "JPN", "AUS", "IND"):
        belief = model.actors[code].resolve
        assert np.all(belief.a + belief.b > prior - 1e-9)
        assert np.all((belief.a + belief.b > prior)[crisis])
        assert belief.mean[firm].mean() > belief.mean[crisis & ~firm].mean()
    # Taiwan Strait crises (the scripted type) teach Japan more than India.
    japan, india = model.actors["JPN"].resolve, model.actors["IND"].resolve
    assert (japan.a + japan.b)[crisis].mean() > (india.a + india.b)[crisis].mean()


@pytest.mark.claim("C5")
def test_backed_down_crisis_raises_abandonment_fear_and_intensity_for_years(baseline):
    """One crisis in 2022Q1, the same in every world; in one run the leader backs down, in the
    other it stands firm (the only difference). For the next three years Japan fears abandonment
    more and the challenger probes harder."""
    runs = {}
    for firm in (True, False):
        model = stepped(baseline, quarters=8, worlds=WORLDS)
        seen = np.ones(model.worlds, dtype=bool)
        for actor in model.actors.values():
            if actor is not model.leader:
                actor.resolve.update(seen, np.full(model.worlds, firm), 2.0)
        model.snapshot = model.take_snapshot()
        for _ in range(12):
            model.step()
        runs[firm] = model.results()
    after = slice(9, 20)

    def mean(firm, actor, metric):
        return runs[firm].metric(actor, metric)[after].mean()

    assert mean(False, "JPN", "abandonment_fear") > mean(True, "JPN", "abandonment_fear") + 0.03
    assert (
        mean(False, "CHN", "gray_zone_intensity") > mean(True, "CHN", "gray_zone_intensity") + 0.005
    )
    assert mean(False, "AUS", "resolve_belief") < mean(True, "AUS", "resolve_belief") - 0.05


@pytest.mark.claim("C5")
def test_worlds_diverge_after_crises(baseline):
    """History matters: by 2035 Japan's belief spans a wide range, and the worlds where the
    leader backed down more often are the ones that doubt it."""
    results = simulate(baseline, worlds=WORLDS, seed=SEED)
    belief = results.metric("JPN", "resolve_belief")[-1]
    assert np.percentile(belief, 95) - np.percentile(belief, 5) > 0.15
    crises = results.metric("system", "crises").sum(axis=0)
    firm = results.metric("system", "stood_firm").sum(axis=0)
    backed_down = crises - firm
    assert np.corrcoef(backed_down, belief)[0, 1] < -0.5
    fear = results.metric("JPN", "abandonment_fear")[-1]
    assert np.corrcoef(backed_down, fear)[0, 1] > 0.3


# -- named crisis types -------------------------------------------------------------------------
def test_crisis_types_split_the_hazard_and_scripted_crises_take_their_type():
    base = np.array([0.2, 0.0])
    extra = np.array([0.0, 1.0])
    probabilities = type_probabilities(base, extra, 2.0)
    shares = np.array([t.share for t in CRISIS_TYPES])
    assert np.allclose(probabilities[:, 0], shares)
    assert np.allclose(probabilities[:, 1], np.eye(len(CRISIS_TYPES))[1])


def test_types_partition_crises(baseline):
    results = simulate(vary(baseline, quarters=20), worlds=500, seed=SEED)
    total = sum(results.metric("system", name) for name in CRISIS_OUTPUTS)
    assert np.array_equal(total, results.metric("system", "crises"))
    counts = {name: results.metric("system", name).sum() for name in CRISIS_OUTPUTS}
    assert counts["crises_taiwan_strait"] > counts["crises_sino_indian_border"]


@pytest.mark.claim("C5")
def test_a_taiwan_strait_crisis_leaves_a_lasting_mark_on_japan(baseline):
    """Scripted Taiwan Strait crises in 2022 raise Japan's threat and defence share years later
    (2027-2029), more than India's; with crisis_threat_step zeroed the lasting threat goes."""
    window = Shock(
        "system", "crisis_hazard", baseline.start + 8, baseline.start + 11, 4.0, "additive"
    )

    def run(**params):
        config = vary(baseline, quarters=40, params=params)
        before = simulate(config, worlds=WORLDS, seed=SEED)
        after = simulate(vary(config, shocks=(window,)), worlds=WORLDS, seed=SEED)
        late = slice(28, 40)
        return {
            (code, metric): after.metric(code, metric)[late].mean()
            - before.metric(code, metric)[late].mean()
            for code in ("JPN", "IND")
            for metric in ("threat_perception", "defence_share_gdp")
        }

    marked = run()
    assert marked[("JPN", "threat_perception")] > 0.03
    assert marked[("JPN", "threat_perception")] > 2 * marked[("IND", "threat_perception")]
    assert marked[("JPN", "defence_share_gdp")] > 0.0002
    unmarked = run(crisis_threat_step=0.0)
    assert unmarked[("JPN", "threat_perception")] < 0.3 * marked[("JPN", "threat_perception")]
