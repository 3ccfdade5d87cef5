"""Finding scenario files and resolving `extends` chains into one validated Scenario."""

from __future__ import annotations

import os
import re
from pathlib import Path

from lynchpin.errors import UserError
from lynchpin.inputs import file_kind, path_problem
from lynchpin.scenario.messages import did_you_mean
from lynchpin.scenario.scenario import Scenario
from lynchpin.scenario.tree import Located, flatten, merge
from lynchpin.scenario.yaml_source import display_name, read_yaml

SCENARIO_DIR = Path(
    os.environ.get("LYNCHPIN_SCENARIO_PATH") or Path(__file__).resolve().parents[2] / "scenarios"
)
MAX_EXTENDS_DEPTH = 20
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_OWN_FIELDS = ("name", "description")


def scenario_dir() -> Path:
    """The bundled scenarios, or LYNCHPIN_SCENARIO_PATH when set (read at call time)."""
    override = os.environ.get("LYNCHPIN_SCENARIO_PATH")
    return Path(override) if override else SCENARIO_DIR


def list_scenarios() -> list[tuple[str, str, Path]]:
    """(name, description, path) of every scenario in the scenario directory, by name."""
    found = []
    for path in sorted(scenario_dir().glob("*.yaml")):
        node = read_yaml(path)
        fields = node.value if isinstance(node.value, dict) else {}
        description = fields.get("description")
        text = description.value if description and isinstance(description.value, str) else ""
        found.append((path.stem, text.strip(), path))
    return found


def load_scenario(ref: str | Path) -> Scenario:
    """A bundled scenario by name (e.g. "baseline") or a scenario file by path."""
    path = _find(str(ref), Path.cwd(), "") if isinstance(ref, str) else Path(ref)
    kind = file_kind(path)
    if kind == "no such file":
        raise UserError(f"{display_name(path)}: no such scenario file")
    if kind is not None:
        raise UserError(f"{display_name(path)}: {_kind_problem(kind)}")
    raw, positions = flatten(_load_tree(_resolve(path, ""), ()))
    if not raw.get("name"):
        raw["name"] = path.stem
    return Scenario.from_data(raw, positions, path)


def _kind_problem(kind: str) -> str:
    if kind.startswith(("a ", "not ")):
        return f"is {kind}, not a scenario file"
    return f"cannot read scenario file ({kind})"


def _resolve(path: Path, where: str) -> Path:
    """path.resolve(), with NUL bytes and symlink loops as UserErrors."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError) as error:
        raise UserError(f"{where}{display_name(path)}: {path_problem(error)}") from None


def _is_name(ref: str) -> bool:
    return bool(_NAME.match(ref)) and not ref.endswith((".yaml", ".yml"))


def _find(ref: str, base: Path, where: str) -> Path:
    """A name is looked up in the scenario directory; anything else is a path from `base`."""
    if not _is_name(ref):
        return base / ref
    path = scenario_dir() / f"{ref}.yaml"
    if path.is_file():
        return path
    known = sorted(p.stem for p in scenario_dir().glob("*.yaml"))
    prefix = f"{where}: extends: " if where else ""
    raise UserError(
        f"{prefix}unknown scenario {ref!r} (known: {', '.join(known) or 'none'})"
        + did_you_mean(ref, known)
    )


def _load_tree(path: Path, chain: tuple[Path, ...]) -> Located:
    """This file merged over its ancestors; name and description are never inherited."""
    loading = f" (while loading {' -> '.join(display_name(p) for p in chain)})" if chain else ""
    try:
        node = read_yaml(path)
    except UserError as error:
        raise UserError(*[f"{line}{loading}" for line in error.lines]) from None
    if not isinstance(node.value, dict):
        kind = type(node.value).__name__
        raise UserError(
            f"{node.where}: a scenario must be a mapping of fields (got a {kind}){loading}"
        )
    fields = dict(node.value)
    parent_ref = fields.pop("extends", None)
    if parent_ref is None or parent_ref.value is None:
        return Located(fields, node.where)
    where = parent_ref.where
    here = [*chain, path]
    trail = " -> ".join(display_name(p) for p in here)
    if not isinstance(parent_ref.value, str):
        got = parent_ref.value
        raise UserError(f"{where}: extends: must be a scenario name or path (got {got!r})")
    try:
        parent_path = _resolve(_find(parent_ref.value, path.parent, where), f"{where}: extends: ")
    except UserError as error:
        raise UserError(*[f"{line} (while loading {trail})" for line in error.lines]) from None
    kind = file_kind(parent_path)
    if kind is not None:
        shown = display_name(parent_path)
        problem = (
            f"no such file {shown}" if kind == "no such file" else f"{shown}: {_kind_problem(kind)}"
        )
        raise UserError(f"{where}: extends: {problem} (while loading {trail})")
    if parent_path in here:
        raise UserError(f"{where}: extends: cycle {trail} -> {display_name(parent_path)}")
    if len(here) > MAX_EXTENDS_DEPTH:
        raise UserError(f"{where}: extends: more than {MAX_EXTENDS_DEPTH} levels ({trail})")
    parent = _load_tree(parent_path, tuple(here))
    inherited = {k: v for k, v in parent.value.items() if k not in _OWN_FIELDS}
    return merge(Located(inherited, parent.where), Located(fields, node.where))
