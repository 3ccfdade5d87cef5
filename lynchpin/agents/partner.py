"""Partners and treaty allies: alignment by balance of threat and hedging (C9, C14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.agents.base import Actor

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel
    from lynchpin.model.snapshot import Snapshot


class Partner(Actor):
    """A state that aligns with the leader as far as threat, dependence and autonomy allow."""

    role = "partner"
    outputs = (*Actor.outputs, "resolve_belief")

    def effective_dependence(self) -> np.ndarray:
        """C14 geo-economics: dependence on the challenger, raised by BRI leverage as its
        economy grows, eased by the leader's TPP membership or, in part, by an ally leading
        CPTPP in its place."""
        g = self.model.p
        policies = self.model.config.policies
        snap = self.model.snapshot
        offset = 0.0
        if policies.us_in_tpp:
            offset = g.tpp_dependence_offset
        elif policies.cptpp_leader is not None:
            offset = g.tpp_dependence_offset * g.cptpp_leadership_share
        challenger_growth = snap.gdp[snap.challenger] / self.model.initial_gdp[snap.challenger]
        bri = 1.0 + g.bri_leverage * (challenger_growth - 1.0)
        # D2: war with the challenger collapses trade with it.
        wartime = 1.0 - g.war_trade_collapse * snap.at_war
        return np.clip(self.p.trade_dependence * bri * wartime - offset, 0.0, 1.0)

    def alignment_target(self) -> np.ndarray:
        """C9 balance of threat (Walt 1987) against hedging: threat pulls toward the leader,
        dependence on the challenger pulls away (C14), Quad institutions bind members, and a
        less reliable leader is kept at a distance (C5/C9: hedging against abandonment, Snyder
        1984): alignment falls by alignment_reliability_weight per unit of missing commitment
        (1 - commitment, as observed last quarter)."""
        g = self.model.p
        quad = g.quad_alignment_weight * g.quad_institutionalisation * self.p.quad_member
        unreliable = 1.0 - self.model.snapshot.commitment
        return (
            self.p.alignment_affinity
            + g.alignment_threat_weight * self.threat_perception
            - g.alignment_dependence_weight * self.effective_dependence()
            - g.alignment_reliability_weight * unreliable
            + quad
            + g.war_alignment_shift * self.model.snapshot.at_war
        )

    def decide(self) -> None:
        """Alignment closes part of the gap to its target, never above the autonomy cap (C9)."""
        super().decide()
        target = np.clip(self.alignment_target(), 0.0, self.p.autonomy_cap)
        rate = self.model.p.alignment_adjust_rate
        self.next_alignment = np.clip(
            self.alignment + rate * (target - self.alignment), 0.0, self.p.autonomy_cap
        )

    def act(self) -> None:
        super().act()
        self.alignment = self.next_alignment


class TreatyAlly(Partner):
    """A treaty ally (Japan, Australia): burden-sharing and the alliance security dilemma."""

    role = "treaty_ally"
    outputs = (*Partner.outputs, "abandonment_fear", "entrapment_fear", "burden_gap")

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        # SystemState.initialise settles both fears at their 2020 targets.
        self.abandonment_fear = np.full(worlds, model.p.abandonment_base)
        self.entrapment_fear = np.full(worlds, model.p.entrapment_base)
        self.burden_gap = np.zeros(worlds)
        self.friction = np.zeros(worlds)

    def observe(self) -> None:
        super().observe()
        leader = self.model.leader
        self.burden_gap = self.measure_burden_gap(leader.p.burden_demand)
        self.friction = self.measure_friction(leader.p.burden_demand, leader.hns_multiplier())

    def measure_burden_gap(self, demand: float | np.ndarray) -> np.ndarray:
        """C6: the leader's demand minus what counts; diffused reciprocity counts aid too."""
        counted = self.defence_share_gdp
        if self.model.config.policies.doctrine == "diffused":
            counted = counted + self.p.non_defence_contribution
        return np.maximum(0.0, demand - counted)

    def measure_friction(
        self, demand: float | np.ndarray, hns_multiplier: float | np.ndarray
    ) -> np.ndarray:
        """C6/C7: unmet demands and host-nation-support demands strain the alliance."""
        g = self.model.p
        positive = np.asarray(demand) > 0
        relative_gap = np.where(positive, self.burden_gap / np.where(positive, demand, 1.0), 0.0)
        friction = g.burden_gap_friction_weight * relative_gap
        if self.model.config.policies.doctrine == "specific":
            friction = friction + g.specific_reciprocity_friction
        friction = friction + g.hns_friction_weight * self.p.host_weight * (hns_multiplier - 1.0)
        return np.clip(friction, 0.0, 1.0)

    def reference_values(self, snap: Snapshot) -> dict[str, np.ndarray]:
        ref = super().reference_values(snap)
        ref["abandonment"] = self.abandonment_fear.copy()
        ref["coalition_others"] = self.coalition_others(snap)
        return ref

    def coalition_others(self, snap: Snapshot) -> np.ndarray:
        """Capability of the rest of the coalition, weighted by alignment (Olson-Zeckhauser)."""
        total = np.zeros(self.model.worlds)
        for code, capability in snap.capability.items():
            if code not in (self.code, snap.challenger):
                total = total + snap.alignment[code] * capability
        return total

    def choose_defence_share(self, snap: Snapshot) -> np.ndarray:
        """C8 internal balancing against threat and abandonment; C10 free-riding on others."""
        g = self.model.p
        share = super().choose_defence_share(snap)
        share = share + g.abandonment_response * (
            self.abandonment_fear - self.reference["abandonment"]
        )
        others = np.log(self.coalition_others(snap) / self.reference["coalition_others"])
        return share - g.free_riding_weight * others

    def fear_targets(self, snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
        """C5 Snyder's (1984) alliance dilemma: the levels of both fears that now prevail.

        Abandonment rises with missing commitment, burden-sharing friction (C6/C7) and leader
        distraction (C3); entrapment rises with recent leader-challenger crises and with
        commitment times gray-zone tension (pressure to join a contingency).
        """
        g = self.model.p
        abandonment = (
            g.abandonment_base
            + g.abandonment_commitment_weight * (1.0 - snap.commitment)
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
        """Both fears close part of the gap to their targets each quarter (C5)."""
        super().decide()
        abandonment, entrapment = self.fear_targets(self.model.snapshot)
        rate = self.model.p.fear_adjust_rate
        self.next_abandonment = self.abandonment_fear + rate * (abandonment - self.abandonment_fear)
        self.next_entrapment = self.entrapment_fear + rate * (entrapment - self.entrapment_fear)

    def alignment_target(self) -> np.ndarray:
        """Entrapment fear makes even a treaty ally keep some distance (C5)."""
        g = self.model.p
        return super().alignment_target() - g.alignment_entrapment_weight * self.entrapment_fear

    def act(self) -> None:
        super().act()
        self.abandonment_fear = self.next_abandonment
        self.entrapment_fear = self.next_entrapment
