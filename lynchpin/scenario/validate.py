"""One entry point for checking scenario data, used by files and by overrides alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from lynchpin.errors import UserError
from lynchpin.model.distributions import Distribution
from lynchpin.model.rng import BLOCK_SIZE
from lynchpin.scenario.checks import check, effective_actor_params
from lynchpin.scenario.messages import Problem, from_validation_error, render
from lynchpin.scenario.schema import ScenarioSpec
from lynchpin.scenario.tree import KeyPath, locate
from lynchpin.scenario.uncertainty import (
    UNCERTAINTY_MODES,
    is_posterior,
    read_draws_table,
    split_distributions,
    table_path,
)

DrawsTable = tuple[tuple[str, ...], tuple[tuple[float, ...], ...]]


@dataclass(frozen=True)
class Checked:
    """A valid scenario: its spec, the distributions written in it, its table of draws, and
    whether parameters the table lacks keep their priors (a posterior) or their values."""

    spec: ScenarioSpec
    distributions: dict[str, Distribution]
    table: DrawsTable | None = None
    table_is_posterior: bool = False


def validate(data: Any, positions: dict[KeyPath, str], fallback: str) -> ScenarioSpec:
    """A ScenarioSpec, or a UserError listing every problem with its file:line:col."""
    return validate_scenario(data, positions, fallback).spec


def validate_scenario(data: Any, positions: dict[KeyPath, str], fallback: str) -> Checked:
    """The spec plus its distributions and draws table, or a UserError with every problem."""
    numbers, distributions, early = split_distributions(data)
    try:
        spec = ScenarioSpec.model_validate(numbers)
    except ValidationError as error:
        problems = early + from_validation_error(error)
        raise UserError(*render(problems, positions, fallback)) from None
    problems = early + check(spec) + _check_uncertainty(spec)
    table, posterior = None, False
    if not problems and spec.uncertainty not in UNCERTAINTY_MODES:
        where = locate(positions, ("uncertainty",), fallback)
        path = table_path(spec.uncertainty, where)
        table, lines = read_draws_table(path, set(effective_actor_params(spec)))
        if lines:
            raise UserError(*(f"{where}: uncertainty: {line}" for line in lines))
        posterior = is_posterior(path)
    if problems:
        raise UserError(*render(problems, positions, fallback))
    unknown = [k for k in distributions if "." in k and k.split(".")[0] == "None"]
    if unknown:  # a new actor without a code: the schema has already said so
        raise UserError(*render([Problem(("new_actors",), "code missing")], positions, fallback))
    return Checked(spec, distributions, table, posterior)


def _check_uncertainty(spec: ScenarioSpec) -> list[Problem]:
    problems = []
    if BLOCK_SIZE % spec.worlds_per_draw:
        divisors = [str(d) for d in range(1, BLOCK_SIZE + 1) if BLOCK_SIZE % d == 0]
        problems.append(
            Problem(
                ("worlds_per_draw",),
                f"{spec.worlds_per_draw} does not divide the random-stream block of "
                f"{BLOCK_SIZE} worlds; use one of {', '.join(divisors)}",
            )
        )
    return problems
