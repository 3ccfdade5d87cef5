"""Which constraint and lever settings made a difference in a run (issue 12, D4).

A hard limit that no budget reached, or a declared goal at or below the spending norm in
every world, changes nothing; a user who set it should be told rather than left to read an
unchanged chart as a finding.
"""

from __future__ import annotations

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results

# Settings whose effect is a bound: (parameter, output it bounds, how it binds).
_LIMITS = {"defence_ceiling": "defence_share_gdp"}
_GOALS = {"defence_goal": "spending_norm"}


def binds_somewhere(results: Results, config: ModelConfig, key: str) -> bool | None:
    """True if the setting `<ACTOR>.<param>` bound in some world and quarter, False if in
    none, None if the key is not a limit or goal (its effect is not a bound)."""
    actor, _, name = key.partition(".")
    if name not in _LIMITS and name not in _GOALS:
        return None
    try:
        value = float(config.actor(actor).params[name])
    except KeyError:
        return None
    bound = _LIMITS.get(name) or _GOALS[name]
    if (actor, bound) not in results.values:
        return None
    if name in _LIMITS:
        return bool(np.any(results.metric(actor, bound) >= value - 1e-9))
    return bool(np.any(value > results.metric(actor, bound) + 1e-9))


def unbound_settings(results: Results, config: ModelConfig, keys: list[str]) -> list[str]:
    """The keys among `keys` that are limits or goals and bound in no world."""
    return [key for key in keys if binds_somewhere(results, config, key) is False]
