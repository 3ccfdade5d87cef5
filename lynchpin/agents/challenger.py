"""The challenger role (China in the article): dissatisfaction and gray-zone coercion."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.agents.base import Actor

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel
    from lynchpin.model.snapshot import Snapshot


class Challenger(Actor):
    """A rising, dissatisfied power probing the order below the threshold of armed conflict."""

    role = "challenger"
    outputs = (*Actor.outputs, "dissatisfaction", "gray_zone_intensity")

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        self.alignment = np.zeros(worlds)
        # SystemState.initialise settles both at their 2020 levels once power is known.
        self.dissatisfaction = np.full(worlds, model.p.dissatisfaction_base)
        self.gray_zone_intensity = np.zeros(worlds)

    def perceive_threat(self, snap: Snapshot) -> np.ndarray:
        """C13 security dilemma (Richardson 1960): the coalition's build-up reads as containment."""
        g = self.model.p
        growth = np.log(snap.coalition_capability / self.model.initial_coalition_capability)
        return np.clip(g.challenger_threat_base + g.coalition_buildup_threat * growth, 0.0, 1.0)

    def dissatisfaction_target(self, power_ratio: np.ndarray) -> np.ndarray:
        """C2 power transition (Organski & Kugler 1980): dissatisfaction grows toward parity."""
        g = self.model.p
        return np.clip(g.dissatisfaction_base + g.dissatisfaction_ratio_weight * power_ratio, 0, 1)

    def decide(self) -> None:
        """Move dissatisfaction toward its target and intensity toward the chosen level."""
        super().decide()
        g = self.model.p
        snap = self.model.snapshot
        target = self.dissatisfaction_target(snap.power_ratio)
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
        """C3/C4: gain over cost, kept below the escalation threshold by a safety margin.

        gain = benefit * drive * (1 + w_D * D) * (1 + w_A * (1 - attention)): a distracted
        leader (C3) and a dissatisfied challenger (C2) make probing pay; cost = c0 + c_d *
        deterrence (C4). Intensity = gain / cost, capped at margin * threshold.
        """
        g = self.model.p
        gain = (
            g.grayzone_benefit
            * self.p.grayzone_drive
            * (1.0 + g.grayzone_dissatisfaction_weight * dissatisfaction)
            * (1.0 + g.grayzone_distraction_weight * (1.0 - attention))
        )
        cost = g.grayzone_cost_base + g.grayzone_deterrence_cost * deterrence
        ceiling = g.grayzone_safety_margin * g.escalation_threshold
        return np.clip(gain / cost, 0.0, ceiling)

    def act(self) -> None:
        super().act()
        self.dissatisfaction = self.next_dissatisfaction
        self.gray_zone_intensity = self.next_intensity
