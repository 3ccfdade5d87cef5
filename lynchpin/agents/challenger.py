"""The challenger role (China in the article): dissatisfaction and gray-zone coercion."""

from __future__ import annotations

import numpy as np

from lynchpin.agents.base import Actor


class Challenger(Actor):
    """A rising, dissatisfied power probing the order below the threshold of armed conflict."""

    role = "challenger"
    outputs = (*Actor.outputs, "dissatisfaction", "gray_zone_intensity")

    def __init__(self, model, spec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        self.alignment = np.zeros(worlds)
        self.dissatisfaction = np.full(worlds, model.p.dissatisfaction_base)
        self.gray_zone_intensity = np.zeros(worlds)

    def perceive_threat(self, snap) -> np.ndarray:
        """C13 security dilemma: the coalition's build-up is read as containment."""
        growth = np.log(snap.coalition_capability / self.model.initial_coalition_capability)
        return np.clip(0.5 + self.model.p.coalition_buildup_threat * growth, 0.0, 1.0)

    def decide(self) -> None:
        super().decide()
        g = self.model.p
        snap = self.model.snapshot
        # C2 power transition: dissatisfaction grows as power approaches the coalition's.
        target = np.clip(
            g.dissatisfaction_base + g.dissatisfaction_ratio_weight * snap.power_ratio, 0, 1
        )
        self.next_dissatisfaction = self.dissatisfaction + g.dissatisfaction_adjust_rate * (
            target - self.dissatisfaction
        )
        chosen = self.choose_intensity(snap.attention, snap.deterrence, self.dissatisfaction)
        self.next_intensity = self.gray_zone_intensity + g.grayzone_adjust_rate * (
            chosen - self.gray_zone_intensity
        )

    def choose_intensity(
        self, attention: np.ndarray, deterrence: np.ndarray, dissatisfaction: np.ndarray
    ) -> np.ndarray:
        """C3/C4: gain (higher when the leader is distracted) over cost (higher with deterrence),
        kept below the escalation threshold by a safety margin."""
        g = self.model.p
        gain = (
            g.grayzone_benefit
            * self.p.grayzone_drive
            * (0.5 + dissatisfaction)
            * (1.0 + g.grayzone_distraction_weight * (1.0 - attention))
        )
        cost = g.grayzone_cost_base + g.grayzone_deterrence_cost * deterrence
        ceiling = g.grayzone_safety_margin * g.escalation_threshold
        return np.clip(gain / cost, 0.0, ceiling)

    def act(self) -> None:
        super().act()
        self.dissatisfaction = self.next_dissatisfaction
        self.gray_zone_intensity = self.next_intensity
