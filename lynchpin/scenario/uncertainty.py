"""Scenario syntax for parameter uncertainty: distributions in place of numbers, the
`uncertainty:` mode (priors | none | a table of draws) and the administrations block (D7).

Distributions are taken out of the data before the per-field validation (which sees numbers
only), checked here against the registry's bounds, and handed to the config builder; every
problem is reported at its file:line:col like any other.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lynchpin.model.distributions import Distribution, is_distribution, parse_distribution
from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS, param, value_problem
from lynchpin.model.priors import is_switch
from lynchpin.scenario.messages import Problem
from lynchpin.scenario.tree import KeyPath

UNCERTAINTY_MODES = ("priors", "none")
# `uncertainty: posterior` names the shipped history-matching posterior (docs/calibration.md).
POSTERIOR = "posterior"
POSTERIOR_PATH = Path(__file__).resolve().parents[1] / "data" / "posterior.csv"
POSTERIOR_KIND = "lynchpin history-matching posterior"
# Columns of a draws table that are not parameters: an index and a posterior's score.
INDEX_COLUMNS = ("draw", "world", "implausibility")
_KNOWN = {p.name for p in GLOBAL_PARAMS + ACTOR_PARAMS}
_GLOBAL = {p.name for p in GLOBAL_PARAMS}
_ACTOR = {p.name for p in ACTOR_PARAMS}


def _parameter_slots(data: Mapping[str, Any]) -> list[tuple[KeyPath, str, str]]:
    """(path, key, parameter name) of every parameter value written in the data."""
    slots: list[tuple[KeyPath, str, str]] = []
    params = data.get("parameters")
    if isinstance(params, Mapping):
        slots += [(("parameters", n), n, n) for n in params if n in _GLOBAL]
    actors = data.get("actors")
    if isinstance(actors, Mapping):
        for code, values in actors.items():
            if isinstance(values, Mapping):
                slots += [(("actors", code, n), f"{code}.{n}", n) for n in values if n in _ACTOR]
    new_actors = data.get("new_actors")
    if isinstance(new_actors, list):
        for index, new in enumerate(new_actors):
            values = new.get("parameters") if isinstance(new, Mapping) else None
            if isinstance(values, Mapping):
                code = new.get("code")
                slots += [
                    (("new_actors", index, "parameters", n), f"{code}.{n}", n)
                    for n in values
                    if n in _ACTOR
                ]
    return slots


def _pop(data: dict[str, Any], path: KeyPath) -> Any:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    return node.pop(path[-1])


def split_distributions(
    data: Any,
) -> tuple[Any, dict[str, Distribution], list[Problem]]:
    """(data with numbers only, {key: distribution}, problems) for merged scenario data.

    A parameter written as a mapping is a distribution: it is removed from the data (so the
    per-field validation sees an unset parameter) and parsed against the registry's bounds.
    """
    if not isinstance(data, dict):
        return data, {}, []
    stripped = _copy(data)
    found: dict[str, Distribution] = {}
    problems: list[Problem] = []
    for path, key, name in _parameter_slots(stripped):
        value = _get(stripped, path)
        if not isinstance(value, Mapping):
            continue
        _pop(stripped, path)
        if is_switch(name):
            problems.append(Problem(path, _switch_message(name)))
            continue
        p = param(name)
        dist, problem = parse_distribution(value, p.low, p.high)
        if problem:
            problems.append(Problem(path, problem))
        else:
            found[key] = dist  # type: ignore[assignment]
    policies = stripped.get("policies")
    if isinstance(policies, Mapping):
        for field, value in list(policies.items()):
            if is_distribution(value):
                del policies[field]
                problems.append(
                    Problem(
                        ("policies", field),
                        f"{field} is a policy switch: it takes one value, not a distribution "
                        "(compare the settings as separate scenarios or batch rows)",
                    )
                )
    return stripped, found, problems


def _switch_message(name: str) -> str:
    return f"{name} is a switch (0 or 1): it takes one value, not a distribution"


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def table_path(value: str, where: str) -> Path:
    """A draws-table path, relative to the file that wrote it (or to the working directory);
    `posterior` is the shipped posterior."""
    if value == POSTERIOR:
        return POSTERIOR_PATH
    path = Path(value)
    if path.is_absolute():
        return path
    file = where.rsplit(":", 2)[0] if where.count(":") >= 2 else ""
    base = Path(file).parent if file and Path(file).is_file() else Path.cwd()
    return base / path


def read_header(path: Path) -> dict[str, Any]:
    """The YAML provenance in a table's leading `# ` lines ({} for a plain table)."""
    import yaml

    lines = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    break
                lines.append(line[2:] if line.startswith("# ") else line[1:])
        header = yaml.safe_load("".join(lines)) if lines else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return header if isinstance(header, dict) else {}


def is_posterior(path: Path) -> bool:
    """True for a file `lynchpin calibrate` wrote: parameters it lacks keep their priors."""
    return read_header(path).get("kind") == POSTERIOR_KIND


def read_draws_table(
    path: Path, known_actors: set[str]
) -> tuple[tuple[tuple[str, ...], tuple[tuple[float, ...], ...]] | None, list[str]]:
    """((columns, rows), []) for a CSV of parameter draws, else (None, problems).

    Columns are parameter keys ("name" for global, "CODE.name" for actor parameters); one row
    per draw; each value must lie inside its parameter's bounds. Columns named `draw`,
    `world` or `implausibility` (an index and a score) are ignored, and so are leading `#`
    lines (a posterior's provenance).
    """
    shown = str(path)
    if not path.is_file():
        return None, [f"no such table of parameter draws: {shown}"]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            lines = handle.read().splitlines(keepends=True)
        skipped = 0
        while skipped < len(lines) and lines[skipped].startswith("#"):
            skipped += 1
        rows = list(csv.reader(lines[skipped:]))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return None, [f"{shown}: cannot read the table of draws ({error})"]
    if len(rows) < 2:
        return None, [f"{shown}: needs a header and at least one row of draws"]
    header = [h.strip() for h in rows[0]]
    head = skipped + 1  # the header's line number
    problems: list[str] = []
    keep: list[int] = []
    for col, key in enumerate(header):
        if key in INDEX_COLUMNS:
            continue
        code, dot, name = key.rpartition(".")
        if (not dot and name not in _GLOBAL) or (dot and name not in _ACTOR):
            problems.append(
                f"{shown}:{head}:{col + 1}: {key}: not a parameter key (expected a registry "
                "name such as depreciation or CODE.name such as JPN.defence_ceiling)"
            )
        elif dot and code not in known_actors:
            problems.append(f"{shown}:{head}:{col + 1}: {key}: unknown actor {code!r}")
        elif is_switch(name):
            problems.append(f"{shown}:{head}:{col + 1}: {key}: {_switch_message(name)}")
        else:
            keep.append(col)
    values: list[tuple[float, ...]] = []
    for line, row in enumerate(rows[1:], start=head + 1):
        if not any(cell.strip() for cell in row):
            continue
        numbers = []
        for col in keep:
            cell = row[col].strip() if col < len(row) else ""
            name = header[col].rpartition(".")[2]
            try:
                number = float(cell)
            except ValueError:
                problems.append(f"{shown}:{line}:{col + 1}: {header[col]}: not a number: {cell!r}")
                continue
            problem = value_problem(name, number)
            if problem:
                problems.append(f"{shown}:{line}:{col + 1}: {header[col]}: {problem}")
            numbers.append(number)
        values.append(tuple(numbers))
    if problems:
        return None, problems[:20]
    return (tuple(header[c] for c in keep), tuple(values)), []
