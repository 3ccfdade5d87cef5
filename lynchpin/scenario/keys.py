"""One grammar for the keys of `--set`, batch grids and designs, and `sensitivity --param`.

A key names one value of a scenario:

* `<global_param>` (e.g. `depreciation`),
* `<ACTOR>.<actor_param>` (e.g. `JPN.defence_ceiling`),
* `policies.<field>` (e.g. `policies.doctrine`),
* `shocks.<id>.<field>` or `shocks[<i>].<field>` with field size, start, end, ramp_quarters
  or mode (e.g. `shocks.drawdown.size`),

and anywhere a parameter name is expected, its alias from SHOCK_ALIASES works too
(`USA.attention` is `USA.attention_base`). Every layer resolves keys here, so a key that works
in one command works in all of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lynchpin.model.config import SHOCK_ALIASES
from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS
from lynchpin.scenario.messages import did_you_mean
from lynchpin.scenario.schema import SHOCK_FIELDS, PolicySpec
from lynchpin.scenario.tree import KeyPath

if TYPE_CHECKING:
    from lynchpin.scenario.schema import ScenarioSpec

GLOBAL_NAMES = frozenset(p.name for p in GLOBAL_PARAMS)
ACTOR_NAMES = frozenset(p.name for p in ACTOR_PARAMS)
KEY_FORMS = (
    "expected <global_param>, <ACTOR>.<actor_param>, policies.<field>, "
    "shocks.<id>.<field>, uncertainty or worlds_per_draw (e.g. depreciation, "
    "JPN.defence_goal, policies.doctrine, shocks.drawdown.size)"
)
# Scenario fields that are keys of their own (issue 10: how parameters are drawn).
TOP_LEVEL = ("uncertainty", "worlds_per_draw")
_SHOCK_KEY = re.compile(r"^shocks(?:\.([^.\[\]]+)|\[(\d+)\])\.([^.]+)$")


class KeyProblem(ValueError):
    """A key that names no value of the scenario; the message says what would."""


def canonical(name: str) -> str:
    """The parameter an alias stands for (`attention` -> `attention_base`), else `name`."""
    return SHOCK_ALIASES.get(name, name)


def override_path(spec: ScenarioSpec, key: str) -> KeyPath:
    """The path in the scenario data that `key` sets; KeyProblem if it names nothing."""
    key = str(key).strip()
    if key.startswith("shocks"):
        return _shock_path(spec, key)
    head, dot, tail = key.partition(".")
    if not dot and head in TOP_LEVEL:
        return (head,)
    if not dot:
        name = canonical(head)
        if name in GLOBAL_NAMES:
            return ("parameters", name)
        if name in ACTOR_NAMES:
            raise KeyProblem(f"{head!r} is an actor parameter; write it as <ACTOR>.{head}")
        raise KeyProblem(KEY_FORMS + did_you_mean(key, known_keys(spec)))
    if not tail or "." in tail:
        raise KeyProblem(KEY_FORMS + did_you_mean(key, known_keys(spec)))
    if head == "policies":
        return ("policies", tail)
    name = canonical(tail)
    if name not in ACTOR_NAMES:
        aliases = [a for a, p in SHOCK_ALIASES.items() if p in ACTOR_NAMES]
        hint = did_you_mean(tail, [*ACTOR_NAMES, *aliases])
        raise KeyProblem(f"{tail!r} is not an actor parameter" + hint)
    for index, new in enumerate(spec.new_actors):
        if new.code == head:
            return ("new_actors", index, "parameters", name)
    return ("actors", head, name)


def _shock_path(spec: ScenarioSpec, key: str) -> KeyPath:
    match = _SHOCK_KEY.match(key)
    if not match:
        raise KeyProblem(
            f"expected shocks.<id>.<field> or shocks[<i>].<field> with field one of "
            f"{', '.join(SHOCK_FIELDS)}"
        )
    ident, number, field = match.groups()
    ids = [shock.id for shock in spec.shocks if shock.id is not None]
    if number is not None:
        index = int(number)
        if index >= len(spec.shocks):
            raise KeyProblem(f"the scenario has {len(spec.shocks)} shocks (numbered from 0)")
    elif ident in ids:
        index = next(i for i, shock in enumerate(spec.shocks) if shock.id == ident)
    else:
        known = f"shock ids: {', '.join(ids)}" if ids else "no shock of the scenario has an id"
        raise KeyProblem(f"no shock with id {ident!r} ({known})" + did_you_mean(ident, ids))
    if field not in SHOCK_FIELDS:
        raise KeyProblem(
            f"shocks can vary {', '.join(SHOCK_FIELDS)}, not {field!r}"
            + did_you_mean(field, SHOCK_FIELDS)
        )
    return ("shocks", index, field)


def known_keys(spec: ScenarioSpec) -> list[str]:
    """Every key the scenario accepts, for did-you-mean suggestions."""
    codes = [*spec.actors, "USA", "JPN", "CHN", "AUS", "IND", *(n.code for n in spec.new_actors)]
    keys = sorted(GLOBAL_NAMES) + sorted(a for a, p in SHOCK_ALIASES.items() if p in GLOBAL_NAMES)
    actor_names = sorted(ACTOR_NAMES) + sorted(
        a for a, p in SHOCK_ALIASES.items() if p in ACTOR_NAMES
    )
    keys += [f"{code}.{name}" for code in dict.fromkeys(codes) for name in actor_names]
    keys += [f"policies.{f}" for f in PolicySpec.model_fields] + list(TOP_LEVEL)
    keys += [f"shocks.{s.id}.{f}" for s in spec.shocks if s.id is not None for f in SHOCK_FIELDS]
    return keys
