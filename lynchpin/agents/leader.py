"""The leader role (the United States in the article): attention, commitment, demands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.agents.base import Actor

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel


class Leader(Actor):
    """System leader whose alliances carry its 'great power management strategy'."""

    role = "leader"
    outputs = (*Actor.outputs, "attention", "commitment", "administration")

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        self.attention = np.full(worlds, self.p.attention_base, dtype=float)
        self.commitment = np.full(worlds, self.p.commitment_base, dtype=float)
        self.alignment = np.ones(worlds)
        # D7: 0 = engaged administration, 1 = transactional, per world (set at elections).
        self.administration = np.full(worlds, float(model.config.administrations.initial))
        # D7: the regime's host-nation-support stance, a multiple of the policy's demand.
        self.hns_stance = np.ones(worlds)
        # D4 reciprocity: commitment to each treaty ally (code -> array), from the first decide.
        self.commitment_to: dict[str, np.ndarray] = {}

    def decide(self) -> None:
        """C3 attention is an AR(1) around its (shockable) base; C5 commitment tracks its base."""
        super().decide()
        g = self.model.p
        noise = self.p.attention_volatility * self.model.draw_normal(self, "attention")
        self.next_attention = np.clip(
            g.attention_persistence * self.attention
            + (1.0 - g.attention_persistence) * self.p.attention_base
            + noise,
            0.0,
            1.0,
        )
        self.next_commitment = np.clip(
            self.commitment + g.commitment_adjust_rate * (self.p.commitment_base - self.commitment),
            0.0,
            1.0,
        )
        self.next_commitment_to = {
            ally.code: self.commitment_to_ally(ally) for ally in self.model.allies
        }

    def reciprocity(self) -> np.ndarray:
        """C6/D7: how strongly commitment answers contributions; stronger when transactional."""
        g = self.model.p
        return g.reciprocity_weight * (1.0 + g.reciprocity_transactional * self.administration)

    def commitment_to_ally(self, ally) -> np.ndarray:
        """D4/D5 reciprocity (Keohane 1986 on specific reciprocity): the leader's commitment
        to an ally falls as the ally's burden gap (what counts under the doctrine, relative to
        the demand) widens beyond 2020 and rises as it narrows; open host-nation-support talks
        add the threat of withdrawal."""
        g = self.model.p
        gap = ally.relative_gap(self.p.burden_demand) - ally.reference["relative_gap"]
        return np.clip(
            self.commitment
            - self.reciprocity() * gap
            - g.hns_commitment_weight * ally.hns_open_gap(),
            0.0,
            1.0,
        )

    def act(self) -> None:
        super().act()
        self.attention = self.next_attention
        self.commitment = self.next_commitment
        self.commitment_to = self.next_commitment_to

    def hns_multiplier(self) -> np.ndarray:
        """C7 host-nation-support demand multiple under the current policy and regime (D7)."""
        if self.model.config.policies.host_nation_support == "cost_plus_50":
            return self.model.p.hns_cost_plus_50_multiplier * self.hns_stance
        return 1.0 * self.hns_stance

    def posted_hns_demand(self, base: float) -> np.ndarray:
        """D5/D7: the host-nation-support demand the leader posts to a host paying `base`
        (US$ bn a year): the policy's multiple times the administration's stance (D7)."""
        return base * self.hns_multiplier()
