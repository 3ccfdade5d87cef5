"""Which constraint and lever settings made a difference in a run (issue 12, D4).

A hard limit that no budget reached, or a declared goal at or below the spending norm in
every world, changes nothing; a user who set it should be told rather than left to read an
unchanged chart as a finding.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results

# Settings whose effect is a bound: (parameter, output it bounds, how it binds).
_LIMITS = {"defence_ceiling": "defence_share_gdp"}
_GOALS = {"defence_goal": "spending_norm"}
# Why a setting of each that bound in no world changed nothing, in words for the user.
UNBOUND_REASONS = {
    "defence_ceiling": "no budget has reached this legal limit, so it changes nothing.",
    "defence_goal": "the goal is not above the spending norm, so it changes nothing.",
}


def goal_above_norm(goal: Any, norm: Any) -> Any:
    """D4: a declared goal guides spending only where it lies above the spending norm (at or
    below it, the norm rules and the goal changes nothing); elementwise over worlds."""
    return np.asarray(goal) > np.asarray(norm) + 1e-9


def is_bound_setting(key: str) -> bool:
    """True if `<ACTOR>.<param>` (or `param`) is a limit or goal: its effect is a bound."""
    name = key.rpartition(".")[2]
    return name in _LIMITS or name in _GOALS


def binds_somewhere(results: Results, config: ModelConfig, key: str) -> bool | None:
    """True if the setting `<ACTOR>.<param>` bound in some world and quarter, False if in
    none, None if the key is not a limit or goal (its effect is not a bound)."""
    actor, _, name = key.partition(".")
    if not is_bound_setting(name):
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
    return bool(np.any(goal_above_norm(value, results.metric(actor, bound))))


def unbound_settings(results: Results, config: ModelConfig, keys: list[str]) -> list[str]:
    """The keys among `keys` that are limits or goals and bound in no world."""
    return [key for key in keys if binds_somewhere(results, config, key) is False]
