"""Named crisis types: where a leader-challenger crisis happens, and who it touches.

A crisis arrives at the model's hazard (SystemState.crisis_hazard); its type is drawn from the
types' shares of that hazard, and scripted crises (crisis_extra_hazard) add to the type that
crisis_extra_type names. A type says how exposed each observer is: exposure scales the lasting
threat a crisis leaves (crisis_threat_step) and how much the observer learns about the leader's
resolve from it; `stake` scales the leader's interest, so the leader stands firm less often in a
crisis it has less at stake in (the Sino-Indian border). Exposures are data about geography,
keyed by actor code; an actor a type does not list (e.g. one a scenario adds) has exposure equal
to its proximity parameter times the type's `default_exposure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class CrisisType:
    """One theatre of crisis (assumption: shares and exposures are judgements, see docs)."""

    key: str
    label: str
    share: float
    stake: float
    exposure: dict[str, float] = field(default_factory=dict)
    default_exposure: float = 0.5


CRISIS_TYPES: tuple[CrisisType, ...] = (
    CrisisType(
        "taiwan_strait",
        "Taiwan Strait",
        0.35,
        1.0,
        {"JPN": 1.0, "AUS": 0.6, "IND": 0.2},
    ),
    CrisisType(
        "east_china_sea",
        "East China Sea",
        0.3,
        1.0,
        {"JPN": 1.0, "AUS": 0.3, "IND": 0.1},
    ),
    CrisisType(
        "south_china_sea",
        "South China Sea",
        0.25,
        0.8,
        {"JPN": 0.5, "AUS": 0.8, "IND": 0.4},
    ),
    CrisisType(
        "sino_indian_border",
        "Sino-Indian border",
        0.1,
        0.5,
        {"JPN": 0.2, "AUS": 0.2, "IND": 1.0},
        default_exposure=0.3,
    ),
)

CRISIS_OUTPUTS: tuple[str, ...] = tuple(f"crises_{t.key}" for t in CRISIS_TYPES)


def type_probabilities(base: np.ndarray, extra: np.ndarray, extra_type: object) -> np.ndarray:
    """P(type | crisis), shape (types, worlds): base hazard split by shares, plus the scripted
    hazard on its own type (extra_type is 1-based and may differ per world)."""
    shares = np.array([t.share for t in CRISIS_TYPES])[:, None]
    index = np.arange(1, len(CRISIS_TYPES) + 1)[:, None]
    scripted = (np.rint(np.asarray(extra_type, dtype=float)) == index).astype(float)
    rates = shares * base[None, :] + scripted * extra[None, :]
    total = rates.sum(axis=0)
    return np.where(total > 0, rates / np.where(total > 0, total, 1.0), shares)


def draw_types(probabilities: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """One-hot crisis types (types, worlds) from one uniform per world (inverse CDF)."""
    edges = np.cumsum(probabilities, axis=0)
    chosen = np.minimum((uniform[None, :] >= edges).sum(axis=0), len(CRISIS_TYPES) - 1)
    return (np.arange(len(CRISIS_TYPES))[:, None] == chosen[None, :]).astype(float)


def exposure(code: str, proximity: float | np.ndarray) -> np.ndarray:
    """This observer's exposure to each type, shape (types, 1) or (types, worlds)."""
    values = [
        np.asarray(t.exposure.get(code, t.default_exposure * np.asarray(proximity)), float)
        for t in CRISIS_TYPES
    ]
    return np.stack(np.broadcast_arrays(*values)).reshape(len(CRISIS_TYPES), -1)


def stakes() -> np.ndarray:
    """The leader's stake in each type, shape (types, 1)."""
    return np.array([t.stake for t in CRISIS_TYPES])[:, None]
