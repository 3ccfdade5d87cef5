"""What every agent may observe at the start of a quarter: last quarter's state, frozen.

Agents read only the snapshot while observing and deciding and write only their own state
while acting, so the order in which Mesa activates them can never change the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    quarter: int
    years_elapsed: float
    gdp: dict[str, np.ndarray]
    capability: dict[str, np.ndarray]
    power: dict[str, np.ndarray]
    alignment: dict[str, np.ndarray]
    leader: str
    challenger: str
    attention: np.ndarray
    commitment: np.ndarray
    grayzone: np.ndarray
    dissatisfaction: np.ndarray
    power_ratio: np.ndarray
    challenger_power_share: np.ndarray
    coalition_capability: np.ndarray
    deterrence: np.ndarray
    intent: np.ndarray
    crisis_memory: np.ndarray
    quad_cohesion: np.ndarray
    administration: np.ndarray
    resolve_belief: dict[str, np.ndarray]
    at_war: np.ndarray
