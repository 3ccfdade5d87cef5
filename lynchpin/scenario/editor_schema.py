"""JSON Schema of scenario files, so editors (VS Code YAML) complete and check them.

The committed copy is docs/scenario.schema.json (a test keeps it equal to schema_text()).
"""

from __future__ import annotations

import json
from typing import Any

from lynchpin.scenario.schema import ScenarioSpec


def scenario_json_schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12), descriptions taken from the parameter registry."""
    schema = ScenarioSpec.model_json_schema()
    _allow_distributions(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: stable key order, trailing newline."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"


_NUMBER_PAIR = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
DISTRIBUTION_SCHEMA: dict[str, Any] = {
    "description": "A distribution instead of a number, truncated to the parameter's range: "
    "each world (or group of worlds_per_draw worlds) draws its own value.",
    "oneOf": [
        {
            "type": "object",
            "properties": {"uniform": {**_NUMBER_PAIR, "description": "[lo, hi]"}},
            "required": ["uniform"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "triangular": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 3,
                    "maxItems": 3,
                    "description": "[lo, mode, hi]",
                }
            },
            "required": ["triangular"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "normal": {
                    "type": "object",
                    "properties": {
                        "mean": {"type": "number"},
                        "sd": {"type": "number", "exclusiveMinimum": 0},
                    },
                    "required": ["mean", "sd"],
                    "additionalProperties": False,
                }
            },
            "required": ["normal"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "lognormal": {
                    "oneOf": [
                        {
                            "type": "object",
                            "properties": {
                                "median": {"type": "number", "exclusiveMinimum": 0},
                                "sigma": {"type": "number", "exclusiveMinimum": 0},
                            },
                            "required": ["median", "sigma"],
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "properties": {
                                "mean": {"type": "number", "exclusiveMinimum": 0},
                                "sd": {"type": "number", "exclusiveMinimum": 0},
                            },
                            "required": ["mean", "sd"],
                            "additionalProperties": False,
                        },
                    ]
                }
            },
            "required": ["lognormal"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "beta": {
                    "type": "object",
                    "properties": {
                        "a": {"type": "number", "exclusiveMinimum": 0},
                        "b": {"type": "number", "exclusiveMinimum": 0},
                    },
                    "required": ["a", "b"],
                    "additionalProperties": False,
                }
            },
            "required": ["beta"],
            "additionalProperties": False,
        },
    ],
}


def _allow_distributions(schema: dict[str, Any]) -> None:
    """Every drawable parameter accepts a number in its range or a Distribution."""
    from lynchpin.model.priors import is_switch

    defs = schema.setdefault("$defs", {})
    defs["Distribution"] = DISTRIBUTION_SCHEMA
    for model in ("GlobalParams", "ActorParams"):
        for name, field in defs[model]["properties"].items():
            if is_switch(name):
                continue
            number = {k: field.pop(k) for k in ("type", "minimum", "maximum") if k in field}
            field["anyOf"] = [number, {"$ref": "#/$defs/Distribution"}]
