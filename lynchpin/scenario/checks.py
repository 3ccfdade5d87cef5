"""Rules that span fields: actor codes exist, shocks fit their target and the run, one leader
and one challenger. Run after the per-field validation of schema.py has passed."""

from __future__ import annotations

import unicodedata

from lynchpin.data import default_actors
from lynchpin.model.config import SHOCK_ALIASES
from lynchpin.model.parameters import (
    ACTOR_PARAMS,
    GLOBAL_PARAMS,
    USE_OBSERVED_SHARE,
    param,
    value_problem,
)
from lynchpin.model.periods import parse_quarter
from lynchpin.scenario.messages import Problem, did_you_mean
from lynchpin.scenario.schema import ScenarioSpec

_GLOBAL_NAMES = {p.name for p in GLOBAL_PARAMS}
_ACTOR_NAMES = {p.name for p in ACTOR_PARAMS}
CPTPP_ROLES = ("treaty_ally", "partner")


def check(spec: ScenarioSpec) -> list[Problem]:
    """Every cross-field problem at once (empty list when the scenario is consistent)."""
    problems: list[Problem] = []
    problems.extend(_check_text(spec))
    start, end = parse_quarter(spec.start), parse_quarter(spec.end)
    problems.extend(_check_period(spec, start, end))
    roles = _roles(spec, problems)
    for code in spec.actors:
        if code not in roles:
            problems.append(Problem(("actors", code), _unknown_actor(code, roles)))
    leader = spec.policies.cptpp_leader
    if leader is not None and leader not in roles:
        problems.append(Problem(("policies", "cptpp_leader"), _unknown_actor(leader, roles)))
    elif leader is not None and roles[leader] not in CPTPP_ROLES:
        # C14: an ally or partner leading CPTPP stands in for the leader's TPP membership; the
        # leader itself is us_in_tpp, and the challenger leading it would lower dependence on
        # itself.
        eligible = [code for code, role in roles.items() if role in CPTPP_ROLES]
        problems.append(
            Problem(
                ("policies", "cptpp_leader"),
                f"{leader} is the {roles[leader]}; cptpp_leader must be a treaty_ally or "
                f"partner ({', '.join(eligible)}), or null",
            )
        )
    problems.extend(_check_unique_roles(spec, roles))
    values = effective_actor_params(spec)
    problems.extend(_check_sentinels(spec, values))
    for index in range(len(spec.shocks)):
        problems.extend(_check_shock(spec, index, roles, values, (start, end)))
    problems.extend(_check_shock_ids(spec))
    return problems


def _check_shock_ids(spec: ScenarioSpec) -> list[Problem]:
    """A shock id names one shock, so `shocks.<id>.size` is never ambiguous."""
    problems, seen = [], set()
    for index, shock in enumerate(spec.shocks):
        if shock.id is not None and shock.id in seen:
            message = f"shock id {shock.id!r} is used twice; give each shock its own id"
            problems.append(Problem(("shocks", index, "id"), message))
        seen.add(shock.id)
    return problems


# Years a quarter may have: four digits (format_quarter pads them), and at most MAX_QUARTERS
# simulated quarters (the model is calibrated for decades, not centuries; a run of 9999Q4 would
# spend hours before failing).
MIN_YEAR, MAX_YEAR = 1000, 9999
MAX_QUARTERS = 400


def _check_period(spec: ScenarioSpec, start: int, end: int) -> list[Problem]:
    problems = []
    for field, value in (("start", spec.start), ("end", spec.end)):
        if not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
            problems.append(Problem((field,), f"year must be {MIN_YEAR}..{MAX_YEAR} (got {value})"))
    if end < start:
        problems.append(Problem(("end",), f"{spec.end} is before start {spec.start}"))
    elif end - start + 1 > MAX_QUARTERS:
        problems.append(
            Problem(
                ("end",),
                f"{spec.start}..{spec.end} is {end - start + 1:,} quarters; a run is limited to "
                f"{MAX_QUARTERS} ({MAX_QUARTERS // 4} years)",
            )
        )
    return problems


def unsafe_character(text: str, allow: str = "") -> str | None:
    """The first control, bidirectional-format or separator character in `text` (U+XXXX and
    its Unicode name), or None. Such characters reorder or hide text in terminals and file
    managers (U+202E shows 'gpj.exe' as 'exe.jpg'), so names must not carry them."""
    for char in text:
        if char in allow:
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            label = unicodedata.name(char, "control character")
            return f"U+{ord(char):04X} ({label})"
    return None


def _check_text(spec: ScenarioSpec) -> list[Problem]:
    texts: list[tuple[tuple, str, str]] = [
        (("name",), spec.name, ""),
        (("description",), spec.description, "\n\t"),
    ]
    texts += [(("new_actors", i, "name"), n.name, "") for i, n in enumerate(spec.new_actors)]
    texts += [(("shocks", i, "note"), s.note, "\n\t") for i, s in enumerate(spec.shocks)]
    problems = []
    for path, value, allow in texts:
        bad = unsafe_character(value, allow)
        if bad:
            problems.append(
                Problem(path, f"contains the control or text-direction character {bad}")
            )
    return problems


def effective_actor_params(spec: ScenarioSpec) -> dict[str, dict[str, float]]:
    """{code: all parameter values} after overrides, for default and new actors alike."""
    values = {a.code: dict(a.params) for a in default_actors()}
    defaults = {p.name: p.default for p in ACTOR_PARAMS}
    for new in spec.new_actors:
        values[new.code] = {**defaults, **new.parameters.model_dump(exclude_unset=True)}
    for code, overrides in spec.actors.items():
        if code in values:
            values[code].update(overrides.model_dump(exclude_unset=True))
    return values


def _check_sentinels(spec: ScenarioSpec, values: dict[str, dict[str, float]]) -> list[Problem]:
    """defence_share_desired is a share in 0..0.2 or exactly -1 (the 2020 share), never
    another negative number (the per-field bounds alone would allow, say, -0.5)."""
    problems = []
    name = "defence_share_desired"
    for code, overrides in spec.actors.items():
        value = overrides.model_dump(exclude_unset=True).get(name)
        if value is not None and value_problem(name, value):
            problems.append(Problem(("actors", code, name), value_problem(name, value)))
    for index, new in enumerate(spec.new_actors):
        value = new.parameters.model_dump(exclude_unset=True).get(name)
        if value is not None and value_problem(name, value):
            at = ("new_actors", index, "parameters", name)
            problems.append(Problem(at, value_problem(name, value)))
    return problems


def _roles(spec: ScenarioSpec, problems: list[Problem]) -> dict[str, str]:
    roles = {a.code: a.role for a in default_actors()}
    for index, new in enumerate(spec.new_actors):
        if new.code in roles:
            problems.append(
                Problem(("new_actors", index, "code"), f"actor {new.code!r} already exists")
            )
        else:
            roles[new.code] = new.role
    return roles


def _check_unique_roles(spec: ScenarioSpec, roles: dict[str, str]) -> list[Problem]:
    """The defaults have one leader and one challenger, so a new one is always a second."""
    problems = []
    for role in ("leader", "challenger"):
        holders = [code for code, r in roles.items() if r == role]
        for index, new in enumerate(spec.new_actors):
            if len(holders) > 1 and new.role == role and new.code in holders:
                problems.append(
                    Problem(
                        ("new_actors", index, "role"),
                        f"a scenario needs exactly one {role}; {', '.join(holders)} would be "
                        f"{len(holders)}",
                    )
                )
    return problems


def _unknown_actor(code: str, roles: dict[str, str]) -> str:
    return f"unknown actor {code!r} (known: {', '.join(roles)})" + did_you_mean(code, roles)


def _check_shock(
    spec: ScenarioSpec,
    index: int,
    roles: dict[str, str],
    values: dict[str, dict[str, float]],
    run: tuple[int, int],
) -> list[Problem]:
    shock, at = spec.shocks[index], ("shocks", index)
    if shock.target != "system" and shock.target not in roles:
        targets = [*roles, "system"]
        message = f"unknown target {shock.target!r} (known: {', '.join(targets)})"
        return [Problem((*at, "target"), message + did_you_mean(shock.target, targets))]
    problem = _check_quantity(shock.target, shock.quantity)
    if problem:
        return [Problem((*at, "quantity"), problem)]
    parameter = SHOCK_ALIASES.get(shock.quantity, shock.quantity)
    problems = []
    start, end = run
    first = parse_quarter(shock.start)
    last = parse_quarter(shock.end) if shock.end is not None else end
    run_text = f"the run {spec.start}..{spec.end}"
    if not start <= first <= end:
        problems.append(Problem((*at, "start"), f"{shock.start} is outside {run_text}"))
    if shock.end is not None and not start <= last <= end:
        problems.append(Problem((*at, "end"), f"{shock.end} is outside {run_text}"))
    if shock.end is not None and last < first:
        problems.append(Problem((*at, "end"), f"{shock.end} is before its start {shock.start}"))
    problems.extend(_check_size(spec, index, parameter, values))
    return problems


def _observed_share(spec: ScenarioSpec, code: str) -> float:
    shares = {a.code: a.defence_share for a in default_actors()}
    shares |= {n.code: n.defence_share for n in spec.new_actors}
    return float(shares[code])


def _check_quantity(target: str, quantity: str) -> str:
    """'' if `quantity` names a parameter the target has, else why not."""
    system = target == "system"
    names, others = (_GLOBAL_NAMES, _ACTOR_NAMES) if system else (_ACTOR_NAMES, _GLOBAL_NAMES)
    parameter = SHOCK_ALIASES.get(quantity, quantity)
    if parameter in names:
        return ""
    if parameter in others:
        fix = "an actor code such as USA" if system else "'system'"
        return f"{quantity!r} is not a parameter of {target!r}; for it, set target to {fix}"
    aliases = [alias for alias, name in SHOCK_ALIASES.items() if name in names]
    kind = "global" if system else "actor"
    return f"unknown {kind} parameter {quantity!r} (aliases: {', '.join(aliases)})" + did_you_mean(
        quantity, [*names, *aliases]
    )


def _check_size(
    spec: ScenarioSpec, index: int, parameter: str, values: dict[str, dict[str, float]]
) -> list[Problem]:
    """The shocked value must stay inside the parameter's bounds (ramps move monotonically)."""
    shock, bounds = spec.shocks[index], param(parameter)
    if shock.target == "system":
        base = getattr(spec.parameters, parameter)
    else:
        base = values[shock.target][parameter]
        if parameter == "defence_share_desired" and base == USE_OBSERVED_SHARE:
            base = _observed_share(spec, shock.target)  # what the model shocks (base.py)
    shocked = {
        "relative": base * (1 + shock.size),
        "absolute": shock.size,
        "additive": base + shock.size,
    }[shock.mode]
    if not value_problem(parameter, shocked):
        return []
    if bounds.low - 1e-12 <= shocked <= bounds.high + 1e-12:
        why = f"negative but not exactly {USE_OBSERVED_SHARE:g} (the observed 2020 share)"
    else:
        why = f"outside its range {bounds.low:g}..{bounds.high:g}"
    return [
        Problem(
            ("shocks", index, "size"),
            f"{shock.mode} {shock.size:g} moves {shock.target}.{parameter} from {base:g} to "
            f"{shocked:g}, {why}",
        )
    ]
