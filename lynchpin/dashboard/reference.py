"""A frozen run kept as reference: grey ghost curves that survive Reset, and paired differences.

Every lesson experiment is "set a lever, Reset, run again, compare". Keeping the first run as a
reference puts before and after on the same axes. Runs with the same seed and number of worlds
draw the same luck world by world (lynchpin/model/rng.py), so the difference world by world
(the *paired* difference) isolates the lever's effect from chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.outputs import mean_interval

# Outputs summarised by their mean over worlds (a probability or an expected count), not the
# median world; everything else is a median.
MEAN_METRICS = ("armed_conflict", "incidents_maritime", "incidents_air", "incidents_cyber")
# What the status line compares with the reference, in this order (missing ones are skipped).
DIFFERENCES: tuple[tuple[str, str, str], ...] = (
    ("treaty_ally", "defence_share_gdp", "Japan's defence spending, share of GDP"),
    ("treaty_ally", "abandonment_fear", "Japan's fear of abandonment"),
    ("system", "alliance_cohesion", "alliance cohesion"),
    ("challenger", "gray_zone_intensity", "gray-zone intensity"),
    ("system", "armed_conflict", "P(armed conflict)"),
)


@dataclass(frozen=True)
class Reference:
    """Per-world trajectories of a finished or paused run, copied so later steps cannot move
    them, with what is needed to tell whether a new run is paired with it."""

    label: str
    periods: tuple[str, ...]
    values: dict[tuple[str, str], np.ndarray]  # (actor, metric) -> (periods, worlds)
    seed: int
    worlds: int

    @property
    def years(self) -> np.ndarray:
        return np.array([decimal_year(parse_quarter(p)) for p in self.periods])

    def centre(self, actor: str, metric: str) -> np.ndarray | None:
        """The reference's line for one output (median world, or mean for MEAN_METRICS)."""
        values = self.values.get((actor, metric))
        if values is None or not len(values):
            return None
        if metric in MEAN_METRICS:
            return mean_interval(values, axis=1)[0]
        return np.median(values, axis=1)

    def paired_with(self, model: LynchpinModel) -> bool:
        """Same seed and worlds: world i of both runs drew the same random numbers."""
        return self.seed == model.seed and self.worlds == model.worlds


def keep_reference(model: LynchpinModel, label: str) -> Reference:
    """Freeze the quarters `model` has simulated so far as a reference."""
    results = model.results(label)
    values = {key: np.array(array, copy=True) for key, array in results.values.items()}
    return Reference(label, tuple(results.periods), values, model.seed, model.worlds)


def role_actor(model: LynchpinModel, role: str) -> str | None:
    """The code of the first actor with `role` ("system" stays "system")."""
    if role == "system":
        return "system"
    for spec in model.config.actors:
        if spec.role == role:
            return spec.code
    return None


def paired_differences(model: LynchpinModel, reference: Reference) -> list[tuple[str, float]]:
    """(label, median over worlds of this run minus the reference) at the last quarter both
    have simulated; empty when the runs are not paired or share no quarter."""
    if not reference.paired_with(model):
        return []
    results = model.results("now")
    k = min(len(results.periods), len(reference.periods)) - 1
    if k < 0:
        return []
    out = []
    for role, metric, label in DIFFERENCES:
        actor = role_actor(model, role)
        key = (actor, metric)
        if actor is None or key not in results.values or key not in reference.values:
            continue
        difference = results.values[key][k] - reference.values[key][k]
        summary = difference.mean() if metric in MEAN_METRICS else np.median(difference)
        out.append((label, float(summary)))
    return out
