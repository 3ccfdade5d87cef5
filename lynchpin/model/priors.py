"""The prior of every registry parameter: a shape, a width and why (one place).

A prior is centred on the value the model would otherwise use (the registry default, or an
actor's own value from lynchpin/data/actors.csv), so `uncertainty: priors` widens a run around
its fixed-parameter version instead of moving it. Calibrated parameters take their width from
the fit (lynchpin/data/calibration.csv, docs/calibration.md); assumptions get wide priors;
switches, scenario levers and data that are known at the model's precision are point masses.
Every distribution is truncated to the parameter's registry bounds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from lynchpin.model.config import ModelConfig, ParameterUncertainty
from lynchpin.model.distributions import Distribution
from lynchpin.model.parameters import USE_OBSERVED_SHARE, param


@dataclass(frozen=True)
class Prior:
    """How a parameter's uncertainty is spread around its value.

    shape: "triangular" (relative half-width `width`, or the factors `span` = (low, high) of
    the value), "normal" (sd = width * |value|, or width itself when absolute), "lognormal"
    (sigma of log = width, median = value), "beta" (mean = value, a + b = width), "fixed"
    (a point mass: not drawn), "switch" (a 0/1 switch: never drawn, and a distribution on it
    is an error).
    """

    shape: str
    width: float
    reasoning: str
    span: tuple[float, float] | None = None
    absolute: bool = False

    @property
    def drawn(self) -> bool:
        return self.shape not in ("fixed", "switch")

    def distribution(self, name: str, value: float) -> Distribution | None:
        """This prior around `value`, truncated to the bounds of parameter `name` (None: fixed)."""
        p = param(name)
        low, high = p.low, p.high
        if not self.drawn or (name == "defence_share_desired" and value == USE_OBSERVED_SHARE):
            return None
        if self.shape == "triangular":
            lo_f, hi_f = self.span or (1.0 - self.width, 1.0 + self.width)
            spread = abs(value)
            lo = _tidy(min(max(value - (1.0 - lo_f) * spread, low), value))
            hi = _tidy(max(min(value + (hi_f - 1.0) * spread, high), value))
            if hi - lo <= 0:
                return None
            return Distribution("triangular", (lo, value, hi), low, high)
        if self.shape == "normal":
            sd = _tidy(self.width if self.absolute else self.width * abs(value))
            return Distribution("normal", (value, sd), low, high) if sd > 0 else None
        if self.shape == "lognormal":
            if value <= 0:
                return None
            return Distribution("lognormal", (value, self.width), low, high)
        if self.shape == "beta":
            mean = min(max(value, 1e-3), 1.0 - 1e-3)
            return Distribution("beta", (mean * self.width, (1 - mean) * self.width), low, high)
        raise ValueError(f"unknown prior shape {self.shape!r}")

    def describe(self) -> str:
        """The shape in words, relative to the value (for tables)."""
        if self.shape == "triangular":
            if self.span:
                return f"triangular x[{self.span[0]:g}, 1, {self.span[1]:g}]"
            return f"triangular ±{self.width:.0%}"
        if self.shape == "normal":
            return f"normal sd {self.width:g}" if self.absolute else f"normal sd {self.width:.0%}"
        if self.shape == "lognormal":
            return f"lognormal sigma {self.width:g}"
        if self.shape == "beta":
            return f"beta a+b={self.width:g}"
        return "point mass" if self.shape == "fixed" else "switch (0/1)"


def _tidy(value: float) -> float:
    """12 significant digits, so `lynchpin show` prints 0.0077, not 0.0076999999999999985."""
    return float(f"{value:.12g}")


def _tri(width: float, why: str, span: tuple[float, float] | None = None) -> Prior:
    return Prior("triangular", width, why, span)


_ASSUMED = (
    "assumption with no data behind its size: triangular at ±50% of the value, the range "
    "within which the issue measured sign changes of results"
)
_THEORY = (
    "form from the cited theory, size not estimated: triangular at ±30% of the value "
    "(narrower than a bare assumption because the sign and order of magnitude are sourced)"
)
_RATE = (
    "an adjustment speed in 0..1: Beta with its mean at the value and a+b = 20 (sd ~0.1 at "
    "0.5), i.e. 'within a few quarters' vs 'over a few years' stays open"
)
_REACTION = (
    "a reaction coefficient with a sourced form (Richardson 1960; Olson & Zeckhauser 1966) "
    "but no estimate for these five states: lognormal, sigma 0.5 (a factor ~2.3 each way "
    "in a 90% band)"
)
_LEVER = (
    "scenario lever: its baseline value is what 'no shock' means; scenarios and shocks move "
    "it (point mass)"
)

THEORY, ASSUMED, RATE = _tri(0.3, _THEORY), _tri(0.5, _ASSUMED), Prior("beta", 20.0, _RATE)
REACTION = Prior("lognormal", 0.5, _REACTION)

PRIORS: dict[str, Prior] = {
    # -- C1 economy and power ------------------------------------------------------------
    "depreciation": _tri(
        0.25, "military capital service lives of ~10-17 years: triangular ±25% (0.06-0.10/yr)"
    ),
    "output_gap_persistence": Prior(
        "beta", 40.0, "quarterly output-gap AR(1) estimates run 0.8-0.9: Beta mean 0.8, a+b = 40"
    ),
    "power_gdp_weight": Prior(
        "beta",
        10.0,
        "Organski & Kugler weigh output only (1), CINC mixes (~0.5): a wide Beta, a+b = 10",
    ),
    # -- C2 crises -----------------------------------------------------------------------
    "crisis_base_hazard": Prior(
        "lognormal",
        0.5,
        "a rate with no crisis count to fit it on: lognormal sigma 0.5 around the value",
    ),
    "crisis_parity_width": THEORY,
    "crisis_dissatisfaction_weight": ASSUMED,
    "crisis_grayzone_hazard": Prior(
        "lognormal", 0.5, "'~1 crisis per decade in 2020' is a judgement: lognormal sigma 0.5"
    ),
    "escalation_base": Prior(
        "beta",
        30.0,
        "a probability set by judgement (~10% of worlds at war by 2035 in the baseline): "
        "Beta mean at the value (0.045), a+b = 30 (90% band ~0.005-0.11)",
    ),
    "escalation_deterrence_weight": Prior(
        "beta", 10.0, "a share of risk removed, sourced form (denial) but no estimate: a+b = 10"
    ),
    "escalation_a2ad_weight": THEORY,
    "counter_a2ad_share": ASSUMED,
    "deterrence_a2ad_weight": THEORY,
    # -- C3/C4 gray zone -------------------------------------------------------------------
    "grayzone_benefit": _tri(
        0.2,
        "set so the settled 2020 intensity is ~0.49, on which the calibrated incident rates "
        "rest: ±20%, about the standard error of those incident means (9-18%)",
    ),
    "grayzone_dissatisfaction_weight": ASSUMED,
    "grayzone_distraction_weight": ASSUMED,
    "grayzone_cost_base": ASSUMED,
    "grayzone_deterrence_cost": THEORY,
    "incident_rate_maritime": Prior(
        "normal",
        0.18,
        "calibrated (docs/calibration.md): standard error of a 3-year mean, 8.9/sqrt(3)/29 = 18%",
    ),
    "incident_rate_air": Prior(
        "normal",
        0.09,
        "calibrated (docs/calibration.md): standard error of a 5-year mean, 132.2/sqrt(5)/647 = 9%",
    ),
    "incident_rate_cyber": Prior(
        "lognormal", 0.7, "no public count: lognormal sigma 0.7 (a factor ~3 in a 90% band)"
    ),
    "cyber_severe_share": Prior("beta", 20.0, "a share set by assumption: Beta, a+b = 20"),
    "article5_cohesion_gain": ASSUMED,
    "article5_crisis_hazard": ASSUMED,
    # -- C6/C7 burden sharing --------------------------------------------------------------
    "hns_cost_plus_50_multiplier": _tri(
        0.0,
        "Bolton's $8bn ask against $1.7-2.5bn paid: a multiple of 3.2 to 4.7, triangular "
        "x[0.9, 1, 1.47]",
        span=(0.9, 1.47),
    ),
    "hns_friction_weight": ASSUMED,
    "burden_gap_friction_weight": ASSUMED,
    # -- C5 alliance security dilemma --------------------------------------------------------
    "abandonment_base": THEORY,
    "abandonment_commitment_weight": THEORY,
    "abandonment_friction_weight": THEORY,
    "abandonment_attention_weight": THEORY,
    "entrapment_base": THEORY,
    "entrapment_crisis_weight": THEORY,
    "entrapment_tension_weight": THEORY,
    "fear_adjust_rate": RATE,
    "cohesion_base": ASSUMED,
    "cohesion_commitment_weight": ASSUMED,
    "cohesion_friction_weight": THEORY,
    "cohesion_fear_weight": THEORY,
    "cohesion_threat_weight": THEORY,
    "cohesion_adjust_rate": RATE,
    # -- C9 alignment and the Quad -----------------------------------------------------------
    "quad_institutionalisation": THEORY,
    "quad_institution_weight": ASSUMED,
    "quad_alignment_weight": ASSUMED,
    "threat_power_weight": THEORY,
    "threat_proximity_weight": THEORY,
    "threat_intent_weight": THEORY,
    "intent_memory": RATE,
    "alignment_threat_weight": THEORY,
    "alignment_dependence_weight": THEORY,
    "alignment_reliability_weight": ASSUMED,
    "alignment_entrapment_weight": THEORY,
    "alignment_adjust_rate": RATE,
    # -- C14 geo-economics -------------------------------------------------------------------
    "tpp_dependence_offset": ASSUMED,
    "cptpp_leadership_share": ASSUMED,
    "bri_leverage": THEORY,
    # -- C8/C10/C13 budgets ------------------------------------------------------------------
    "threat_response": REACTION,
    "coalition_buildup_threat": THEORY,
    "challenger_threat_base": ASSUMED,
    "share_adjust_rate": Prior(
        "beta", 20.0, "budget inertia ('~2 years to close half'): Beta mean 0.08, a+b = 20"
    ),
    "dissatisfaction_base": THEORY,
    "dissatisfaction_ratio_weight": THEORY,
    "dissatisfaction_adjust_rate": RATE,
    "commitment_adjust_rate": RATE,
    "attention_persistence": RATE,
    # -- C15 order ---------------------------------------------------------------------------
    "order_base": ASSUMED,
    "order_cohesion_weight": THEORY,
    "order_quad_weight": THEORY,
    "order_coercion_weight": THEORY,
    "order_retrenchment_weight": THEORY,
    "order_adjust_rate": RATE,
    "crisis_extra_hazard": Prior("fixed", 0.0, _LEVER),
    "memory_rate": RATE,
    # -- D7 administrations ------------------------------------------------------------------
    "transactional_attention_shift": ASSUMED,
    "transactional_commitment_shift": ASSUMED,
    "transactional_burden_demand_shift": ASSUMED,
    "transactional_hns_demand": ASSUMED,
    "transactional_trade_disengagement": ASSUMED,
    # -- actor parameters (centred on each actor's own value) --------------------------------
    "growth_trend": Prior(
        "normal",
        0.005,
        "country values are 5-year mean growth: the standard error of such a mean (sd/sqrt(5) "
        "= 0.001-0.007) plus doubt about the next 15 years: normal, sd 0.005/yr",
        absolute=True,
    ),
    "growth_trend_drift": Prior(
        "normal",
        0.001,
        "a drift read from 5 points is imprecise: normal, sd 0.001/yr per year",
        absolute=True,
    ),
    "growth_volatility": Prior(
        "lognormal",
        0.35,
        "calibrated (docs/calibration.md): relative standard error of an sd from 5 years ~35%",
    ),
    "output_gap_shock": Prior("fixed", 0.0, _LEVER),
    "defence_share_desired": Prior(
        "normal",
        0.02,
        "calibrated mean of 5 SIPRI years (docs/calibration.md): standard error of the mean "
        "1.1-2.0% of the value for the five actors; normal sd 2% (new actors at -1 stay fixed)",
    ),
    "defence_ceiling": Prior(
        "fixed",
        0.0,
        "a hard legal limit a scenario may impose (politics is the cost of D4, not this): a "
        "lever, not an uncertainty",
    ),
    "proximity": _tri(0.2, "a geographic index: ±20%"),
    "trade_dependence": Prior(
        "normal",
        0.1,
        "data (~2020 export shares), which move ~10% from year to year: normal sd 10%",
    ),
    "alignment_initial": _tri(0.2, "a 2020 reading by judgement: ±20%"),
    "alignment_affinity": THEORY,
    "autonomy_cap": _tri(0.2, "India's strategic autonomy as a ceiling: ±20% (clipped at 1)"),
    "quad_member": Prior("switch", 0.0, "membership is a fact and a scenario choice (0 or 1)"),
    "non_defence_contribution": Prior(
        "fixed", 0.0, "data (ODA and peacekeeping shares of GDP), known at the model's precision"
    ),
    "host_weight": Prior(
        "fixed", 0.0, "structural: the size of US forces hosted (Japan 1 by definition)"
    ),
    "grayzone_drive": Prior(
        "fixed",
        0.0,
        _LEVER + "; the uncertainty of the gain from coercion is grayzone_benefit's",
    ),
    "attention_base": Prior(
        "fixed",
        0.0,
        "index definition (1 = full attention); its variation comes from attention_volatility "
        "and the administration regime (D7)",
    ),
    "attention_volatility": Prior("lognormal", 0.5, "assumption: lognormal sigma 0.5"),
    "commitment_base": _tri(0.15, "'firm but questioned in 2020': ±15% (0.68-0.92)"),
    "burden_demand": _tri(
        0.0,
        "the article's 'urges ~3% of GNP', bracketed by NATO's 2% goal and later 4-5% asks: "
        "triangular x[2/3, 1, 4/3]",
        span=(2 / 3, 4 / 3),
    ),
}

# -- D1-D3: red line, crises as bargaining, war, beliefs (issue 11) -----------------------
_RED_LINE = (
    "the coalition's red line has no observed level; it is set so the 2020 intensity "
    "(0.49, on which incident rates are calibrated) sits below it: lognormal sigma 0.25 "
    "(90% in ~0.8-1.8 around 1.2)"
)
_WAR = (
    "a consequence of war in a world: its sign follows from the cited models (trade "
    "collapse, budget surge, alignment shift, order drop), its size is a judgement: "
    "triangular ±50%"
)
PRIORS |= {
    "red_line_base": Prior("lognormal", 0.25, _RED_LINE),
    "red_line_deterrence_weight": ASSUMED,
    "red_line_uncertainty": Prior(
        "lognormal",
        0.33,
        "how little the challenger knows of the red line (sd of its log): lognormal sigma 0.33 "
        "(90% in ~0.2-0.6)",
    ),
    "red_line_a2ad_clarity": _tri(
        1.0, "the article says counter-A2/AD avoids miscalculation, not by how much: 0 to 2x"
    ),
    "red_line_signal_noise": Prior(
        "lognormal", 0.45, "fuzziness of responses near the line: lognormal sigma 0.45"
    ),
    "red_line_response_cost": Prior(
        "lognormal",
        0.5,
        "cost to the challenger of a firm response, set with grayzone_benefit so the 2020 "
        "intensity is 0.49: lognormal sigma 0.5",
    ),
    "red_line_crisis_probability": Prior(
        "beta", 10.0, "share of answered probes that become crises: Beta(3, 7), mean 0.3"
    ),
    "grayzone_change_cost": REACTION,
    "domain_opportunity_weight": ASSUMED,
    "domain_air_deterrence_cost": ASSUMED,
    "domain_a2ad_cost": ASSUMED,
    "article5_cyber_cost": ASSUMED,
    "escalation_information_weight": ASSUMED,
    "escalation_power_shift_weight": _tri(
        1.0,
        "Powell (2006) gives the sign of the commitment problem, no size: 0 to 2x the value",
    ),
    "power_shift_memory": RATE,
    "war_trade_collapse": Prior(
        "beta", 10.0, "trade with the enemy collapses in war (Beta(8, 2), mean 0.8)"
    ),
    "war_budget_surge": _tri(0.5, _WAR),
    "war_alignment_shift": _tri(0.5, _WAR),
    "war_order_drop": _tri(0.5, _WAR),
    "resolve_attention_weight": ASSUMED,
    "resolve_transactional_penalty": ASSUMED,
    "resolve_prior_mean": Prior(
        "beta",
        10.0,
        "the 2020 reading of US resolve (firm but questioned): Beta(8, 2), mean 0.8",
    ),
    "resolve_prior_strength": Prior(
        "lognormal",
        0.55,
        "how many crises' worth of evidence the 2020 belief is: lognormal sigma 0.55 "
        "(90% in ~2-12 around 5)",
    ),
    "abandonment_belief_weight": ASSUMED,
    "crisis_threat_step": ASSUMED,
    "crisis_threat_decay": RATE,
    "crisis_extra_type": Prior("switch", 0.0, "which crisis type a scripted crisis is: a choice"),
    "a2ad_capability_cost": _tri(
        0.5,
        "share of counter-A2/AD spending lost to other capability (all of it by default): "
        "triangular 0.5-1 with its mode at the value",
    ),
}

# -- D4-D8: alliance politics as choices (issue 12) ------------------------------------------
_D4 = (
    "a payoff weight of the D4 burden-sharing game, set so Japan's 2020 choice is its "
    "2015-2019 mean share and the norm holds it near 1%; no estimate: lognormal sigma 0.5"
)
PRIORS |= {
    "defence_cost_convexity": REACTION,
    "political_cost_curvature": Prior("lognormal", 0.7, _D4 + " (0.7: the least known)"),
    "burden_reward_weight": Prior("lognormal", 0.7, _D4 + " (0.7: the least known)"),
    "burden_reward_transactional": REACTION,
    "security_threat_weight": REACTION,
    "norm_threat_weight": ASSUMED,
    "norm_crisis_weight": ASSUMED,
    "norm_adjust_rate": Prior(
        "beta", 32.0, "a norm moves over years, not quarters: Beta(2, 30), mean ~0.06"
    ),
    "goal_credibility": _tri(
        0.3, "how far a declared goal is believed at home: 0.7-1, mode at the value (1)"
    ),
    "reciprocity_weight": REACTION,
    "reciprocity_transactional": REACTION,
    "hns_reference_payment": Prior(
        "fixed", 0.0, "data: Japan's host-nation support of ~US$2.5bn a year (SMA FY2016-21)"
    ),
    "hns_bargaining_power": Prior(
        "beta", 10.0, "Nash bargaining power: no side dominates, Beta(5, 5)"
    ),
    "hns_ally_surplus": Prior(
        "lognormal",
        0.5,
        "set so talks settle ~7% above the old agreement (FY2022-26 SMA): lognormal sigma 0.5",
    ),
    "hns_concession_rate": RATE,
    "hns_settle_tolerance": Prior("fixed", 0.0, "a numerical tolerance for ending talks"),
    "hns_commitment_weight": Prior("lognormal", 0.7, _D4 + " (0.7: the least known)"),
    "firm_hedge_temperature": Prior(
        "lognormal", 0.4, "logit temperature (bounded rationality, McFadden 1974): sigma 0.4"
    ),
    "alignment_abandonment_weight": REACTION,
    "coercion_threat_weight": REACTION,
    "coercion_relief_weight": Prior("lognormal", 0.7, "payoff of hedging under coercion: 0.7"),
    "spending_norm": Prior(
        "fixed", 0.0, "the norm's starting point is each ally's calibrated anchor (-1) or data"
    ),
    "norm_strength": REACTION,
    "defence_goal": Prior("fixed", 0.0, _LEVER),
    "tpp_member": Prior("switch", 0.0, "membership is a fact (data)"),
    "cptpp_member": Prior("switch", 0.0, "membership is a fact (data)"),
    "economic_coercion": Prior("fixed", 0.0, _LEVER),
}


UNREGISTERED = _tri(
    0.5, "no prior registered yet (add one to PRIORS; a test requires it): " + _ASSUMED
)


def prior(name: str) -> Prior:
    """The prior of parameter `name`; a parameter added to the registry without one gets the
    bare-assumption prior (tests/test_uncertainty_samplers.py fails until PRIORS has it)."""
    return PRIORS.get(name, UNREGISTERED)


def is_switch(name: str) -> bool:
    """True for a 0/1 switch, which takes one value and never a distribution."""
    return name in PRIORS and PRIORS[name].shape == "switch"


def describe_prior(name: str, value: float | None = None) -> str:
    """'triangular ±50%' plus, for a value, the distribution it gives: for tables and explain."""
    p = prior(name)
    text = p.describe()
    if value is not None:
        dist = p.distribution(name, value)
        text += f" = {dist.describe()}" if dist else ""
    return text


def prior_distributions(config: ModelConfig, fixed: Iterable[str] = ()) -> dict[str, Distribution]:
    """Every drawn prior of this config's parameters, centred on its values, by key.

    Keys are "name" for global and "CODE.name" for actor parameters; keys in `fixed` (those a
    scenario set to a number) keep their single value.
    """
    skip = set(fixed)
    found: dict[str, Distribution] = {}
    for name, value in config.params.items():
        dist = prior(name).distribution(name, float(value)) if name not in skip else None
        if dist is not None:
            found[name] = dist
    for spec in config.actors:
        for name, value in spec.params.items():
            key = f"{spec.code}.{name}"
            dist = prior(name).distribution(name, float(value)) if key not in skip else None
            if dist is not None:
                found[key] = dist
    return found


def with_priors(
    config: ModelConfig, fixed: Iterable[str] = (), worlds_per_draw: int = 10
) -> ModelConfig:
    """This config with every world drawing its parameters from their priors (opt-in at the
    model level; the scenario layer's default)."""
    uncertainty = ParameterUncertainty(prior_distributions(config, fixed), None, worlds_per_draw)
    return dataclasses.replace(config, uncertainty=uncertainty)
