"""YAML data that remembers where each value was written, so merged scenarios still point to
the right file, line and column when a value turns out to be wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KeyPath = tuple[object, ...]


@dataclass(frozen=True)
class Located:
    """A value (dict of Located, list of Located, or scalar) and where it was written.

    `where` is "file:line:col" of the mapping key for mapping entries, of the item for list
    items, and of the document for the root.
    """

    value: Any
    where: str


def merge(parent: Located, child: Located) -> Located:
    """Deep merge for `extends`: mappings merge key by key, lists concatenate parent-first,
    anything else is replaced by the child."""
    if _is_distribution(child.value) or _is_distribution(parent.value):
        return child  # a distribution replaces a number or another distribution whole
    if isinstance(parent.value, dict) and isinstance(child.value, dict):
        merged = dict(parent.value)
        for key, value in child.value.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return Located(merged, child.where)
    if isinstance(parent.value, list) and isinstance(child.value, list):
        return Located(parent.value + child.value, child.where)
    return child


def _is_distribution(value: Any) -> bool:
    from lynchpin.model.distributions import FAMILIES

    return isinstance(value, dict) and any(key in FAMILIES for key in value)


def flatten(node: Located) -> tuple[Any, dict[KeyPath, str]]:
    """Plain data plus a map from key path (e.g. ("shocks", 0, "size")) to "file:line:col"."""
    positions: dict[KeyPath, str] = {}

    def walk(item: Located, path: KeyPath) -> Any:
        positions[path] = item.where
        if isinstance(item.value, dict):
            return {key: walk(value, (*path, key)) for key, value in item.value.items()}
        if isinstance(item.value, list):
            return [walk(value, (*path, index)) for index, value in enumerate(item.value)]
        return item.value

    return walk(node, ()), positions


def locate(positions: dict[KeyPath, str], path: KeyPath, fallback: str) -> str:
    """Where `path` was written, or its nearest written ancestor (for missing fields)."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return fallback
