"""Every named parameter of the model, with its default, bounds, claim and source.

This registry is the single source of truth: the model reads values from it, the scenario
schema validates overrides against its bounds, `lynchpin explain` and docs/model.md quote it.
Claims C1..C15 are those of lynchpin/model/claims.py, drawn from Titli Basu, "The US-Japan
Security Treaty at 60" (2020; text in docs/reference/). Values marked "assumption" are
modelling judgements, not data.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace


@dataclass(frozen=True)
class Param:
    """A named, bounded, documented model parameter."""

    name: str
    default: float
    low: float
    high: float
    claim: str
    source: str
    doc: str


# The one value of defence_share_desired that means "the observed 2020 share" (for actors
# without a calibrated anchor, e.g. new actors in a scenario). Other negative values are errors.
USE_OBSERVED_SHARE = -1.0
# Parameters where that sentinel is allowed (spending_norm's -1 means defence_share_desired).
SENTINEL_PARAMS = ("defence_share_desired", "spending_norm")


def value_problem(name: str, value: float) -> str:
    """'' if value is allowed for parameter name, else why not (bounds, and the one sentinel)."""
    p = param(name)
    if not p.low - 1e-12 <= value <= p.high + 1e-12:
        return f"{name} = {value:g} is outside its range {p.low:g}..{p.high:g}"
    if name in SENTINEL_PARAMS and value < 0 and value != USE_OBSERVED_SHARE:
        return (
            f"{name} = {value:g}: use a share in 0..{p.high:g}, or exactly "
            f"{USE_OBSERVED_SHARE:g} for the observed 2020 share"
        )
    return ""


def _p(name: str, default: float, low: float, high: float, claim: str, source: str, doc: str):
    return Param(name, default, low, high, claim, source, doc)


# Parameters shared by the whole system (one value per run).
GLOBAL_PARAMS: tuple[Param, ...] = (
    _p(
        "depreciation",
        0.08,
        0.0,
        0.5,
        "C1",
        "assumption: military capital lasts ~12 years",
        "Annual depreciation of the capability stock fed by defence spending.",
    ),
    _p(
        "output_gap_persistence",
        0.8,
        0.0,
        1.0,
        "C1",
        "assumption: lower end of standard quarterly output-gap AR(1) estimates (~0.8-0.9)",
        "Quarterly AR(1) persistence of the output gap; random and recession shocks decay "
        "at this rate, so lost output comes back (1: shocks are permanent level shifts).",
    ),
    _p(
        "power_gdp_weight",
        0.5,
        0.0,
        1.0,
        "C1",
        "Organski & Kugler (1980) use output; CINC mixes",
        "Weight of GDP (vs capability) in the power index P = GDP^w * K^(1-w).",
    ),
    _p(
        "crisis_base_hazard",
        0.6,
        0.0,
        5.0,
        "C2",
        "power transition (Organski & Kugler 1980)",
        "Annual crisis hazard at exact parity between challenger and coalition.",
    ),
    _p(
        "crisis_parity_width",
        0.35,
        0.05,
        2.0,
        "C2",
        "assumption: hazard above half its peak for r in ~[0.71, 1.29], a little wider than "
        "the power-transition risk window r in [0.8, 1.2]",
        "Width sigma of the hazard bump exp(-((r-1)/sigma)^2) around parity.",
    ),
    _p(
        "crisis_dissatisfaction_weight",
        1.0,
        0.0,
        5.0,
        "C2",
        "power transition: (1 + beta*D)",
        "How much challenger dissatisfaction multiplies the parity hazard.",
    ),
    _p(
        "crisis_grayzone_hazard",
        0.15,
        0.0,
        2.0,
        "C4",
        "assumption: ~1 crisis per decade in 2020",
        "Annual crisis hazard per unit of gray-zone intensity (sub-threshold friction).",
    ),
    _p(
        "escalation_base",
        0.045,
        0.0,
        1.0,
        "C4",
        "assumption, set so that ~10% of baseline worlds are at war by 2035 (the previous "
        "model's cumulative risk, 12%, was a guess too)",
        "Probability that a crisis in which the leader stands firm becomes a war, before "
        "private information, power shift and the costs of war (D2).",
    ),
    _p(
        "escalation_deterrence_weight",
        0.6,
        0.0,
        1.0,
        "C4/C11",
        "deterrence by denial",
        "Share of escalation probability removed by full deterrence credibility.",
    ),
    _p(
        "escalation_a2ad_weight",
        1.5,
        0.0,
        3.0,
        "C11",
        "article: counter-A2/AD avoids miscalculation",
        "Escalation probability falls by this times the counter-A2/AD share (war is costlier).",
    ),
    _p(
        "counter_a2ad_share",
        0.10,
        0.0,
        0.5,
        "C11",
        "assumption: ~10% of coalition spending",
        "Share of coalition defence spending on counter-A2/AD capabilities.",
    ),
    _p(
        "deterrence_a2ad_weight",
        1.0,
        0.0,
        3.0,
        "C11",
        "article: counter-A2/AD credibility",
        "Deterrence credibility rises by this times the counter-A2/AD share.",
    ),
    _p(
        "grayzone_benefit",
        0.12415,
        0.0,
        2.0,
        "C4",
        "assumption, set so the settled 2020 intensity (the D1 choice) is ~0.49 (0.4915, on "
        "which the incident rates are calibrated)",
        "Gain the challenger expects from sub-threshold coercion, before dissatisfaction.",
    ),
    _p(
        "grayzone_dissatisfaction_weight",
        2.0,
        0.0,
        5.0,
        "C2/C4",
        "power transition: dissatisfied powers probe more",
        "Gain from coercion rises by this times the challenger's dissatisfaction.",
    ),
    _p(
        "grayzone_distraction_weight",
        1.5,
        0.0,
        5.0,
        "C3",
        "article: 'tactical opportunity'",
        "Gain from coercion rises by this times the leader's distraction (1 - attention).",
    ),
    _p(
        "grayzone_cost_base",
        0.2,
        0.01,
        2.0,
        "C4",
        "assumption",
        "Cost of coercion independent of deterrence (reputation, economic).",
    ),
    _p(
        "grayzone_deterrence_cost",
        0.6,
        0.0,
        5.0,
        "C4",
        "deterrence raises the price of probing",
        "Cost of coercion per unit of deterrence credibility.",
    ),
    _p(
        "incident_rate_maritime",
        14.8,
        0.0,
        500.0,
        "C4/C12",
        "calibrated on 2015-2019, docs/calibration.md (Senkaku territorial-sea days)",
        "Expected maritime incidents per quarter at intensity 1.",
    ),
    _p(
        "incident_rate_air",
        329.1,
        0.0,
        2000.0,
        "C4/C12",
        "calibrated on 2015-2019, docs/calibration.md (JASDF scrambles vs China)",
        "Expected air incidents (intercepts) per quarter at intensity 1.",
    ),
    _p(
        "incident_rate_cyber",
        12.0,
        0.0,
        500.0,
        "C12",
        "assumption: no public count",
        "Expected notable cyber incidents per quarter at intensity 1.",
    ),
    _p(
        "cyber_severe_share",
        0.05,
        0.0,
        1.0,
        "C12",
        "assumption",
        "Share of cyber incidents severe enough to be read as an armed attack.",
    ),
    _p(
        "article5_cohesion_gain",
        0.15,
        0.0,
        1.0,
        "C12",
        "2019 2+2: cyber can be an armed attack",
        "Cohesion target gain per recent severe cyber incident when Article 5 covers cyber.",
    ),
    _p(
        "article5_crisis_hazard",
        0.4,
        0.0,
        5.0,
        "C12",
        "assumption: consultation can become crisis",
        "Annual crisis hazard per severe cyber incident when Article 5 covers cyber.",
    ),
    _p(
        "hns_cost_plus_50_multiplier",
        3.2,
        1.0,
        10.0,
        "C7",
        "Bolton: $8bn asked vs ~$2.5bn paid",
        "Host-nation-support demand multiple under 'cost plus 50'.",
    ),
    _p(
        "hns_friction_weight",
        0.15,
        0.0,
        1.0,
        "C7",
        "assumption",
        "Friction per unit of excess host-nation-support demand (times hosting weight).",
    ),
    _p(
        "burden_gap_friction_weight",
        0.5,
        0.0,
        2.0,
        "C6",
        "assumption",
        "Friction from the burden gap, per unit of gap relative to the demand.",
    ),
    _p("abandonment_base", 0.1, 0.0, 1.0, "C5", "Snyder (1984)", "Abandonment fear floor."),
    _p(
        "abandonment_commitment_weight",
        0.6,
        0.0,
        2.0,
        "C5",
        "Snyder (1984)",
        "Abandonment fear per unit of missing leader commitment (1 - commitment).",
    ),
    _p(
        "abandonment_friction_weight",
        0.5,
        0.0,
        2.0,
        "C5/C7",
        "Snyder (1984)",
        "Abandonment fear per unit of burden-sharing friction.",
    ),
    _p(
        "abandonment_attention_weight",
        0.3,
        0.0,
        2.0,
        "C5/C3",
        "Snyder (1984)",
        "Abandonment fear per unit of leader distraction.",
    ),
    _p("entrapment_base", 0.1, 0.0, 1.0, "C5", "Snyder (1984)", "Entrapment fear floor."),
    _p(
        "entrapment_crisis_weight",
        0.8,
        0.0,
        5.0,
        "C5",
        "Snyder (1984)",
        "Entrapment fear per unit of recent leader-challenger crises.",
    ),
    _p(
        "entrapment_tension_weight",
        0.3,
        0.0,
        2.0,
        "C5",
        "Snyder (1984)",
        "Entrapment fear per unit of commitment times gray-zone tension.",
    ),
    _p("fear_adjust_rate", 0.3, 0.0, 1.0, "C5", "assumption", "Quarterly adjustment of fears."),
    _p("cohesion_base", 0.45, 0.0, 1.0, "C5/C7", "assumption", "Alliance cohesion floor."),
    _p(
        "cohesion_commitment_weight",
        0.4,
        0.0,
        2.0,
        "C5",
        "assumption",
        "Cohesion per unit of leader commitment.",
    ),
    _p(
        "cohesion_friction_weight",
        0.4,
        0.0,
        2.0,
        "C7",
        "article: America First strains",
        "Cohesion lost per unit of mean ally friction.",
    ),
    _p(
        "cohesion_fear_weight",
        0.3,
        0.0,
        2.0,
        "C5",
        "Snyder (1984)",
        "Cohesion lost per unit of mean abandonment fear.",
    ),
    _p(
        "cohesion_threat_weight",
        0.2,
        0.0,
        2.0,
        "C9",
        "Walt (1987): threat binds allies",
        "Cohesion gained per unit of mean ally threat perception.",
    ),
    _p(
        "cohesion_adjust_rate",
        0.3,
        0.0,
        1.0,
        "C5",
        "assumption",
        "Quarterly adjustment of alliance cohesion.",
    ),
    _p(
        "quad_institutionalisation",
        0.3,
        0.0,
        1.0,
        "C9",
        "article: Quad, trilateral frameworks",
        "How institutionalised the Quad is (0 talk shop, 1 standing body).",
    ),
    _p(
        "quad_institution_weight",
        0.4,
        0.0,
        1.0,
        "C9",
        "assumption",
        "Part of Quad cohesion that depends on institutionalisation (the rest on alignment).",
    ),
    _p(
        "quad_alignment_weight",
        0.25,
        0.0,
        1.0,
        "C9",
        "assumption",
        "Alignment gained by Quad members per unit of institutionalisation.",
    ),
    _p(
        "threat_power_weight",
        0.6,
        0.0,
        2.0,
        "C9",
        "Walt (1987): aggregate power",
        "Threat per unit of the challenger's share of total power.",
    ),
    _p(
        "threat_proximity_weight",
        0.3,
        0.0,
        2.0,
        "C9",
        "Walt (1987): proximity",
        "Threat per unit of proximity to the challenger.",
    ),
    _p(
        "threat_intent_weight",
        0.4,
        0.0,
        2.0,
        "C9",
        "Walt (1987): perceived intent",
        "Threat per unit of observed coercion (realised incidents / capacity).",
    ),
    _p(
        "intent_memory",
        0.3,
        0.0,
        1.0,
        "C9",
        "assumption",
        "Weight of this quarter's incidents in the remembered intent.",
    ),
    _p(
        "alignment_threat_weight",
        0.6,
        0.0,
        2.0,
        "C9",
        "Walt (1987)",
        "Alignment with the leader per unit of threat perception.",
    ),
    _p(
        "alignment_dependence_weight",
        0.8,
        0.0,
        3.0,
        "C9/C14",
        "hedging literature",
        "Alignment lost per unit of effective economic dependence on the challenger.",
    ),
    _p(
        "alignment_reliability_weight",
        0.5,
        0.0,
        2.0,
        "C5/C9",
        "assumption: hedging when the leader is less reliable (Snyder 1984 abandonment; "
        "hedging literature); actors.csv affinities offset its 2020 value (0.5 x 0.2 = 0.1)",
        "Alignment lost per unit of missing leader commitment (1 - commitment); partners and "
        "treaty allies hedge against a leader that may not come to their aid.",
    ),
    _p(
        "alignment_entrapment_weight",
        0.2,
        0.0,
        2.0,
        "C5",
        "Snyder (1984)",
        "Alignment lost per unit of entrapment fear (treaty allies).",
    ),
    _p(
        "alignment_adjust_rate",
        0.1,
        0.0,
        1.0,
        "C9",
        "assumption: alignment moves slowly",
        "Quarterly adjustment of alignment.",
    ),
    _p(
        "tpp_dependence_offset",
        0.10,
        0.0,
        1.0,
        "C14",
        "assumption (size); article: TPP as economic anchor",
        "Effective dependence removed when the leader is in TPP.",
    ),
    _p(
        "cptpp_leadership_share",
        0.5,
        0.0,
        1.0,
        "C14",
        "assumption (size); article: Japan leads CPTPP",
        "Part of the TPP offset restored when an ally leads CPTPP.",
    ),
    _p(
        "bri_leverage",
        0.3,
        0.0,
        2.0,
        "C14",
        "article: BRI and institutional statecraft",
        "Dependence added per unit of the challenger's GDP growth since the start.",
    ),
    _p(
        "threat_response",
        0.015,
        0.0,
        0.2,
        "C8/C13",
        "Richardson (1960) reaction coefficient",
        "Change of the desired defence share per unit of threat change.",
    ),
    _p(
        "coalition_buildup_threat",
        1.0,
        0.0,
        5.0,
        "C13",
        "security dilemma; Richardson (1960)",
        "Challenger threat per log-unit of coalition capability growth.",
    ),
    _p(
        "challenger_threat_base",
        0.5,
        0.0,
        1.0,
        "C13",
        "assumption: 2020 reading of containment",
        "Challenger threat perception before any coalition build-up since the start.",
    ),
    _p(
        "share_adjust_rate",
        0.08,
        0.0,
        1.0,
        "C8",
        "budget inertia: ~2 years to close half",
        "Quarterly share of the gap between desired and planned defence spending (both per "
        "unit of potential GDP) closed.",
    ),
    _p(
        "dissatisfaction_base",
        0.3,
        0.0,
        1.0,
        "C2",
        "article: 'reformist order-shaper'",
        "Challenger dissatisfaction floor.",
    ),
    _p(
        "dissatisfaction_ratio_weight",
        0.6,
        0.0,
        2.0,
        "C2",
        "power transition",
        "Dissatisfaction per unit of power ratio (challenger / coalition).",
    ),
    _p(
        "dissatisfaction_adjust_rate",
        0.1,
        0.0,
        1.0,
        "C2",
        "assumption",
        "Quarterly adjustment of dissatisfaction.",
    ),
    _p(
        "commitment_adjust_rate",
        0.5,
        0.0,
        1.0,
        "C5",
        "assumption: policy signals land within ~2 quarters",
        "Quarterly adjustment of leader commitment toward its (shockable) base.",
    ),
    _p(
        "attention_persistence",
        0.5,
        0.0,
        1.0,
        "C3",
        "assumption",
        "Share of last quarter's attention kept (AR(1)).",
    ),
    _p("order_base", 0.3, 0.0, 1.0, "C15", "assumption", "Order stability floor."),
    _p(
        "order_cohesion_weight",
        0.35,
        0.0,
        2.0,
        "C15",
        "article: alliance preserves the order",
        "Order stability per unit of alliance cohesion.",
    ),
    _p(
        "order_quad_weight",
        0.2,
        0.0,
        2.0,
        "C15",
        "article: multilateral frameworks",
        "Order stability per unit of Quad cohesion.",
    ),
    _p(
        "order_coercion_weight",
        0.5,
        0.0,
        2.0,
        "C15",
        "article: coercion erodes rules",
        "Order stability lost per unit of uncontested coercion G*(1-deterrence).",
    ),
    _p(
        "order_retrenchment_weight",
        0.3,
        0.0,
        2.0,
        "C15",
        "article: forward presence (Nye 1995)",
        "Order stability lost per unit of missing leader commitment.",
    ),
    _p(
        "order_adjust_rate",
        0.2,
        0.0,
        1.0,
        "C15",
        "assumption",
        "Quarterly adjustment of order stability.",
    ),
    _p(
        "crisis_extra_hazard",
        0.0,
        0.0,
        20.0,
        "C4",
        "scenario shocks (e.g. Taiwan Strait)",
        "Additional annual crisis hazard, normally zero; timed shocks raise it.",
    ),
    _p(
        "memory_rate",
        0.25,
        0.0,
        1.0,
        "C5/C12",
        "assumption: ~1 year memory",
        "Weight of this quarter in remembered crises and severe cyber incidents.",
    ),
    # -- issue 10, D7: US administrations as regimes (lynchpin/agents/administration.py) ---
    # Each is the transactional-minus-engaged difference; while a world's administration
    # differs from its 2020 one, the shift applies (the other values describe 2020).
    _p(
        "transactional_attention_shift",
        -0.1,
        -0.5,
        0.5,
        "C3",
        "assumption: America First draws attention to trade and home (article: 'America First')",
        "Change of the leader's attention base under a transactional administration.",
    ),
    _p(
        "transactional_commitment_shift",
        -0.1,
        -0.5,
        0.5,
        "C5",
        "assumption: the article's doubts about US commitment under America First",
        "Change of the leader's commitment base under a transactional administration.",
    ),
    _p(
        "transactional_burden_demand_shift",
        0.01,
        -0.05,
        0.05,
        "C6",
        "assumption: a transactional leader asks ~1 point of GDP more (3% vs NATO's 2%)",
        "Change of the defence share the leader asks of allies under a transactional "
        "administration.",
    ),
    _p(
        "transactional_hns_demand",
        0.5,
        -0.9,
        5.0,
        "C7",
        "assumption: host-nation-support demands as 'cost plus' bargaining stance",
        "Relative rise of the host-nation-support demand under a transactional administration "
        "(0.5: asks 50% more than an engaged one).",
    ),
    _p(
        "transactional_trade_disengagement",
        0.5,
        0.0,
        1.0,
        "C14",
        "assumption: TPP exit (2017) and tariffs; the article: TPP as an economic anchor",
        "Share of the trade-agreement relief of partners' dependence on the challenger that a "
        "transactional administration forgoes.",
    ),
)

# --- issue 11: strategic challenger, crises as bargaining, war, learned resolve (D1-D3) -------
# Every value below is an assumption unless its source says otherwise; docs/model.md gives the
# suggested prior of each.
STRATEGIC_PARAMS: tuple[Param, ...] = (
    _p(
        "red_line_base",
        1.2,
        0.1,
        5.0,
        "C4",
        "assumption: with 2020 deterrence (~0.44) the red line is ~0.77, above the 2020 "
        "intensity (0.49): 'below the level of armed conflict'",
        "The coalition's red line (intensity that draws a firm response) at zero deterrence.",
    ),
    _p(
        "red_line_deterrence_weight",
        1.0,
        0.0,
        5.0,
        "C4/C11",
        "Schelling (1966): a credible coalition tolerates less",
        "log red line falls by this per unit of deterrence credibility.",
    ),
    _p(
        "red_line_uncertainty",
        0.35,
        0.01,
        2.0,
        "C4/C11",
        "assumption: the red line is known to within about +/-40% (one sd, log scale)",
        "sd of the log red line's private part across worlds, and the challenger's prior sd.",
    ),
    _p(
        "red_line_a2ad_clarity",
        2.0,
        0.0,
        10.0,
        "C11",
        "article: counter-A2/AD 'to avoid strategic miscalculation'",
        "Red-line uncertainty and signal noise are divided by 1 + this x counter_a2ad_share.",
    ),
    _p(
        "red_line_signal_noise",
        0.15,
        0.01,
        1.0,
        "C4",
        "assumption: responses near the line are a matter of judgement",
        "Fuzziness of the response: P(answer | g) = Phi((ln g - ln red line) / noise).",
    ),
    _p(
        "red_line_response_cost",
        0.05,
        0.0,
        5.0,
        "C4",
        "assumption (brinkmanship, Schelling 1966)",
        "Cost to the challenger of a firm response to a probe, times its belief the leader "
        "stands firm.",
    ),
    _p(
        "red_line_crisis_probability",
        0.3,
        0.0,
        1.0,
        "C4",
        "assumption: a third of answered probes turn into a crisis",
        "Probability that a probe answered by a firm response becomes a crisis.",
    ),
    _p(
        "grayzone_change_cost",
        0.4,
        0.0,
        10.0,
        "C4",
        "assumption: campaigns take a few quarters to scale (inertia as a cost)",
        "Quadratic cost of changing intensity from last quarter's level.",
    ),
    _p(
        "domain_opportunity_weight",
        1.0,
        0.0,
        5.0,
        "C3/C12",
        "FY2020: Senkaku contiguous-zone days rose while JASDF scrambles fell (MOD, JCG)",
        "Maritime presence gains this (log effort) per unit of leader distraction.",
    ),
    _p(
        "domain_air_deterrence_cost",
        1.5,
        0.0,
        5.0,
        "C4/C12",
        "assumption: intercepts make air probing costly",
        "Air activity loses this (log effort) per unit of deterrence above its 2020 level.",
    ),
    _p(
        "domain_a2ad_cost",
        1.0,
        0.0,
        5.0,
        "C11",
        "assumption: the challenger answers counter-A2/AD by probing elsewhere (cyber)",
        "Maritime and air probing lose this (log effort) per unit of counter-A2/AD share "
        "above its default.",
    ),
    _p(
        "article5_cyber_cost",
        1.0,
        0.0,
        5.0,
        "C12",
        "2019 2+2: a severe cyber attack may be an armed attack, so it is costlier",
        "Cyber operations lose this (log effort) when Article 5 covers cyber.",
    ),
    _p(
        "escalation_information_weight",
        1.0,
        0.0,
        10.0,
        "C2/C11",
        "Fearon (1995): private information",
        "War given a firm crisis rises by this per unit of the challenger's belief spread "
        "(sd of log red line + sd of resolve belief).",
    ),
    _p(
        "escalation_power_shift_weight",
        10.0,
        0.0,
        50.0,
        "C2",
        "Powell (2006): war as a commitment problem",
        "War given a firm crisis rises by this per unit of the annual rate of power shift "
        "|d ln(power ratio)/dt|.",
    ),
    _p(
        "power_shift_memory",
        0.1,
        0.01,
        1.0,
        "C2",
        "assumption: the shift is judged over ~2.5 years",
        "Weight of this quarter in the smoothed rate of power shift.",
    ),
    _p(
        "war_trade_collapse",
        0.8,
        0.0,
        1.0,
        "C14",
        "assumption: wartime sanctions and blockade",
        "Share of dependence on the challenger that war removes.",
    ),
    _p(
        "war_budget_surge",
        0.02,
        0.0,
        0.1,
        "C8/C13",
        "assumption: ~2 points of GDP in the first years of a major war",
        "Defence share of GDP added to desired spending and to the ceiling at war.",
    ),
    _p(
        "war_alignment_shift",
        0.2,
        0.0,
        1.0,
        "C9",
        "Walt (1987): balancing against an attacker",
        "Alignment target gain of partners and allies at war.",
    ),
    _p(
        "war_order_drop",
        0.3,
        0.0,
        1.0,
        "C15",
        "assumption",
        "Order-stability target loss in a world at war.",
    ),
    _p(
        "resolve_attention_weight",
        0.5,
        0.0,
        1.0,
        "C3/C5",
        "assumption: a distracted leader is less likely to stand firm",
        "P(firm) = commitment (1 - w (1 - attention)) (1 - penalty x administration).",
    ),
    _p(
        "resolve_transactional_penalty",
        0.3,
        0.0,
        1.0,
        "C5/C7",
        "assumption: a transactional administration stands firm less often",
        "Share of P(firm) lost under a transactional administration (D7).",
    ),
    _p(
        "resolve_prior_mean",
        0.8,
        0.0,
        1.0,
        "C5",
        "assumption: the US stood firm in most post-1995 crises (1996 Taiwan Strait)",
        "Prior mean of every observer's belief that the leader stands firm.",
    ),
    _p(
        "resolve_prior_strength",
        5.0,
        0.5,
        100.0,
        "C5",
        "assumption: the prior is worth ~5 observed crises",
        "a + b of the Beta prior on the leader's resolve.",
    ),
    _p(
        "abandonment_belief_weight",
        0.8,
        0.0,
        3.0,
        "C5",
        "Snyder (1984): abandonment fear is doubt about the ally's support",
        "Abandonment fear per unit of resolve belief below its prior mean.",
    ),
    _p(
        "crisis_threat_step",
        0.05,
        0.0,
        0.5,
        "C5/C9",
        "assumption: a crisis in one's theatre leaves a lasting mark (Japan after 2010, "
        "India after Galwan)",
        "Threat perception added by a crisis, times the observer's exposure to its type.",
    ),
    _p(
        "crisis_threat_decay",
        0.05,
        0.0,
        1.0,
        "C5/C9",
        "assumption: half-life ~14 years",
        "Annual decay of the threat left by past crises.",
    ),
    _p(
        "crisis_extra_type",
        1.0,
        1.0,
        4.0,
        "C4",
        "scenario: 1 Taiwan Strait, 2 East China Sea, 3 South China Sea, 4 Sino-Indian border",
        "Type of the crises that crisis_extra_hazard (scripted) adds.",
    ),
    _p(
        "a2ad_capability_cost",
        1.0,
        0.0,
        1.0,
        "C11",
        "assumption: counter-A2/AD is paid for out of general-purpose forces",
        "Share of counter-A2/AD spending lost to the coalition's general capability (power).",
    ),
)

GLOBAL_PARAMS = GLOBAL_PARAMS + STRATEGIC_PARAMS


# --- issue 12: alliance politics as choices (D4 burden-sharing, D5 host-nation support, D6
# firm or hedge, D8 geo-economics; lynchpin/agents/alliance.py) -------------------------------
ALLIANCE_PARAMS: tuple[Param, ...] = (
    _p(
        "defence_cost_convexity",
        100.0,
        0.0,
        1000.0,
        "C10",
        "assumption: the marginal cost of defence doubles from 0 to 1% of GDP (guns vs butter "
        "at rising opportunity cost, Sandler & Hartley 2001)",
        "D4: own cost of a defence share s is s + convexity s^2 / 2 (units: GDP shares).",
    ),
    _p(
        "political_cost_curvature",
        300.0,
        0.0,
        5000.0,
        "C8",
        "assumption: departing 0.1 pp of GDP from the spending norm costs 0.3 of the marginal "
        "economic cost of a unit share",
        "D4: convex domestic political cost (curvature/2) (s - norm)^2 of departing from the "
        "spending norm; it sets how far threat, fear and free riding move a budget.",
    ),
    _p(
        "burden_reward_weight",
        10.0,
        0.0,
        100.0,
        "C6",
        "assumption: closing the whole 2020 gap to the 3% demand is worth about 0.3 of "
        "Japan's marginal cost",
        "D4: the leader's reward (reciprocity) for what counts under its doctrine: the ally "
        "loses (weight/2) x (demand - counted)^2 while short of the demand.",
    ),
    _p(
        "burden_reward_transactional",
        1.0,
        0.0,
        5.0,
        "C6/C14",
        "assumption (D7): a transactional administration ties its favour to contributions",
        "D4: proportional rise of the burden reward weight under a transactional administration.",
    ),
    _p(
        "security_threat_weight",
        2.0,
        0.0,
        10.0,
        "C8",
        "assumption: matches the 2020-2024 rise of allies' shares per unit of threat",
        "D4: proportional rise of an ally's security value per unit of threat above 2020.",
    ),
    _p(
        "norm_threat_weight",
        0.02,
        0.0,
        0.2,
        "C8",
        "assumption: a threat 0.1 above 2020 loosens Japan's norm by 0.2 pp of GDP",
        "D4: the spending norm rises by this share of GDP per unit of threat above 2020.",
    ),
    _p(
        "norm_crisis_weight",
        0.02,
        0.0,
        0.2,
        "C8",
        "assumption: a year of quarterly crises loosens the norm by ~0.5 pp of GDP",
        "D4: the spending norm rises by this share of GDP per unit of remembered crises above "
        "2020.",
    ),
    _p(
        "norm_adjust_rate",
        0.05,
        0.0,
        1.0,
        "C8",
        "assumption: norms move over ~5 years; a loosened norm does not tighten back (Japan "
        "never restored the 1976 cap after 1987)",
        "D4: quarterly adjustment of the spending norm toward its target (upward only).",
    ),
    _p(
        "goal_credibility",
        1.0,
        0.0,
        1.0,
        "C8",
        "assumption: a declared goal (Japan's December 2022 documents) becomes the new norm",
        "D4: share of the distance from the norm to a declared defence_goal over which the "
        "goal replaces the norm as the politically accepted level.",
    ),
    _p(
        "reciprocity_weight",
        0.3,
        0.0,
        2.0,
        "C6",
        "assumption: a gap 10% of the demand wider than in 2020 costs 0.03 of commitment",
        "D4: the leader's commitment to an ally falls by this per unit of relative burden gap "
        "above its 2020 level (and rises below it).",
    ),
    _p(
        "reciprocity_transactional",
        1.0,
        0.0,
        5.0,
        "C6/C14",
        "assumption (D7): transactional administrations condition commitment on contributions",
        "D4: proportional rise of reciprocity_weight under a transactional administration.",
    ),
    _p(
        "hns_reference_payment",
        2.5,
        0.1,
        20.0,
        "C7",
        "reported ~US$2.5bn a year Japan paid before the cost-plus-50 demand of ~US$8bn "
        "(about 3.2 times)",
        "D5: host-nation support a host with host_weight 1 pays in 2020, US$ bn a year.",
    ),
    _p(
        "hns_bargaining_power",
        0.5,
        0.0,
        1.0,
        "C7",
        "assumption: symmetric Nash bargaining",
        "D5: the leader's share of the bargaining surplus (Nash bargaining power).",
    ),
    _p(
        "hns_ally_surplus",
        0.15,
        0.0,
        2.0,
        "C7",
        "calibrated: with power 0.5 the FY2022-26 agreement settled ~7% above the previous one",
        "D5: the most a host would pay above the expiring agreement rather than let talks fail "
        "(its reservation price, share of the old payment at 2020 threat and alignment).",
    ),
    _p(
        "hns_concession_rate",
        0.4,
        0.0,
        1.0,
        "C7",
        "assumption: talks close in ~2 years (2019 demand, December 2021 agreement)",
        "D5: share of the distance to the settlement each side concedes each quarter.",
    ),
    _p(
        "hns_settle_tolerance",
        0.05,
        0.0,
        1.0,
        "C7",
        "assumption",
        "D5: talks settle once ask and offer differ by less than this share of the old payment.",
    ),
    _p(
        "hns_commitment_weight",
        0.1,
        0.0,
        1.0,
        "C7",
        "assumption: withdrawal threats while talks are open",
        "D5: fall of the leader's commitment to a host per unit of open gap (in units of the "
        "reference payment).",
    ),
    _p(
        "firm_hedge_temperature",
        0.15,
        0.01,
        2.0,
        "C5/C9",
        "assumption: matches the 2020 sensitivity of alignment to threat (slope ~0.6)",
        "D6: logit temperature of the choice between standing firm and hedging (utility units).",
    ),
    _p(
        "alignment_abandonment_weight",
        0.6,
        0.0,
        5.0,
        "C5",
        "Snyder (1984): the expected cost of relying on a leader who may not come",
        "D6: cost of standing firm per unit of a treaty ally's abandonment fear.",
    ),
    _p(
        "coercion_threat_weight",
        0.8,
        0.0,
        5.0,
        "C14",
        "Australia 2020-23: tariffs on barley, wine, coal read as a threat",
        "D8: threat added per unit of economic coercion times effective dependence.",
    ),
    _p(
        "coercion_relief_weight",
        0.2,
        0.0,
        5.0,
        "C14",
        "assumption: hedging might end the coercion",
        "D8: gain from hedging per unit of economic coercion times effective dependence.",
    ),
)

# Parameters each actor carries; per-country defaults live in lynchpin/data/actors.csv.
ACTOR_PARAMS: tuple[Param, ...] = (
    _p(
        "growth_trend",
        0.025,
        -0.1,
        0.15,
        "C1",
        "generic: assumption for new actors; country values are 2015-2019 mean real growth "
        "(World Bank, actors.csv)",
        "Trend real GDP growth per year at the start.",
    ),
    _p(
        "growth_trend_drift",
        0.0,
        -0.01,
        0.01,
        "C1",
        "assumption: convergence slows fast growers",
        "Yearly change of the trend growth rate.",
    ),
    _p(
        "growth_volatility",
        0.01,
        0.0,
        0.1,
        "C1",
        "dispersion of 2015-2019 growth (country values calibrated, docs/calibration.md)",
        "Standard deviation of growth of annual means around trend (from output-gap shocks).",
    ),
    _p(
        "output_gap_shock",
        0.0,
        -0.5,
        0.5,
        "C1",
        "scenario shocks (alias recession), e.g. the 2020 pandemic",
        "Log points added to the output gap in each quarter a scenario shock sets it.",
    ),
    _p(
        "defence_share_desired",
        -1.0,
        -1.0,
        0.2,
        "C8",
        "generic: -1 = the actor's SIPRI 2020 share (new actors); the five shipped actors use "
        "their 2015-2019 mean (calibrated, docs/calibration.md)",
        "Desired defence spending per unit of potential GDP before threat terms: a share in "
        "0..0.2, or exactly -1 for the observed 2020 share (other negative values are "
        "rejected).",
    ),
    _p(
        "defence_ceiling",
        0.06,
        0.0,
        0.2,
        "C8",
        "generic: no legal limit binds a shipped actor (the US peaked near 6% in the mid-1980s, "
        "SIPRI); Japan's ~1% is a norm with a political cost (spending_norm, norm_strength), "
        "not a cap",
        "Hard legal limit on the defence share of GDP that a scenario may impose (e.g. a "
        "statutory cap); budgets never exceed it. Normally it binds in no world.",
    ),
    _p(
        "proximity",
        0.5,
        0.0,
        1.0,
        "C9",
        "Walt (1987): geographic proximity",
        "Closeness to the challenger (1 = neighbour with disputes).",
    ),
    _p(
        "trade_dependence",
        0.1,
        0.0,
        1.0,
        "C9/C14",
        "generic: assumption for new actors; country values: ~2020 share of goods exports to "
        "China (actors.csv)",
        "Economic dependence on the challenger.",
    ),
    _p(
        "alignment_initial",
        0.5,
        0.0,
        1.0,
        "C9",
        "assumption, 2020 reading",
        "Alignment with the leader at the start.",
    ),
    _p(
        "alignment_affinity",
        0.5,
        -1.0,
        1.0,
        "C9",
        "assumption (values, history)",
        "Alignment the actor would have without threat or dependence.",
    ),
    _p(
        "autonomy_cap",
        1.0,
        0.0,
        1.0,
        "C9",
        "article: India's strategic autonomy",
        "Upper bound on alignment with the leader.",
    ),
    _p(
        "quad_member",
        0.0,
        0.0,
        1.0,
        "C9",
        "Quad: USA, Japan, Australia, India",
        "1 if the actor is a Quad member.",
    ),
    _p(
        "non_defence_contribution",
        0.0,
        0.0,
        0.05,
        "C6",
        "ODA + peacekeeping, share of GDP",
        "Contributions counted under diffused reciprocity.",
    ),
    _p(
        "host_weight",
        0.0,
        0.0,
        1.0,
        "C7",
        "size of US forces hosted (Japan 1)",
        "How much host-nation-support demands fall on this actor.",
    ),
    _p(
        "grayzone_drive",
        1.0,
        0.0,
        5.0,
        "C3/C4",
        "scenario shocks",
        "Multiplier on the challenger's gain from coercion (assertiveness).",
    ),
    _p("attention_base", 1.0, 0.0, 1.0, "C3", "index: 1 = full attention", "Leader attention."),
    _p(
        "attention_volatility",
        0.03,
        0.0,
        0.5,
        "C3",
        "assumption",
        "Quarterly noise of leader attention.",
    ),
    _p(
        "commitment_base",
        0.8,
        0.0,
        1.0,
        "C5",
        "assumption: firm but questioned in 2020",
        "Leader commitment to allies.",
    ),
    _p(
        "burden_demand",
        0.03,
        0.0,
        0.1,
        "C6",
        "article: US urges ~3% of GNP",
        "Defence share of GDP the leader asks of each treaty ally.",
    ),
)


# --- issue 12: actor parameters of the alliance decisions ------------------------------------
ALLIANCE_ACTOR_PARAMS: tuple[Param, ...] = (
    _p(
        "spending_norm",
        -1.0,
        -1.0,
        0.2,
        "C8",
        "-1 = the actor's defence_share_desired (its 2015-2019 mean): Japan's ~1% norm as "
        "SIPRI measures it (0.95%)",
        "D4: the defence share domestic politics accepts in 2020 (the reference point of the "
        "political cost); -1 for defence_share_desired.",
    ),
    _p(
        "norm_strength",
        0.0,
        0.0,
        10.0,
        "C8",
        "Japan 1.0 (actors.csv): calibrated so that without its norm Japan's 2020 optimum is "
        "near its 2022 goal of 2%",
        "D4: extra marginal political cost of spending above the norm (a kink: spending "
        "sticks at the norm).",
    ),
    _p(
        "defence_goal",
        0.0,
        0.0,
        0.2,
        "C8",
        "policy lever: Japan's December 2022 goal was 0.02 (2% of GDP by FY2027)",
        "D4: a declared defence share; up to it the goal replaces the norm (0 = none).",
    ),
    _p(
        "tpp_member",
        0.0,
        0.0,
        1.0,
        "C14",
        "TPP signatories 2016: USA, Japan, Australia (not India, not China)",
        "D8: 1 if the actor is in the TPP (the leader's agreement).",
    ),
    _p(
        "cptpp_member",
        0.0,
        0.0,
        1.0,
        "C14",
        "CPTPP 2018: Japan, Australia (not the USA, India or China)",
        "D8: 1 if the actor is in the CPTPP.",
    ),
    _p(
        "economic_coercion",
        0.0,
        0.0,
        1.0,
        "C14",
        "scenario shocks (e.g. China's 2020-23 trade measures against Australia)",
        "D8: intensity of the challenger's economic coercion of this actor (0 none, 1 full).",
    ),
)

GLOBAL_PARAMS = GLOBAL_PARAMS + ALLIANCE_PARAMS
ACTOR_PARAMS = ACTOR_PARAMS + ALLIANCE_ACTOR_PARAMS

_BY_NAME = {p.name: p for p in GLOBAL_PARAMS + ACTOR_PARAMS}


def param(name: str) -> Param:
    """Look up a parameter by name (KeyError if unknown)."""
    return _BY_NAME[name]


def global_defaults() -> dict[str, float]:
    """Default values of all global parameters."""
    return {p.name: p.default for p in GLOBAL_PARAMS}


def actor_param_names() -> tuple[str, ...]:
    return tuple(p.name for p in ACTOR_PARAMS)


def as_namespace(values: dict[str, float]) -> SimpleNamespace:
    """Attribute access is faster and clearer than dict lookups in the step loop."""
    return SimpleNamespace(**values)
