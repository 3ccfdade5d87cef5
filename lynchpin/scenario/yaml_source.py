"""Reading scenario YAML safely: plain data only, no duplicate keys, bounded size, and the
line and column of every value kept for error messages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lynchpin.errors import UserError
from lynchpin.scenario.messages import dotted
from lynchpin.scenario.tree import KeyPath, Located

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
_PLAIN = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class ScenarioLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no 'billion laughs') and reads 1e-3 as a number."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not supported in scenarios; "
                "use 'extends' to share values",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# YAML 1.1 needs a dot in floats; scenario authors write 1e-3 and expect a number.
ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it (short, clickable), else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def read_yaml(path: Path) -> Located:
    """One scenario file as Located data; every problem is a UserError with file:line:col."""
    name = display_path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UserError(f"{name}: cannot read scenario ({error.strerror or error})") from None
    if size > MAX_BYTES:
        raise UserError(f"{name}: file is {size:,} bytes; scenarios are limited to {MAX_BYTES:,}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise UserError(f"{name}: cannot read scenario ({error.strerror or error})") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Located:
    """Parse YAML text; `name` is used in messages."""
    loader = ScenarioLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise UserError(f"{name}:1:1: the file is empty; expected fields such as 'name: ...'")
        return _convert(loader, node, name, f"{name}:1:1", ())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = error.problem or error.context or "invalid YAML"
        context, start = error.context, error.context_mark
        if error.problem and context and start and start != mark:
            problem += f" ({context} started at line {start.line + 1}, column {start.column + 1})"
        raise UserError(f"{where}: YAML error: {problem}") from None
    except yaml.YAMLError as error:
        raise UserError(f"{name}: YAML error: {error}") from None
    finally:
        loader.dispose()


def _where(name: str, node: Node) -> str:
    return f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _convert(loader: ScenarioLoader, node: Node, name: str, where: str, path: KeyPath) -> Located:
    if len(path) > MAX_DEPTH:
        raise UserError(f"{where}: {dotted(path)}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ScalarNode):
        _require_tag(node, _SCALAR_TAGS, name, path)
        return Located(loader.construct_object(node), where)
    if isinstance(node, SequenceNode):
        _require_tag(node, {_PLAIN + "seq"}, name, path)
        items = [
            _convert(loader, item, name, _where(name, item), (*path, index))
            for index, item in enumerate(node.value)
        ]
        return Located(items, where)
    if isinstance(node, MappingNode):
        _require_tag(node, {_PLAIN + "map"}, name, path)
        entries: dict[object, Located] = {}
        for key_node, value_node in node.value:
            key_where = _where(name, key_node)
            if not isinstance(key_node, ScalarNode):
                raise UserError(f"{key_where}: {dotted(path)}: keys must be names")
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise UserError(f"{key_where}: {dotted(path)}: keys must be names (got {key!r})")
            if key in entries:
                first = entries[key].where.rsplit(":", 2)[1]
                raise UserError(
                    f"{key_where}: {dotted((*path, key))}: duplicate key (first given on line "
                    f"{first})"
                )
            entries[key] = _convert(loader, value_node, name, key_where, (*path, key))
        return Located(entries, where)
    raise UserError(f"{where}: {dotted(path)}: unsupported YAML node")


def _require_tag(node: Node, allowed: set[str] | frozenset[str], name: str, path: KeyPath) -> None:
    """Only plain data: a !!python/... tag must fail here, before anything is constructed."""
    if node.tag not in allowed:
        tag = node.tag.replace(_PLAIN, "!!")
        raise UserError(
            f"{_where(name, node)}: {dotted(path)}: YAML tag {tag!r} is not allowed; use plain data"
        )
