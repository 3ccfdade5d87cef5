"""The article's claims C1..C15, each traced to a passage, a rule, its parameters and a test.

Source: Titli Basu, "The US-Japan Security Treaty at 60" (2020, Creative Commons; the text is
in docs/reference/, and every passage below is quoted from it verbatim, which a test checks).
Each claim names the direction its test asserts; `lynchpin explain` prints this table and
docs/model.md reproduces it (a test checks).
"""

from __future__ import annotations

from dataclasses import dataclass

_A = "lynchpin.agents"
_S = "lynchpin.model.system.SystemState"
_T = "tests/test_mechanisms.py::"
_G = "tests/test_decisions_grayzone.py::"
_W = "tests/test_crises_war.py::"
_D = "tests/test_decisions_alliance.py::"


@dataclass(frozen=True)
class Claim:
    """One claim of the article and where the model implements and tests it."""

    id: str
    title: str
    passage: str
    mechanism: str
    published_model: str
    rules: tuple[str, ...]
    parameters: tuple[str, ...]
    test: str


_CLAIMS = (
    Claim(
        "C1",
        "China's rise shifts the balance of power",
        "China’s rise has led to structural shifts and power transition in the system.",
        "Potential output grows at actor-specific trend rates and actual output deviates from "
        "it by a mean-reverting output gap; capability is a stock fed by defence spending and "
        "depreciating; power combines GDP and capability.",
        "Organski & Kugler 1980",
        (f"{_A}.Actor.grow_economy", f"{_A}.Actor.adjust_defence_share", f"{_S}.update_power"),
        (
            "growth_trend",
            "growth_trend_drift",
            "growth_volatility",
            "output_gap_persistence",
            "output_gap_shock",
            "depreciation",
            "power_gdp_weight",
        ),
        f"{_T}test_c01_challenger_capability_share_rises",
    ),
    Claim(
        "C2",
        "A dissatisfied rising power contests the order",
        "it is reshaping global governance by contesting the core elements of the US-led order",
        "Challenger dissatisfaction grows as its power approaches the coalition's; the crisis "
        "hazard peaks near parity and rises with dissatisfaction; in a crisis, a fast shift of "
        "power (the commitment problem) and private information make war likelier (D2).",
        "Organski & Kugler 1980; Fearon 1995; Powell 2006",
        (
            f"{_A}.Challenger.dissatisfaction_target",
            f"{_A}.Challenger.decide",
            f"{_S}.crisis_hazard",
            f"{_S}.update_power",
            f"{_S}.private_information",
            f"{_S}.escalation_probability",
        ),
        (
            "dissatisfaction_base",
            "dissatisfaction_ratio_weight",
            "dissatisfaction_adjust_rate",
            "crisis_base_hazard",
            "crisis_parity_width",
            "crisis_dissatisfaction_weight",
            "grayzone_dissatisfaction_weight",
            "escalation_power_shift_weight",
            "power_shift_memory",
            "escalation_information_weight",
        ),
        f"{_T}test_c02_crises_peak_near_parity",
    ),
    Claim(
        "C3",
        "China exploits US preoccupation",
        "take advantage of the tactical opportunity as President Trump remains preoccupied",
        "Leader attention is an AR(1) process that shocks can lower; the challenger's gain "
        "from coercion rises with the leader's distraction, maritime presence gains most, and "
        "a distracted leader stands firm less often in a crisis.",
        "",
        (
            f"{_A}.Leader.decide",
            f"{_A}.Challenger.gain_and_cost",
            f"{_A}.Challenger.domain_mix_for",
            f"{_S}.stand_firm_probability",
            f"{_A}.administration.apply_administration",
        ),
        (
            "attention_base",
            "attention_volatility",
            "attention_persistence",
            "grayzone_distraction_weight",
            "abandonment_attention_weight",
            "domain_opportunity_weight",
            "resolve_attention_weight",
            # D7: the administration regime sets attention, commitment, demands and trade.
            "transactional_attention_shift",
            "transactional_commitment_shift",
            "transactional_burden_demand_shift",
            "transactional_hns_demand",
            "transactional_trade_disengagement",
        ),
        f"{_T}test_c03_distraction_raises_gray_zone_intensity",
    ),
    Claim(
        "C4",
        "Gray-zone tactics stay below armed conflict",
        "consciously keeping tensions in the maritime domain below the level of armed conflict",
        "The challenger chooses intensity on a grid to maximise gain minus cost minus the "
        "believed probability of crossing the coalition's red line times the cost of a firm "
        "response (D1); it does not see the red line, holds a log-normal belief about it and "
        "updates it from answered and unanswered probes; no cap keeps intensity below the red "
        "line. Incidents are Poisson counts at rates that follow intensity and domain effort; "
        "answered probes and the hazard bring crises, of which few become war.",
        "Schelling 1966",
        (
            f"{_A}.Challenger.intensity_grid",
            f"{_A}.Challenger.choose_intensity",
            f"{_A}.Challenger.learn_red_line",
            f"{_A}.challenger.red_line_public",
            f"{_S}.update_incidents",
            f"{_S}.update_crises",
            f"{_S}.escalation_probability",
        ),
        (
            "grayzone_benefit",
            "grayzone_drive",
            "grayzone_cost_base",
            "grayzone_deterrence_cost",
            "grayzone_change_cost",
            "red_line_base",
            "red_line_deterrence_weight",
            "red_line_uncertainty",
            "red_line_signal_noise",
            "red_line_response_cost",
            "red_line_crisis_probability",
            "incident_rate_maritime",
            "incident_rate_air",
            "domain_air_deterrence_cost",
            "crisis_grayzone_hazard",
            "crisis_extra_hazard",
            "crisis_extra_type",
            "escalation_base",
            "escalation_deterrence_weight",
        ),
        f"{_G}test_intensity_stays_below_the_red_line_without_a_cap",
    ),
    Claim(
        "C5",
        "Alliance dilemma: abandonment and entrapment",
        "The alliance dilemma has forced Japan to confront its fear of abandonment and entrapment",
        "Treaty allies fear abandonment when the leader's commitment to them is low, friction "
        "high or the leader distracted, and as their learned belief that the leader stands firm "
        "(Beta, updated from every crisis by exposure, D3) falls; entrapment after crises and "
        "under tension; named crises leave lasting threat in their theatres; both fears are "
        "expected costs of standing firm in each ally's logit choice between standing firm and "
        "hedging (D6), and partners hedge with a less committed leader.",
        "Snyder 1984; McFadden 1974 (logit choice)",
        (
            f"{_A}.TreatyAlly.fear_targets",
            f"{_A}.TreatyAlly.resolve_doubt",
            f"{_S}.stand_firm_probability",
            f"{_S}.learn_from_crises",
            f"{_A}.TreatyAlly.decide",
            f"{_A}.Leader.decide",
            f"{_A}.TreatyAlly.abandonment_cost",
            f"{_A}.TreatyAlly.entrapment_cost",
            f"{_A}.alliance.firm_probability",
            f"{_S}.cohesion_target",
        ),
        (
            "commitment_base",
            "commitment_adjust_rate",
            "abandonment_base",
            "abandonment_commitment_weight",
            "abandonment_friction_weight",
            "entrapment_base",
            "entrapment_crisis_weight",
            "entrapment_tension_weight",
            "fear_adjust_rate",
            "memory_rate",
            "alignment_entrapment_weight",
            "alignment_reliability_weight",
            "alignment_abandonment_weight",
            "firm_hedge_temperature",
            "cohesion_base",
            "cohesion_commitment_weight",
            "cohesion_fear_weight",
            "cohesion_adjust_rate",
            "resolve_transactional_penalty",
            "resolve_prior_mean",
            "resolve_prior_strength",
            "abandonment_belief_weight",
            "crisis_threat_step",
            "crisis_threat_decay",
        ),
        f"{_T}test_c05_alliance_dilemma",
    ),
    Claim(
        "C6",
        "Burden-sharing: specific vs diffused reciprocity",
        "a straight build-up/specific reciprocity approach and a division of labour/diffused "
        "reciprocity approach",
        "The leader asks each treaty ally for a defence share; under diffused reciprocity "
        "non-defence contributions count toward it, under specific reciprocity they do not. "
        "The leader rewards what counts (in the ally's D4 payoff) and its commitment to each "
        "ally follows the ally's gap (reciprocity), more steeply when transactional.",
        "Keohane 1986 (reciprocity)",
        (
            f"{_A}.TreatyAlly.measure_burden_gap",
            f"{_A}.TreatyAlly.measure_friction",
            f"{_A}.TreatyAlly.reward_weight",
            f"{_A}.Leader.commitment_to_ally",
        ),
        (
            "burden_demand",
            "non_defence_contribution",
            "burden_gap_friction_weight",
            "burden_reward_weight",
            "burden_reward_transactional",
            "reciprocity_weight",
            "reciprocity_transactional",
        ),
        f"{_T}test_c06_specific_reciprocity_widens_burden_gap",
    ),
    Claim(
        "C7",
        "America First and 'cost plus 50' strain the alliance",
        "Japan’s negotiating skills will be put to test under the “cost plus 50” model",
        "A host-nation-support demand opens talks (D5): ask and offer converge over a few "
        "quarters on the Nash bargaining solution between the old payment and the host's "
        "reservation price; while talks are open, friction in proportion to the open gap "
        "lowers cohesion and raises abandonment fear.",
        "Nash 1950 (bargaining solution)",
        (
            f"{_A}.Leader.hns_multiplier",
            f"{_A}.Leader.posted_hns_demand",
            f"{_A}.TreatyAlly.hns_open",
            f"{_A}.TreatyAlly.hns_talks",
            f"{_A}.alliance.nash_settlement",
            f"{_A}.TreatyAlly.measure_friction",
            f"{_S}.cohesion_target",
        ),
        (
            "hns_cost_plus_50_multiplier",
            "hns_friction_weight",
            "host_weight",
            "cohesion_friction_weight",
            "hns_reference_payment",
            "hns_bargaining_power",
            "hns_ally_surplus",
            "hns_concession_rate",
            "hns_settle_tolerance",
            "hns_commitment_weight",
        ),
        f"{_D}test_d5_cost_plus_50_settles_between_old_payment_and_demand",
    ),
    Claim(
        "C8",
        "Japan's internal balancing under Article 9",
        "Japan’s strategy is reflecting internal and external balancing",
        "An actor's defence spending (money) moves toward a desired share of potential GDP. "
        "A treaty ally chooses it (D4) against a convex political cost of departing from its "
        "spending norm (Japan's ~1%, with a kink that makes spending stick there); threat and "
        "remembered crises loosen the norm; a declared goal (defence_goal) replaces it up to "
        "the goal; abandonment fear discounts the leader's capability, so the ally balances "
        "internally. defence_ceiling is a hard legal limit a scenario may impose.",
        "",
        (
            f"{_A}.Actor.choose_defence_share",
            f"{_A}.TreatyAlly.choose_defence_share",
            f"{_A}.TreatyAlly.security_value",
            f"{_A}.TreatyAlly.effective_norm",
            f"{_A}.TreatyAlly.norm_shift_target",
            f"{_A}.alliance.burden_share",
            f"{_A}.Actor.adjust_defence_share",
            f"{_A}.Actor.war_surge",
        ),
        (
            "defence_share_desired",
            "defence_ceiling",
            "threat_response",
            "share_adjust_rate",
            "war_budget_surge",
            "political_cost_curvature",
            "security_threat_weight",
            "norm_threat_weight",
            "norm_crisis_weight",
            "norm_adjust_rate",
            "goal_credibility",
            "spending_norm",
            "norm_strength",
            "defence_goal",
        ),
        f"{_D}test_d4_goal_lever_raises_japan_and_a_goal_at_the_norm_does_not",
    ),
    Claim(
        "C9",
        "External balancing with Australia and India",
        "they are working in robust trilateral and quadrilateral frameworks with Australia and "
        "India",
        "Each partner chooses between standing firm and hedging (D6, logit): threat (power, "
        "proximity, observed coercion) times its belief that the leader stands firm pulls "
        "toward the leader, dependence on the challenger pulls away, Quad institutions bind; "
        "alignment is the smoothed probability of standing firm, capped by autonomy.",
        "Walt 1987; Snyder 1984",
        (
            f"{_A}.Actor.perceive_threat",
            f"{_A}.Partner.firm_gain",
            f"{_A}.Partner.firm_choice",
            f"{_A}.Partner.decide",
            f"{_S}.update_quad",
        ),
        (
            "threat_power_weight",
            "threat_proximity_weight",
            "threat_intent_weight",
            "intent_memory",
            "proximity",
            "alignment_threat_weight",
            "alignment_dependence_weight",
            "trade_dependence",
            "alignment_initial",
            "alignment_affinity",
            "autonomy_cap",
            "alignment_adjust_rate",
            "quad_member",
            "quad_institutionalisation",
            "quad_alignment_weight",
            "quad_institution_weight",
            "cohesion_threat_weight",
            "war_alignment_shift",
        ),
        f"{_T}test_c09_threat_aligns_dependence_hedges",
    ),
    Claim(
        "C10",
        "Allies free-ride on the leader",
        "Washington’s discourse pivoted to more equitable distribution of burden sharing",
        "Security from the coalition's aligned capability is concave (a public good), so an "
        "ally's best-response defence share falls as the rest of the coalition supplies more: "
        "free riding emerges from the D4 payoff.",
        "Olson & Zeckhauser 1966; Sandler & Hartley 2001",
        (
            f"{_A}.TreatyAlly.coalition_others",
            f"{_A}.alliance.burden_utility",
            f"{_A}.alliance.burden_share",
        ),
        ("defence_cost_convexity",),
        f"{_D}test_d4_leader_buildup_lowers_small_allies_shares",
    ),
    Claim(
        "C11",
        "Counter-A2/AD avoids miscalculation",
        "especially counter-A2/AD capabilities, to avoid strategic miscalculation",
        "Counter-A2/AD is a share of coalition spending taken from general capability; it "
        "raises deterrence credibility, makes the red line clearer (smaller belief spread and "
        "signal noise: fewer miscalculated probes) and war costlier; the challenger answers by "
        "shifting probing to cyber.",
        "",
        (
            f"{_S}.escalation_probability",
            f"{_S}.update_deterrence",
            f"{_S}.update_power",
            f"{_A}.challenger.clarity",
            f"{_A}.Challenger.domain_mix_for",
        ),
        (
            "counter_a2ad_share",
            "escalation_a2ad_weight",
            "deterrence_a2ad_weight",
            "red_line_a2ad_clarity",
            "domain_a2ad_cost",
            "a2ad_capability_cost",
        ),
        f"{_W}test_counter_a2ad_lowers_miscalculated_crises",
    ),
    Claim(
        "C12",
        "Cyber attacks as armed attacks under Article 5",
        "Under certain circumstances, cyberattacks are considered armed attacks within Article "
        "5 of the Treaty.",
        "Incidents come in maritime, air and cyber domains; with the Article 5 switch on, "
        "cyber operations are costlier for the challenger (fewer severe attacks), severe "
        "attacks the leader answers raise cohesion, attacks never raise deterrence, and "
        "consultations add crisis hazard.",
        "",
        (
            f"{_S}.update_incidents",
            f"{_S}.cohesion_target",
            f"{_A}.Challenger.domain_mix_for",
            f"{_S}.crisis_hazard",
        ),
        (
            "incident_rate_cyber",
            "cyber_severe_share",
            "article5_cohesion_gain",
            "article5_cyber_cost",
            "article5_crisis_hazard",
        ),
        f"{_T}test_c12_article5_cyber_switch",
    ),
    Claim(
        "C13",
        "Security dilemma: alliance build-up read as containment",
        "the hub-and-spoke alliance architecture rooted in a Cold War mind-set is aimed at "
        "containing Beijing",
        "The challenger's threat perception rises with the coalition's capability growth and "
        "its desired defence share follows (Richardson-style coupling).",
        "Richardson 1960",
        (f"{_A}.Challenger.perceive_threat", f"{_A}.Actor.choose_defence_share"),
        ("coalition_buildup_threat", "challenger_threat_base", "threat_response"),
        f"{_T}test_c13_coalition_buildup_raises_challenger_share",
    ),
    Claim(
        "C14",
        "Geo-economics: TPP exit, CPTPP leadership, BRI",
        "Following Trump’s exit from the TPP, Japan took the lead",
        "With the leader in the TPP, TPP members' effective dependence on the challenger "
        "falls; an ally leading CPTPP restores part of that for CPTPP members (India is in "
        "neither); BRI leverage grows with the challenger's economy; war with the challenger "
        "collapses trade with it. Economic coercion of a dependent partner raises its threat "
        "as well as the payoff of hedging: whether it balances follows from its D6 payoffs.",
        "",
        (
            f"{_A}.Partner.effective_dependence",
            f"{_A}.Partner.coercion",
            f"{_A}.Partner.perceive_threat",
        ),
        (
            "tpp_dependence_offset",
            "cptpp_leadership_share",
            "bri_leverage",
            "war_trade_collapse",
            "tpp_member",
            "cptpp_member",
            "economic_coercion",
            "coercion_threat_weight",
            "coercion_relief_weight",
        ),
        f"{_T}test_c14_tpp_exit_and_cptpp_leadership",
    ),
    Claim(
        "C15",
        "The alliance preserves a rules-based order",
        "how potent is the alliance in defending the rules-based liberal order?",
        "Order stability rises with alliance and Quad cohesion and falls with uncontested "
        "coercion, leader retrenchment and war.",
        "",
        (f"{_S}.order_target", f"{_S}.update_order"),
        (
            "order_base",
            "order_cohesion_weight",
            "order_quad_weight",
            "order_coercion_weight",
            "order_retrenchment_weight",
            "order_adjust_rate",
            "war_order_drop",
        ),
        f"{_T}test_c15_cohesion_raises_order_stability",
    ),
)

CLAIMS: dict[str, Claim] = {claim.id: claim for claim in _CLAIMS}
