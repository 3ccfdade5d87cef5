"""System-level state: balance of power, deterrence, incidents, crises, cohesion, order.

These quantities belong to no single actor; the model updates them after all agents act.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.agents import Partner

if TYPE_CHECKING:
    from lynchpin.model.model import LynchpinModel

QUARTER = 0.25
DOMAINS = ("maritime", "air", "cyber")

SYSTEM_OUTPUTS = (
    "power_ratio",
    "deterrence",
    "gray_zone_incidents",
    "incidents_maritime",
    "incidents_air",
    "incidents_cyber",
    "crises",
    "armed_conflict",
    "alliance_cohesion",
    "quad_cohesion",
    "order_stability",
)


class SystemState:
    """Arrays over worlds for the system-level outputs, plus memories that feed back."""

    def __init__(self, model: LynchpinModel) -> None:
        self.model = model
        zeros = np.zeros(model.worlds)
        for name in SYSTEM_OUTPUTS:
            setattr(self, name, zeros.copy())
        self.power: dict[str, np.ndarray] = {}
        self.challenger_power_share = zeros.copy()
        self.intent = zeros.copy()
        self.crisis_memory = zeros.copy()
        self.severe_cyber = zeros.copy()
        self.severe_cyber_memory = zeros.copy()
        self.no_conflict = np.ones(model.worlds)

    # -- balance of power --------------------------------------------------------------
    def coalition_capability(self) -> np.ndarray:
        """Alignment-weighted capability of everyone but the challenger (C13 input)."""
        model = self.model
        total = np.zeros(model.worlds)
        for actor in model.actors.values():
            if actor is not model.challenger:
                total = total + actor.alignment * actor.capability
        return total

    def update_power(self) -> None:
        """C1/C2: power index P = GDP^w K^(1-w); ratio of challenger to aligned coalition."""
        model, w = self.model, self.model.p.power_gdp_weight
        self.power = {
            code: a.gdp**w * np.maximum(a.capability, 1e-9) ** (1.0 - w)
            for code, a in model.actors.items()
        }
        challenger = self.power[model.challenger.code]
        coalition = np.zeros(model.worlds)
        everyone = np.zeros(model.worlds)
        for code, actor in model.actors.items():
            everyone = everyone + self.power[code]
            if actor is not model.challenger:
                coalition = coalition + actor.alignment * self.power[code]
        self.power_ratio = challenger / coalition
        self.challenger_power_share = challenger / everyone
        self.coalition_power_share = coalition / (coalition + challenger)

    def update_deterrence(self) -> None:
        """C4/C11/C12: credibility from cohesion, commitment, power, counter-A2/AD, Article 5."""
        g, model = self.model.p, self.model
        credibility = (
            self.alliance_cohesion
            * model.leader.commitment
            * self.coalition_power_share
            * (1.0 + g.deterrence_a2ad_weight * g.counter_a2ad_share)
        )
        if model.config.policies.cyber_article5:
            credibility = credibility + g.article5_deterrence_gain * self.severe_cyber_memory
        self.deterrence = np.clip(credibility, 0.0, 1.0)

    def cohesion_target(self) -> np.ndarray:
        """C5/C7/C12: commitment binds; friction and abandonment fear strain; threat binds."""
        g, model = self.model.p, self.model
        allies = model.allies
        count = max(len(allies), 1)
        friction = sum((a.friction for a in allies), np.zeros(model.worlds)) / count
        fear = sum((a.abandonment_fear for a in allies), np.zeros(model.worlds)) / count
        threat = sum((a.threat_perception for a in allies), np.zeros(model.worlds)) / count
        target = (
            g.cohesion_base
            + g.cohesion_commitment_weight * model.leader.commitment
            - g.cohesion_friction_weight * friction
            - g.cohesion_fear_weight * fear
            + g.cohesion_threat_weight * threat
        )
        if model.config.policies.cyber_article5:
            target = target + g.article5_cohesion_gain * self.severe_cyber_memory
        return np.clip(target, 0.0, 1.0)

    def update_cohesion(self) -> None:
        """Cohesion closes part of the gap to its target each quarter."""
        self.alliance_cohesion = self._approach(
            self.alliance_cohesion, self.cohesion_target(), self.model.p.cohesion_adjust_rate
        )

    def update_quad(self) -> None:
        """C9: mean alignment of the Quad's non-leader members, tightened by institutions:
        Q = mean alignment * (1 - w + w * institutionalisation)."""
        g, model = self.model.p, self.model
        members = [
            a for a in model.actors.values() if isinstance(a, Partner) and a.p.quad_member > 0
        ]
        if not members:
            self.quad_cohesion = np.zeros(model.worlds)
            return
        mean = sum((a.alignment for a in members), np.zeros(model.worlds)) / len(members)
        w = g.quad_institution_weight
        self.quad_cohesion = np.clip(mean * (1.0 - w + w * g.quad_institutionalisation), 0.0, 1.0)

    # -- coercion and crises -----------------------------------------------------------
    def incident_rates(self) -> np.ndarray:
        """Expected incidents per quarter at intensity 1: maritime, air, cyber (non-severe),
        cyber (severe). Splitting cyber by Poisson thinning draws severe incidents directly."""
        g = self.model.p
        cyber = g.incident_rate_cyber
        return np.array(
            [
                g.incident_rate_maritime,
                g.incident_rate_air,
                cyber * (1.0 - g.cyber_severe_share),
                cyber * g.cyber_severe_share,
            ]
        )

    def update_incidents(self) -> None:
        """C4/C12: incidents per domain are Poisson counts whose rate follows intensity; the
        allies read intent from them (Walt's perceived intent)."""
        g, model = self.model.p, self.model
        intensity = model.challenger.gray_zone_intensity
        rates = self.incident_rates()
        # One stream per domain: a change in one domain's rate cannot shift another's draws.
        counts = np.stack(
            [
                model.streams(f"incidents.{i}").poisson(rate * intensity[None, :])[0]
                for i, rate in enumerate(rates)
            ]
        )
        self.incidents_maritime, self.incidents_air = counts[0], counts[1]
        self.severe_cyber = counts[3]
        self.incidents_cyber = counts[2] + counts[3]
        self.gray_zone_incidents = counts.sum(axis=0)
        capacity = rates.sum()
        observed = self.gray_zone_incidents / capacity if capacity > 0 else 0.0 * intensity
        self.intent = self._approach(self.intent, observed, g.intent_memory)
        self.severe_cyber_memory = self._approach(
            self.severe_cyber_memory, self.severe_cyber, g.memory_rate
        )

    def crisis_hazard(self) -> np.ndarray:
        """C2/C4/C12: annual hazard of a leader-challenger crisis.

        A power-transition bump peaking at parity (Organski & Kugler 1980), scaled by
        dissatisfaction, plus friction from gray-zone intensity, plus Article 5 cyber
        consultations when that switch is on, plus any scenario shock.
        """
        g, model = self.model.p, self.model
        parity = np.exp(-(((self.power_ratio - 1.0) / g.crisis_parity_width) ** 2))
        hazard = (
            g.crisis_base_hazard
            * parity
            * (1.0 + g.crisis_dissatisfaction_weight * model.challenger.dissatisfaction)
            + g.crisis_grayzone_hazard * model.challenger.gray_zone_intensity
            + g.crisis_extra_hazard
        )
        if model.config.policies.cyber_article5:
            hazard = hazard + g.article5_crisis_hazard * self.severe_cyber
        return hazard

    def escalation_probability(self) -> np.ndarray:
        """C4/C11: a crisis rarely escalates; deterrence and counter-A2/AD make it rarer."""
        g = self.model.p
        p = (
            g.escalation_base
            * (1.0 - g.escalation_deterrence_weight * self.deterrence)
            * max(0.0, 1.0 - g.escalation_a2ad_weight * g.counter_a2ad_share)
        )
        return np.clip(p, 0.0, 1.0)

    def crisis_probability(self) -> np.ndarray:
        """Probability of a crisis this quarter from the annual hazard."""
        return 1.0 - np.exp(-self.crisis_hazard() * QUARTER)

    def update_crises(self) -> None:
        """C4: a crisis is a Bernoulli event per quarter and escalates with a small probability;
        armed_conflict is the cumulative probability 1 - prod(1 - crisis * escalation)."""
        g, model = self.model.p, self.model
        draw = model.streams("crises").uniform()[0]
        self.crises = (draw < self.crisis_probability()).astype(float)
        self.crisis_memory = self._approach(self.crisis_memory, self.crises, g.memory_rate)
        self.no_conflict = self.no_conflict * (1.0 - self.crises * self.escalation_probability())
        self.armed_conflict = 1.0 - self.no_conflict

    def order_target(self) -> np.ndarray:
        """C15: the order holds with cohesion and the Quad, erodes with uncontested coercion
        G * (1 - deterrence) and with leader retrenchment (1 - commitment)."""
        g, model = self.model.p, self.model
        uncontested = model.challenger.gray_zone_intensity * (1.0 - self.deterrence)
        return np.clip(
            g.order_base
            + g.order_cohesion_weight * self.alliance_cohesion
            + g.order_quad_weight * self.quad_cohesion
            - g.order_coercion_weight * uncontested
            - g.order_retrenchment_weight * (1.0 - model.leader.commitment),
            0.0,
            1.0,
        )

    def update_order(self) -> None:
        """Order stability closes part of the gap to its target each quarter."""
        self.order_stability = self._approach(
            self.order_stability, self.order_target(), self.model.p.order_adjust_rate
        )

    # -- sequencing ----------------------------------------------------------------------
    def initialise(self, settle_rounds: int = 20) -> None:
        """Start every state at the level its 2020 drivers sustain, so that the first years
        show dynamics, not a burn-in transient.

        Power, burden gaps and friction follow from the data directly. The rest depend on each
        other (threat <- intent <- intensity <- deterrence <- cohesion <- fears <- intensity),
        so they are iterated to their joint fixed point; memories start at their expected
        values (intent = intensity, crisis memory = quarterly crisis probability, severe cyber
        memory = expected severe incidents).
        """
        model = self.model
        self.update_power()
        leader, challenger = model.leader, model.challenger
        for ally in model.allies:
            ally.observe_alliance()
        challenger.dissatisfaction = challenger.dissatisfaction_target(self.power_ratio)
        for _ in range(settle_rounds):
            snap = model.take_snapshot()
            for actor in model.actors.values():
                actor.threat_perception = actor.perceive_threat(snap)
            for ally in model.allies:
                ally.abandonment_fear, ally.entrapment_fear = ally.fear_targets(snap)
            self.update_quad()
            self.alliance_cohesion = self.cohesion_target()
            self.update_deterrence()
            challenger.gray_zone_intensity = challenger.choose_intensity(
                leader.attention, self.deterrence, challenger.dissatisfaction
            )
            self.intent = challenger.gray_zone_intensity.copy()
            self.severe_cyber = self.incident_rates()[3] * challenger.gray_zone_intensity
            self.severe_cyber_memory = self.severe_cyber.copy()
            self.crisis_memory = self.crisis_probability()
        self.order_stability = self.order_target()

    def update(self) -> None:
        """After all agents acted: power, Quad, cohesion, deterrence, incidents, crises, order."""
        self.update_power()
        self.update_quad()
        self.update_cohesion()
        self.update_deterrence()
        self.update_incidents()
        self.update_crises()
        self.update_order()

    @staticmethod
    def _approach(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
        return current + rate * (target - current)
