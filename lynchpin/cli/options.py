"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from lynchpin.errors import UserError

FORCE_HELP = "start even if the estimated memory or time exceeds what the machine allows"
SCENARIO_HELP = "Bundled scenario name or path to a scenario YAML file."
HOST_HELP = "Address to listen on; other than loopback needs --lan."
SET_HELP = "override one scenario value, e.g. --set JPN.defence_goal=0.02; repeatable"


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """`--set KEY=VALUE` items as a dict. Values stay text: the scenario layer reads them as YAML
    scalars and checks them. Every malformed item is reported at once; a key given twice is an
    error rather than a silent last-one-wins."""
    overrides: dict[str, str] = {}
    problems = []
    for item in items or []:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            problems.append(f"--set {item!r}: expected KEY=VALUE, e.g. --set JPN.defence_goal=0.02")
        elif key in overrides:
            problems.append(f"--set {key}: given twice")
        else:
            overrides[key] = value.strip()
    if problems:
        raise UserError(*problems)
    return overrides
