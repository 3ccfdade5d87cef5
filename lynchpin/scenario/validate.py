"""One entry point for checking scenario data, used by files and by overrides alike."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lynchpin.errors import UserError
from lynchpin.scenario.checks import check
from lynchpin.scenario.messages import from_validation_error, render
from lynchpin.scenario.schema import ScenarioSpec
from lynchpin.scenario.tree import KeyPath


def validate(data: Any, positions: dict[KeyPath, str], fallback: str) -> ScenarioSpec:
    """A ScenarioSpec, or a UserError listing every problem with its file:line:col."""
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as error:
        raise UserError(*render(from_validation_error(error), positions, fallback)) from None
    problems = check(spec)
    if problems:
        raise UserError(*render(problems, positions, fallback))
    return spec
