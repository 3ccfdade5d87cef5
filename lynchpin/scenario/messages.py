"""Turning validation problems into `file:line:col: field: message` lines with hints."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from lynchpin.scenario.schema import ActorParams, GlobalParams, ScenarioSpec
from lynchpin.scenario.tree import KeyPath, locate

_KINDS = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "dict": "a mapping",
    "model": "a mapping",
    "list": "a list",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at a key path."""

    path: KeyPath
    message: str


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice (case-insensitive), or ''."""
    by_folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(str(word).casefold(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean {by_folded[close[0]]!r}?" if close else ""


def short(value: object, limit: int = 60) -> str:
    """repr of a value cut to `limit` characters, so a 5,000-character name does not flood the
    message (the length is said instead)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} characters"
    return f"{text[: limit - 20]}... ({size})"


def dotted(path: KeyPath) -> str:
    """('shocks', 0, 'size') -> 'shocks[0].size'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(scenario)"


def render(problems: list[Problem], positions: dict[KeyPath, str], fallback: str) -> list[str]:
    """Lines sorted as they appear in the files."""
    located = [(locate(positions, p.path, fallback), p) for p in problems]

    def order(item: tuple[str, Problem]) -> tuple[str, int, int]:
        file, line, col = [*item[0].rsplit(":", 2), "0", "0"][:3]
        return (file, int(line) if line.isdigit() else 0, int(col) if col.isdigit() else 0)

    located.sort(key=order)
    return [f"{where}: {dotted(p.path)}: {p.message}" for where, p in located]


def from_validation_error(error: ValidationError) -> list[Problem]:
    """pydantic's errors, reworded for scenario authors."""
    return [Problem(tuple(e["loc"]), _message(e)) for e in error.errors()]


def _message(error: Any) -> str:
    kind, loc, raw = error["type"], tuple(error["loc"]), error.get("input")
    got = _Shown(raw)
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        what = "parameter" if model in (ActorParams, GlobalParams) else "field"
        fields = list(model.model_fields) if model else []
        return f"unknown {what} {loc[-1]!r}" + did_you_mean(loc[-1], fields)
    if kind == "missing":
        return "required field is missing"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bounds_message(loc, ctx, got)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        return f"must be one of {expected} (got {got!r})" + did_you_mean(raw, choices)
    if kind == "finite_number":
        return f"must be a finite number (got {got!r})"
    if kind in ("string_pattern_mismatch", "string_type") and loc[-1] in ("start", "end"):
        return f"must be a quarter like 2020Q1 (got {got!r})"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "target":
            return f"must be an actor code such as JPN, or 'system' (got {got!r})"
        return f"must be an upper-case actor code such as JPN (got {got!r})"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters (got {len(str(raw)):,})"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items allowed (got {ctx.get('actual_length')})"
    for prefix, described in _KINDS.items():
        if kind.startswith(prefix + "_"):
            return f"must be {described} (got {got!r})"
    return f"{error['msg']} (got {got!r})"


class _Shown:
    """An input value whose repr is shortened (see `short`), for f-strings with !r."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return short(self.value)


def _bounds_message(loc: tuple, ctx: dict, got: object) -> str:
    low, high = _field_bounds(loc)
    if low is not None and high is not None:
        return f"must be between {_number(low)} and {_number(high)} (got {got!r})"
    if "ge" in ctx:
        return f"must be at least {ctx['ge']} (got {got!r})"
    if "gt" in ctx:
        return f"must be more than {ctx['gt']} (got {got!r})"
    return f"must be at most {ctx.get('le', ctx.get('lt'))} (got {got!r})"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _field_bounds(loc: tuple) -> tuple[float | None, float | None]:
    """Both bounds of the field at `loc`, so a message can give the whole range."""
    model = _model_at(loc[:-1])
    if model is None or loc[-1] not in model.model_fields:
        return None, None
    low = high = None
    for rule in model.model_fields[loc[-1]].metadata:
        low = getattr(rule, "ge", getattr(rule, "gt", low))
        high = getattr(rule, "le", getattr(rule, "lt", high))
    return low, high


def _model_at(path: tuple) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `path`, to list its valid keys."""
    current: Any = ScenarioSpec
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """X | None -> X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else annotation
    return annotation
