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


def _numbers(count: int, description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "number"},
        "minItems": count,
        "maxItems": count,
        "description": description,
    }


def _fields(**fields: dict[str, Any]) -> dict[str, Any]:
    """A closed object whose every field is required (one distribution family or its body)."""
    return {
        "type": "object",
        "properties": fields,
        "required": list(fields),
        "additionalProperties": False,
    }


_NUMBER = {"type": "number"}
_POSITIVE = {"type": "number", "exclusiveMinimum": 0}
DISTRIBUTION_SCHEMA: dict[str, Any] = {
    "description": "A distribution instead of a number, truncated to the parameter's range: "
    "each world (or group of worlds_per_draw worlds) draws its own value.",
    "oneOf": [
        _fields(uniform=_numbers(2, "[lo, hi]")),
        _fields(triangular=_numbers(3, "[lo, mode, hi]")),
        _fields(normal=_fields(mean=_NUMBER, sd=_POSITIVE)),
        _fields(
            lognormal={
                "oneOf": [
                    _fields(median=_POSITIVE, sigma=_POSITIVE),
                    _fields(mean=_POSITIVE, sd=_POSITIVE),
                ]
            }
        ),
        _fields(beta=_fields(a=_POSITIVE, b=_POSITIVE)),
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
