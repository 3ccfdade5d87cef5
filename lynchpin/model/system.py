"""System-level state: balance of power, deterrence, incidents, crises, cohesion, order.

These quantities belong to no single actor; the model updates them after all agents act.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import ndtr as _ndtr

from lynchpin.agents import Partner
from lynchpin.agents.challenger import red_line_public
from lynchpin.model.crises import (
    CRISIS_OUTPUTS,
    CRISIS_TYPES,
    draw_types,
    exposure,
    stakes,
    type_probabilities,
)

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
    *CRISIS_OUTPUTS,
    "red_line",
    "red_line_crossed",
    "stood_firm",
    "at_war",
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
        self.answered_cyber_memory = zeros.copy()
        self.power_shift = zeros.copy()
        self.previous_power_ratio: np.ndarray | None = None
        # The private part of each world's red line (D1), drawn once; see Challenger.
        g = model.p
        spread = g.red_line_uncertainty / (1.0 + g.red_line_a2ad_clarity * g.counter_a2ad_share)
        self.red_line_private = spread * model.streams("red_line.true").normal()[0]
        self.red_line = zeros.copy()

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
        model, g = self.model, self.model.p
        w = g.power_gdp_weight
        # C11: counter-A2/AD is paid for out of the coalition's general-purpose capability.
        general = 1.0 - g.a2ad_capability_cost * g.counter_a2ad_share
        self.power = {
            code: a.gdp**w
            * np.maximum(a.capability * (1.0 if a is model.challenger else general), 1e-9)
            ** (1.0 - w)
            for code, a in model.actors.items()
        }
        challenger = self.power[model.challenger.code]
        coalition = np.zeros(model.worlds)
        everyone = np.zeros(model.worlds)
        for code, actor in model.actors.items():
            everyone = everyone + self.power[code]
            if actor is not model.challenger:
                coalition = coalition + actor.alignment * self.power[code]
        ratio = challenger / coalition
        if self.previous_power_ratio is not None:
            # C2/D2: smoothed annual rate of power shift, |d ln r / dt| (the commitment problem).
            rate = np.abs(np.log(ratio / self.previous_power_ratio)) / QUARTER
            self.power_shift = self._approach(self.power_shift, rate, g.power_shift_memory)
        self.previous_power_ratio = ratio
        self.power_ratio = ratio
        self.challenger_power_share = challenger / everyone
        self.coalition_power_share = coalition / (coalition + challenger)

    def update_deterrence(self) -> None:
        """C4/C11: credibility from cohesion, commitment, power and counter-A2/AD."""
        g, model = self.model.p, self.model
        credibility = (
            self.alliance_cohesion
            * model.leader.commitment
            * self.coalition_power_share
            * (1.0 + g.deterrence_a2ad_weight * g.counter_a2ad_share)
        )
        # C12: attacks never raise deterrence (the Article 5 switch acts on cost and cohesion).
        self.deterrence = np.clip(credibility, 0.0, 1.0)

    def cohesion_target(self) -> np.ndarray:
        """C5/C7/C12: commitment binds; friction and abandonment fear strain; threat binds;
        under the Article 5 switch, severe cyber attacks the leader answered bind too."""
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
            # C12: only severe attacks the leader answered bind the alliance.
            target = target + g.article5_cohesion_gain * self.answered_cyber_memory
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
        rates = (
            g.incident_rate_maritime,
            g.incident_rate_air,
            cyber * (1.0 - g.cyber_severe_share),
            cyber * g.cyber_severe_share,
        )
        # Per-world parameters make some rates arrays over worlds: shape (4, worlds) then.
        return np.stack(np.broadcast_arrays(*(np.asarray(r, dtype=float) for r in rates)))

    def update_incidents(self) -> None:
        """C4/C12: incidents per domain are Poisson counts whose rate follows intensity times the
        domain's effort (Challenger.domain_mix_for); the allies read intent from them (Walt's
        perceived intent)."""
        g, model = self.model.p, self.model
        challenger = model.challenger
        intensity = challenger.gray_zone_intensity
        rates = self.incident_rates()
        mix = challenger.domain_mix
        efforts = (mix[0], mix[1], mix[2], mix[2])  # severe cyber is a share of cyber
        # One stream per domain: a change in one domain's rate cannot shift another's draws.
        counts = np.stack(
            [
                model.streams(f"incidents.{i}").poisson((rate * effort * intensity)[None, :])[0]
                for i, (rate, effort) in enumerate(zip(rates, efforts, strict=True))
            ]
        )
        self.incidents_maritime, self.incidents_air = counts[0], counts[1]
        self.severe_cyber = counts[3]
        self.incidents_cyber = counts[2] + counts[3]
        self.gray_zone_incidents = counts.sum(axis=0)
        capacity = rates.sum(axis=0)
        positive = capacity > 0
        observed = np.where(
            positive, self.gray_zone_incidents / np.where(positive, capacity, 1.0), 0.0
        )
        self.intent = self._approach(self.intent, observed, g.intent_memory)
        self.severe_cyber_memory = self._approach(
            self.severe_cyber_memory, self.severe_cyber, g.memory_rate
        )
        answered = self.severe_cyber * self.stand_firm_probability()
        self.answered_cyber_memory = self._approach(
            self.answered_cyber_memory, answered, g.memory_rate
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

    def stand_firm_probability(self) -> np.ndarray:
        """D3: probability that the leader stands firm in a crisis: its commitment, less when it
        is distracted (C3) or transactional (D7)."""
        g, leader = self.model.p, self.model.leader
        p = (
            leader.commitment
            * (1.0 - g.resolve_attention_weight * (1.0 - leader.attention))
            * (1.0 - g.resolve_transactional_penalty * leader.administration)
        )
        return np.clip(p, 0.0, 1.0)

    def private_information(self) -> np.ndarray:
        """D2 (Fearon 1995): the challenger's uncertainty about the red line (sd of its log) and
        about the leader's resolve (sd of its Beta belief)."""
        challenger = self.model.challenger
        return challenger.red_line_sd + np.sqrt(challenger.resolve.variance)

    def escalation_probability(self) -> np.ndarray:
        """D2 (C2/C4/C11): P(war | a crisis in which the leader stands firm).

        Bargaining breaks down more often with private information (Fearon 1995) and with a fast
        shift of power (the commitment problem, Powell 2006), less often when war is costly
        (deterrence, counter-A2/AD): base (1 + w_I info) (1 + w_S shift) (1 - w_D deterrence)
        max(0, 1 - w_A counter_a2ad_share).
        """
        g = self.model.p
        p = (
            g.escalation_base
            * (1.0 + g.escalation_information_weight * self.private_information())
            * (1.0 + g.escalation_power_shift_weight * self.power_shift)
            * (1.0 - g.escalation_deterrence_weight * self.deterrence)
            * np.maximum(0.0, 1.0 - g.escalation_a2ad_weight * g.counter_a2ad_share)
        )
        return np.clip(p, 0.0, 1.0)

    def crisis_probability(self) -> np.ndarray:
        """Probability of a crisis this quarter from the annual hazard."""
        return 1.0 - np.exp(-self.crisis_hazard() * QUARTER)

    def update_crises(self) -> None:
        """D1-D3: this quarter's probe, crisis, its type, the leader's stand, and war.

        Every draw comes from its own stream and has the same shape every quarter whatever the
        state, so scenarios with the same seed stay paired (common random numbers). A probe
        above the true red line is answered (probit in the distance to it) and becomes a crisis
        with red_line_crisis_probability; crises also arrive at the hazard. In a crisis the
        leader stands firm with stand_firm_probability; if it does, bargaining fails (war) with
        escalation_probability. War is absorbing. armed_conflict adds, in each quarter a world is
        at peace, the probability that this quarter's crisis becomes war (the compensator of
        at_war): its mean over worlds equals the expected share of worlds at war, with less
        Monte Carlo noise.
        """
        g, model = self.model.p, self.model
        challenger = model.challenger
        draws = model.streams("crises").uniform(5)
        peace = 1.0 - self.at_war
        # D1: was the probe answered? The true red line is public part x exp(private part).
        self.red_line = challenger.public_red_line * np.exp(self.red_line_private)
        noise = 1.0 + g.red_line_a2ad_clarity * g.counter_a2ad_share
        distance = (challenger.probe_position - self.red_line_private) * noise
        answered = (draws[0] < _ndtr(distance / g.red_line_signal_noise)) * peace
        self.red_line_crossed = answered.astype(float)
        base = self.crisis_hazard() - g.crisis_extra_hazard
        hazard_p = 1.0 - np.exp(-(base + g.crisis_extra_hazard) * QUARTER)
        p = 1.0 - (1.0 - hazard_p) * (1.0 - g.red_line_crisis_probability * answered)
        self.crises = (draws[1] < p) * peace
        # Named types: the hazard's split by type, scripted crises on their own type.
        kinds = (
            draw_types(
                type_probabilities(
                    np.maximum(base, 0.0), g.crisis_extra_hazard + 0 * base, g.crisis_extra_type
                ),
                draws[2],
            )
            * self.crises[None, :]
        )
        for k, kind in enumerate(CRISIS_TYPES):
            setattr(self, f"crises_{kind.key}", kinds[k])
        # D3: does the leader stand firm? Its stake differs by theatre.
        firm_p = self.stand_firm_probability() * (stakes() * kinds).sum(axis=0)
        firm_p = np.where(self.crises > 0, firm_p, 0.0)
        stood = (draws[3] < firm_p) & (self.crises > 0)
        self.stood_firm = stood.astype(float)
        # D2: war if bargaining fails in a crisis the leader stands firm in.
        escalation = self.escalation_probability()
        self.armed_conflict = self.armed_conflict + peace * firm_p * escalation
        war = stood & (draws[4] < escalation)
        self.at_war = np.maximum(self.at_war, war.astype(float))
        self.crisis_memory = self._approach(self.crisis_memory, self.crises, g.memory_rate)
        self.learn_from_crises(kinds, stood)
        challenger.learn_red_line(answered)

    def learn_from_crises(self, kinds: np.ndarray, stood: np.ndarray) -> None:
        """D3 and named-crisis effects: every observer updates its Beta belief about the
        leader's resolve (weighted by its exposure to the crisis' theatre) and keeps a lasting
        threat from crises in its theatres."""
        g, model = self.model.p, self.model
        decay = np.exp(-g.crisis_threat_decay * QUARTER)
        for actor in model.actors.values():
            if actor is model.leader:
                continue
            if actor is model.challenger:
                weight = self.crises
            else:
                weight = (exposure(actor.code, actor.p.proximity) * kinds).sum(axis=0)
                actor.crisis_threat = actor.crisis_threat * decay + g.crisis_threat_step * weight
            actor.resolve.update(weight > 0, stood, weight)

    def order_target(self) -> np.ndarray:
        """C15: the order holds with cohesion and the Quad, erodes with uncontested coercion
        G * (1 - deterrence), with leader retrenchment (1 - commitment) and with war (D2)."""
        g, model = self.model.p, self.model
        uncontested = model.challenger.gray_zone_intensity * (1.0 - self.deterrence)
        return np.clip(
            g.order_base
            + g.order_cohesion_weight * self.alliance_cohesion
            + g.order_quad_weight * self.quad_cohesion
            - g.order_coercion_weight * uncontested
            - g.order_retrenchment_weight * (1.0 - model.leader.commitment)
            - g.war_order_drop * self.at_war,
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
            # The 2020 campaign is the choice that no change cost would alter (a fixed point).
            challenger.gray_zone_intensity = challenger.choose_intensity(
                leader.attention,
                self.deterrence,
                challenger.dissatisfaction,
                challenger.gray_zone_intensity,
            )
            challenger.public_red_line = red_line_public(model.p, self.deterrence)
            self.intent = challenger.gray_zone_intensity.copy()
            self.severe_cyber = self.incident_rates()[3] * challenger.gray_zone_intensity
            self.severe_cyber_memory = self.severe_cyber.copy()
            self.crisis_memory = self.crisis_probability()
        challenger.probe_position = np.log(np.maximum(challenger.gray_zone_intensity, 1e-12)) - (
            np.log(challenger.public_red_line)
        )
        self.answered_cyber_memory = self.severe_cyber_memory * self.stand_firm_probability()
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
