"""Data shipped with lynchpin: 2020 starting values and per-country parameter defaults.

Read from CSV files in this package (no download at run time); every row names its source.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from lynchpin.model.config import ActorSpec, ModelConfig, actor_defaults
from lynchpin.model.periods import parse_quarter


def _rows(filename: str) -> list[dict[str, str]]:
    with files(__package__).joinpath(filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def initial_conditions() -> dict[str, dict[str, float]]:
    """{code: {'gdp': US$ bn, 'defence_share': share of GDP}} for 2020."""
    table: dict[str, dict[str, float]] = {}
    for row in _rows("initial_2020.csv"):
        table.setdefault(row["code"], {})[row["quantity"]] = float(row["value"])
    return table


@cache
def actor_table() -> dict[str, dict]:
    """{code: {'name', 'role', 'params': {...}, 'sources': {...}}} from actors.csv."""
    table: dict[str, dict] = {}
    for row in _rows("actors.csv"):
        entry = table.setdefault(
            row["code"], {"name": row["name"], "role": row["role"], "params": {}, "sources": {}}
        )
        entry["params"][row["parameter"]] = float(row["value"])
        entry["sources"][row["parameter"]] = row["source"]
    return table


def default_actors() -> tuple[ActorSpec, ...]:
    """The five actors of the article with their 2020 data and parameters."""
    start = initial_conditions()
    specs = []
    for code, entry in actor_table().items():
        params = {**actor_defaults(), **entry["params"]}
        specs.append(
            ActorSpec(
                code=code,
                name=entry["name"],
                role=entry["role"],
                gdp=start[code]["gdp"],
                defence_share=start[code]["defence_share"],
                params=params,
            )
        )
    return tuple(specs)


def default_config() -> ModelConfig:
    """The baseline: the five actors from 2020Q1 to 2035Q4 with default parameters."""
    return ModelConfig(
        actors=default_actors(), start=parse_quarter("2020Q1"), end=parse_quarter("2035Q4")
    )
