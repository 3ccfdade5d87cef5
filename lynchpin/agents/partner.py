"""Partners and treaty allies: alliance politics as choices (C5-C10, C14).

A partner chooses between standing firm with the leader and hedging (D6); a treaty ally also
chooses its defence share in a public-goods game (D4) under a spending norm that can move, and
bargains over host-nation support (D5). The decision rules themselves are the pure functions
of lynchpin/agents/alliance.py; this module gathers what each actor sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.agents.alliance import (
    burden_share,
    firm_probability,
    nash_settlement,
)
from lynchpin.agents.base import Actor
from lynchpin.model.parameters import USE_OBSERVED_SHARE

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel
    from lynchpin.model.snapshot import Snapshot


class Partner(Actor):
    """A state that stands firm with the leader or hedges, as its payoffs say (D6)."""

    role = "partner"
    outputs = (*Actor.outputs, "resolve_belief")

    def effective_dependence(self, snap: Snapshot) -> np.ndarray:
        """C14/D8 geo-economics by membership: dependence on the challenger, raised by BRI
        leverage as its economy grows, eased for TPP members when the leader is in the TPP, or
        in part for CPTPP members when an ally leads the CPTPP in its place (India is in
        neither, so neither eases its dependence)."""
        g = self.model.p
        policies = self.model.config.policies
        offset = 0.0
        if policies.us_in_tpp:
            offset = g.tpp_dependence_offset * self.p.tpp_member
        elif policies.cptpp_leader is not None:
            offset = g.tpp_dependence_offset * g.cptpp_leadership_share * self.p.cptpp_member
        challenger_growth = snap.gdp[snap.challenger] / self.model.initial_gdp[snap.challenger]
        bri = 1.0 + g.bri_leverage * (challenger_growth - 1.0)
        # D2: war with the challenger collapses trade with it.
        wartime = 1.0 - g.war_trade_collapse * snap.at_war
        return np.clip(self.p.trade_dependence * bri * wartime - offset, 0.0, 1.0)

    def coercion(self) -> np.ndarray:
        """D8: economic coercion bites in proportion to what the partner depends on."""
        return self.p.economic_coercion * self.dependence

    def perceive_threat(self, snap: Snapshot) -> np.ndarray:
        """C9 balance of threat, plus D8: coercing a dependent partner reveals intent. Also
        measures this quarter's effective dependence (self.dependence) for the choices."""
        self.dependence = self.effective_dependence(snap)
        coerced = self.model.p.coercion_threat_weight * self.coercion()
        return np.clip(super().perceive_threat(snap) + coerced, 0.0, 1.0)

    def seen_commitment(self) -> np.ndarray:
        """What a partner sees of the leader's reliability: its commitment to its treaty
        allies (C5/C9; a partner without a treaty reads it from how allies are treated)."""
        leader = self.model.leader
        if not leader.commitment_to:
            return leader.commitment
        values = list(leader.commitment_to.values())
        return sum(values[1:], values[0]) / len(values)

    def abandonment_cost(self) -> np.ndarray:
        """C5 the expected cost of standing firm with a leader who may not come."""
        return self.model.p.alignment_reliability_weight * (1.0 - self.seen_commitment())

    def entrapment_cost(self) -> np.ndarray:
        """A partner without a treaty cannot be dragged into the leader's wars."""
        return 0.0 * self.threat_perception

    def firm_gain(self) -> np.ndarray:
        """D6 EU(firm) - EU(hedge) (C5, C9, C14; Walt 1987, Snyder 1984).

        Standing firm buys protection against the threat if the leader stands firm (its
        belief about the leader's resolve, D3) and binds through Quad institutions; it costs
        the expected abandonment and entrapment losses. Hedging keeps trade with the
        challenger (dependence) and may end its economic coercion.
        """
        g = self.model.p
        quad = self.quad_binding(g.quad_institutionalisation)
        protection = g.alignment_threat_weight * self.threat_perception * self.resolve.mean
        dependence = self.dependence
        return (
            self.p.alignment_affinity
            + quad
            + protection
            - g.alignment_dependence_weight * dependence
            - g.coercion_relief_weight * self.p.economic_coercion * dependence
            - self.abandonment_cost()
            - self.entrapment_cost()
            + g.war_alignment_shift * self.model.snapshot.at_war
        )

    def quad_binding(self, institutionalisation: float | np.ndarray) -> np.ndarray:
        """C9: Quad institutions bind their members (a payoff of standing firm)."""
        return self.model.p.quad_alignment_weight * institutionalisation * self.p.quad_member

    def firm_choice(self) -> np.ndarray:
        """D6 probability of standing firm, times the autonomy cap (C9: strategic autonomy
        keeps even a partner that stands firm short of full alignment). alignment_affinity
        (the alternative-specific constant) is calibrated so that the 2020 choice reproduces
        the 2020 alignment (actors.csv)."""
        temperature = self.model.p.firm_hedge_temperature
        return self.p.autonomy_cap * firm_probability(self.firm_gain(), temperature)

    def decide(self) -> None:
        """Alignment is the smoothed probability of standing firm (D6)."""
        super().decide()
        rate = self.model.p.alignment_adjust_rate
        target = self.firm_choice()
        # The cap also binds a 2020 alignment set above it.
        self.next_alignment = np.clip(
            self.alignment + rate * (target - self.alignment), 0.0, self.p.autonomy_cap
        )

    def act(self) -> None:
        super().act()
        self.alignment = self.next_alignment


class TreatyAlly(Partner):
    """A treaty ally (Japan, Australia): burden-sharing, host-nation support, both fears."""

    role = "treaty_ally"
    outputs = (
        *Partner.outputs,
        "abandonment_fear",
        "entrapment_fear",
        "burden_gap",
        "spending_norm",
        "hns_demand",
        "hns_payment",
    )

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        # SystemState.initialise settles both fears at their 2020 targets.
        self.abandonment_fear = np.full(worlds, model.p.abandonment_base)
        self.entrapment_fear = np.full(worlds, model.p.entrapment_base)
        self.burden_gap = np.zeros(worlds)
        self.friction = np.zeros(worlds)
        # D4: how far threat and crises have loosened the norm (ratchets up).
        self.norm_shift = np.zeros(worlds)
        self.spending_norm = self.base_norm() + self.norm_shift
        # D5: the agreement in force, the talks' status quo, ask and offer.
        base = np.full(worlds, self.hns_base())
        self.hns_payment = base.copy()
        self.hns_status_quo = base.copy()
        self.hns_agreed_demand = base.copy()
        self.hns_demand = base.copy()
        self.hns_offer = base.copy()

    # -- observe ------------------------------------------------------------------------
    def observe(self) -> None:
        super().observe()
        self.observe_alliance()

    def observe_alliance(self) -> None:
        """Open talks on a new host-nation-support demand (D5); measure the burden gap and
        friction they cause (C6/C7)."""
        self.hns_open()
        self.burden_gap = self.measure_burden_gap(self.model.leader.p.burden_demand)
        self.friction = self.measure_friction(self.model.leader.p.burden_demand)

    def counted_other(self) -> float:
        """C6: what counts besides defence: aid and peacekeeping under diffused reciprocity."""
        if self.model.config.policies.doctrine == "diffused":
            return self.p.non_defence_contribution
        return 0.0

    def measure_burden_gap(self, demand: float) -> np.ndarray:
        """C6: the leader's demand minus what counts under its doctrine."""
        return np.maximum(0.0, demand - self.defence_share_gdp - self.counted_other())

    def relative_gap(self, demand: float) -> np.ndarray:
        return self.burden_gap / np.maximum(demand, 1e-9)

    def hns_open_gap(self) -> np.ndarray:
        """D5: ask minus offer while talks are open, in units of the reference payment."""
        return (self.hns_demand - self.hns_offer) / self.model.p.hns_reference_payment

    def measure_friction(self, demand: float) -> np.ndarray:
        """C6/C7: an unmet demand strains the alliance, and so does the open gap of
        host-nation-support talks while they last (D5)."""
        g = self.model.p
        friction = g.burden_gap_friction_weight * self.relative_gap(demand)
        friction = friction + g.hns_friction_weight * self.hns_open_gap()
        return np.clip(friction, 0.0, 1.0)

    # -- D4 burden-sharing ------------------------------------------------------------
    def base_norm(self) -> np.ndarray:
        """The 2020 spending norm; -1 means the calibrated desired share."""
        norm = self.p.spending_norm
        return np.where(norm == USE_OBSERVED_SHARE, self.base_share(), norm)

    def coalition_others(self, snap: Snapshot) -> np.ndarray:
        """Capability the rest of the coalition supplies, in shares of this ally's potential
        output per year of depreciation (Olson-Zeckhauser's spill-in): partners count by
        alignment, the leader by how far the ally trusts it to come: its belief that the
        leader stands firm (D3) times 1 - its abandonment fear (C5)."""
        total = np.zeros(self.model.worlds)
        trust = self.resolve.mean * (1.0 - self.abandonment_fear)
        for code, capability in snap.capability.items():
            if code == snap.leader:
                total = total + trust * capability
            elif code not in (self.code, snap.challenger):
                total = total + snap.alignment[code] * capability
        return total * self.model.p.depreciation / self.potential_gdp

    def reward_weight(self) -> np.ndarray:
        """C6/D7: reciprocity; a transactional administration rewards contributions more."""
        g = self.model.p
        return g.burden_reward_weight * (
            1.0 + g.burden_reward_transactional * self.model.leader.administration
        )

    def burden_target(self) -> float:
        """The defence share at which what counts meets the leader's demand (C6)."""
        return self.model.leader.p.burden_demand - self.counted_other()

    def reference_values(self, snap: Snapshot) -> dict[str, np.ndarray]:
        ref = super().reference_values(snap)
        ref["others"] = self.coalition_others(snap)
        ref["reward"] = self.reward_weight()
        ref["target"] = np.full(self.model.worlds, self.burden_target())
        ref["relative_gap"] = self.relative_gap(self.model.leader.p.burden_demand)
        ref["crisis_memory"] = snap.crisis_memory.copy()
        return ref

    def security_value(self) -> np.ndarray:
        """D4: the weight on security that makes the desired share (defence_share_desired)
        optimal in the 2020 reference state, raised by threat since then (C8).

        A norm at the desired share counts its kink (the ally would spend more but for it).
        """
        g = self.model.p
        ref = self.reference
        s0 = self.base_share()
        n0 = self.base_norm()
        marginal_cost = (
            1.0
            + g.defence_cost_convexity * s0
            + self.p.norm_strength * (s0 >= n0 - 1e-12)
            + g.political_cost_curvature * (s0 - n0)
            - ref["reward"] * np.maximum(ref["target"] - s0, 0.0)
        )
        sigma = (s0 + ref["others"]) * np.maximum(marginal_cost, 1e-6)
        threat = 1.0 + g.security_threat_weight * (self.threat_perception - ref["threat"])
        return sigma * np.maximum(threat, 0.0)

    def effective_norm(
        self, norm: np.ndarray | float | None = None, goal: np.ndarray | float | None = None
    ) -> np.ndarray:
        """D4 lever: a declared goal above the norm replaces it (by goal_credibility).

        `norm` and `goal` default to this quarter's; the dashboard passes others to draw the
        level a quarter used.
        """
        norm = self.spending_norm if norm is None else norm
        goal = self.p.defence_goal if goal is None else goal
        return norm + self.model.p.goal_credibility * np.maximum(goal - norm, 0.0)

    def choose_defence_share(self, snap: Snapshot) -> np.ndarray:
        """D4 (C8, C10, C6) the share maximising alliance.burden_utility, given what the rest
        of the coalition supplies (a best response; budget inertia then phases it in). In a
        world at war (D2) the choice rises by war_budget_surge, as every actor's does."""
        g = self.model.p
        return self.war_surge(snap) + burden_share(
            security=self.security_value(),
            others=self.coalition_others(snap),
            convexity=g.defence_cost_convexity,
            norm=self.effective_norm(),
            kink=self.p.norm_strength,
            curvature=g.political_cost_curvature,
            reward=self.reward_weight(),
            target=self.burden_target(),
        )

    def norm_shift_target(self, snap: Snapshot) -> np.ndarray:
        """D4/C8: threat and remembered crises above 2020 loosen the spending norm."""
        g = self.model.p
        shift = g.norm_threat_weight * (self.threat_perception - self.reference["threat"])
        shift = shift + g.norm_crisis_weight * (
            snap.crisis_memory - self.reference["crisis_memory"]
        )
        return np.maximum(shift, 0.0)

    # -- D5 host-nation support ---------------------------------------------------------
    def hns_base(self) -> float | np.ndarray:
        """The 2020 payment: hosts pay in proportion to the forces they host (C7)."""
        return self.p.host_weight * self.model.p.hns_reference_payment

    def hns_reservation(self) -> np.ndarray:
        """D5: the most the host pays rather than let talks fail: the status quo plus the
        alliance's worth over hedging, which grows with threat and its alignment."""
        g = self.model.p
        worth = 1.0 + g.security_threat_weight * (self.threat_perception - self.reference["threat"])
        worth = np.maximum(worth, 0.0) * self.alignment / np.maximum(self.p.alignment_initial, 1e-9)
        return self.hns_status_quo * (1.0 + g.hns_ally_surplus * worth)

    def hns_open(self) -> None:
        """D5: a posted demand above the last one agreed opens talks from the agreement in
        force (the status quo)."""
        posted = self.model.leader.posted_hns_demand(self.hns_base())
        reopen = posted > self.hns_agreed_demand * (1.0 + 1e-9)
        self.hns_status_quo = np.where(reopen, self.hns_payment, self.hns_status_quo)
        self.hns_demand = np.where(reopen, posted, self.hns_demand)
        self.hns_offer = np.where(reopen, self.hns_payment, self.hns_offer)
        self.hns_agreed_demand = np.where(reopen, posted, self.hns_agreed_demand)

    def hns_talks(self) -> None:
        """D5: each side concedes a share of its distance to the Nash settlement each
        quarter; once ask and offer are close enough, they settle on it."""
        g = self.model.p
        open_talks = self.hns_demand > self.hns_offer
        if not open_talks.any():  # nothing to bargain over in any world (state, not a parameter)
            self.next_hns_demand, self.next_hns_offer = self.hns_demand, self.hns_offer
            self.next_hns_payment = self.hns_payment
            return
        posted = self.hns_agreed_demand
        settlement = nash_settlement(
            self.hns_status_quo, self.hns_reservation(), posted, g.hns_bargaining_power
        )
        rate = g.hns_concession_rate
        demand = self.hns_demand + rate * (settlement - self.hns_demand)
        offer = self.hns_offer + rate * (settlement - self.hns_offer)
        settled = demand - offer <= g.hns_settle_tolerance * self.hns_status_quo
        self.next_hns_demand = np.where(
            open_talks, np.where(settled, settlement, demand), self.hns_payment
        )
        self.next_hns_offer = np.where(
            open_talks, np.where(settled, settlement, offer), self.hns_payment
        )
        self.next_hns_payment = np.where(open_talks & settled, settlement, self.hns_payment)

    # -- D6 and C5 ------------------------------------------------------------------------
    def seen_commitment(self) -> np.ndarray:
        """A treaty ally sees the leader's commitment to itself (D4 reciprocity)."""
        return self.model.leader.commitment_to.get(self.code, self.model.leader.commitment)

    def abandonment_cost(self) -> np.ndarray:
        """C5/D6: expected cost of standing firm, from the ally's fear of abandonment."""
        return self.model.p.alignment_abandonment_weight * self.abandonment_fear

    def entrapment_cost(self) -> np.ndarray:
        """C5/D6: expected cost of being dragged into the leader's conflicts."""
        return self.model.p.alignment_entrapment_weight * self.entrapment_fear

    def fear_targets(self, snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
        """C5 Snyder's (1984) alliance dilemma: the levels of both fears that now prevail.

        Abandonment rises with the leader's missing commitment to this ally (D4 reciprocity),
        burden-sharing friction (C6/C7) and leader distraction (C3); entrapment rises with
        recent leader-challenger crises and with commitment times gray-zone tension (pressure
        to join a contingency).
        """
        g = self.model.p
        abandonment = (
            g.abandonment_base
            + g.abandonment_commitment_weight * (1.0 - self.seen_commitment())
            + g.abandonment_friction_weight * self.friction
            + g.abandonment_attention_weight * (1.0 - snap.attention)
            + self.resolve_doubt()
        )
        entrapment = (
            g.entrapment_base
            + g.entrapment_crisis_weight * snap.crisis_memory
            + g.entrapment_tension_weight * snap.commitment * snap.grayzone
        )
        return np.clip(abandonment, 0.0, 1.0), np.clip(entrapment, 0.0, 1.0)

    def resolve_doubt(self) -> np.ndarray:
        """D3 -> C5: abandonment fear rises as this ally's belief that the leader stands firm
        falls below its prior (Snyder 1984; zero until a crisis has been observed)."""
        g = self.model.p
        return g.abandonment_belief_weight * (g.resolve_prior_mean - self.resolve.mean)

    def decide(self) -> None:
        """Both fears close part of the gap to their targets (C5); the norm loosens (D4);
        host-nation-support talks advance (D5); then the defence share and firm-or-hedge."""
        snap = self.model.snapshot
        g = self.model.p
        shift = self.norm_shift + g.norm_adjust_rate * (
            self.norm_shift_target(snap) - self.norm_shift
        )
        self.next_norm_shift = np.maximum(self.norm_shift, shift)
        self.hns_talks()
        super().decide()
        abandonment, entrapment = self.fear_targets(snap)
        rate = g.fear_adjust_rate
        self.next_abandonment = self.abandonment_fear + rate * (abandonment - self.abandonment_fear)
        self.next_entrapment = self.entrapment_fear + rate * (entrapment - self.entrapment_fear)

    def act(self) -> None:
        super().act()
        self.abandonment_fear = self.next_abandonment
        self.entrapment_fear = self.next_entrapment
        self.norm_shift = self.next_norm_shift
        self.spending_norm = self.base_norm() + self.norm_shift
        self.hns_demand = self.next_hns_demand
        self.hns_offer = self.next_hns_offer
        self.hns_payment = self.next_hns_payment
