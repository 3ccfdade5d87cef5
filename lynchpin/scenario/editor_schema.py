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
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: stable key order, trailing newline."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
