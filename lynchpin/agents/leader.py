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

    def act(self) -> None:
        super().act()
        self.attention = self.next_attention
        self.commitment = self.next_commitment

    def hns_multiplier(self) -> np.ndarray:
        """C7 host-nation-support demand multiple under the current policy and regime (D7)."""
        if self.model.config.policies.host_nation_support == "cost_plus_50":
            return self.model.p.hns_cost_plus_50_multiplier * self.hns_stance
        return 1.0 * self.hns_stance
