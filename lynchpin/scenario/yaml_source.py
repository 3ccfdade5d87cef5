"""Reading scenario YAML safely: plain data only, no duplicate keys, bounded size, and the
line and column of every value kept for error messages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lynchpin.errors import UserError
from lynchpin.inputs import read_bounded
from lynchpin.scenario.messages import dotted, short
from lynchpin.scenario.tree import KeyPath, Located

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
_PLAIN = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class ScenarioLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no 'billion laughs'), bounds nesting before Python's
    recursion limit can be reached, and reads 1e-3 as a number."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not supported in scenarios; "
                "use 'extends' to share values",
                problem_mark=event.start_mark,
            )
        # The composer recurses once per level: refuse deep documents here, long before a
        # RecursionError, with the same limit the converter applies (plus the root level).
        if self._depth > MAX_DEPTH + 1:
            raise yaml.MarkedYAMLError(
                problem=f"nested more than {MAX_DEPTH} levels deep",
                problem_mark=self.peek_event().start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def display_name(path: Path) -> str:
    """display_path that never fails (a path with a NUL byte or a loop is shown as given)."""
    try:
        return display_path(path)
    except (OSError, ValueError, RuntimeError):
        return str(path)


def read_yaml(path: Path, what: str = "scenario file") -> Located:
    """One YAML file (a scenario or batch file) as Located data; every problem is a UserError
    naming the file (file:line:col where there is a position)."""
    name = display_name(path)
    data = read_bounded(path, MAX_BYTES, what, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Located:
    """Parse YAML text; `name` is used in messages."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UserError(f"{name}:{line}: contains a NUL byte; is this a text file?")
    try:
        loader = ScenarioLoader(text)  # the reader refuses control characters right here
    except yaml.YAMLError as error:
        raise UserError(f"{name}: YAML error: {_reader_problem(error)}") from None
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
    except RecursionError:  # a safety net: compose_node bounds the depth first
        raise UserError(f"{name}: nested too deeply ({MAX_DEPTH} levels at most)") from None
    finally:
        loader.dispose()


def _reader_problem(error: yaml.YAMLError) -> str:
    """The reader's complaint without its '<unicode string>' jargon."""
    if isinstance(error, yaml.reader.ReaderError):
        code, at = error.character, error.position
        return f"character U+{code:04X} is not allowed in YAML (at character {at})"
    return str(error)


def _where(name: str, node: Node) -> str:
    return f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _convert(loader: ScenarioLoader, node: Node, name: str, where: str, path: KeyPath) -> Located:
    if len(path) > MAX_DEPTH:
        raise UserError(f"{where}: {dotted(path)}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ScalarNode):
        return Located(_scalar(loader, node, name, path), where)
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
            if key_node.tag == _PLAIN + "merge":
                raise UserError(
                    f"{key_where}: {dotted(path)}: merge keys (<<) are not supported in "
                    "scenarios; use 'extends' to share values"
                )
            if not isinstance(key_node, ScalarNode):
                raise UserError(f"{key_where}: {dotted(path)}: keys must be names")
            key = _scalar(loader, key_node, name, path)
            if not isinstance(key, str):
                raise UserError(
                    f"{key_where}: {dotted(path)}: keys must be names (got {short(key)}); "
                    f"quote it, e.g. '{key_node.value}'"
                )
            if key in entries:
                first = entries[key].where.rsplit(":", 2)[1]
                raise UserError(
                    f"{key_where}: {dotted((*path, key))}: duplicate key (first given on line "
                    f"{first})"
                )
            entries[key] = _convert(loader, value_node, name, key_where, (*path, key))
        return Located(entries, where)
    raise UserError(f"{where}: {dotted(path)}: unsupported YAML node")


# YAML 1.1 reads these plain scalars as something a scenario author rarely means: yes/no/on/off
# as booleans (NO, Norway's code, is false), 0100 as octal 64, 1:30 as sexagesimal 90. They
# are refused with a hint, so a surprise never passes silently.
_YAML11_BOOL = frozenset(("y", "n", "yes", "no", "on", "off"))
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def _scalar(loader: ScenarioLoader, node: ScalarNode, name: str, path: KeyPath) -> object:
    """A plain scalar's value, refusing YAML 1.1 readings that surprise (see above)."""
    _require_tag(node, _SCALAR_TAGS, name, path)
    if node.style is None:
        problem = ambiguous_scalar(node.value, node.tag)
        if problem:
            raise UserError(f"{_where(name, node)}: {dotted(path)}: {problem}")
    return loader.construct_object(node)


def ambiguous_scalar(text: str, tag: str | None = None) -> str | None:
    """Why the unquoted scalar `text` would be read by surprise (YAML 1.1), or None.

    `tag` is what the resolver chose; without it, it is resolved here (for --set values).
    """
    if tag is None:
        tag = ScenarioLoader.resolve(ScenarioLoader, ScalarNode, text, (True, False))
    if tag not in (_PLAIN + "bool", _PLAIN + "int", _PLAIN + "float"):
        return None
    if tag == _PLAIN + "bool" and text.lower() in _YAML11_BOOL:
        reading = str(text.lower() in ("y", "yes", "on")).lower()
        return (
            f"{text!r} is ambiguous in YAML (read as {reading}); write true or false, or "
            f"quote it ('{text}') if you mean text such as a country code"
        )
    if _LEADING_ZERO.match(text):
        return (
            f"{text!r} has a leading zero (YAML reads it as an octal number); write "
            f"{text.lstrip('0+-') or '0'} or quote it for text"
        )
    if _SEXAGESIMAL.match(text):
        return f"{text!r} is read by YAML as a base-60 number; quote it for text ('{text}')"
    return None


def _require_tag(node: Node, allowed: set[str] | frozenset[str], name: str, path: KeyPath) -> None:
    """Only plain data: a !!python/... tag must fail here, before anything is constructed."""
    if node.tag not in allowed:
        tag = node.tag.replace(_PLAIN, "!!")
        raise UserError(
            f"{_where(name, node)}: {dotted(path)}: YAML tag {tag!r} is not allowed; use plain data"
        )
