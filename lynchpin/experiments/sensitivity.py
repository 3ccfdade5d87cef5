"""Sensitivity experiments: SALib designs over parameter ranges, evaluated on any executor.

Every sample runs the same worlds with the same seed (common random numbers), so differences
between samples come from the parameters, not from sampling noise. Indices are computed in
`lynchpin.analysis.sensitivity`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from lynchpin.errors import UserError
from lynchpin.experiments.runner import DEFAULT_CHUNK_WORLDS, Job, execute
from lynchpin.experiments.tasks import mean_of_chunks, outcome_chunk
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import format_quarter, parse_quarter
from lynchpin.scenario import Scenario

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Factor:
    """A parameter varied between two bounds."""

    name: str
    low: float
    high: float


@dataclass(frozen=True)
class Outcome:
    """The mean over worlds of one output at one period."""

    actor: str
    metric: str
    period: str

    def __str__(self) -> str:
        return f"{self.actor}.{self.metric}@{self.period}"


def parse_factor(text: str) -> Factor:
    """`NAME=LOW:HIGH`, e.g. `JPN.defence_ceiling=0.01:0.03`."""
    name, _, bounds = text.partition("=")
    low, _, high = bounds.partition(":")
    try:
        factor = Factor(name.strip(), float(low), float(high))
    except ValueError:
        raise UserError(f"--param {text!r}: expected NAME=LOW:HIGH with numbers") from None
    if not factor.name or not factor.low < factor.high:
        raise UserError(f"--param {text!r}: expected NAME=LOW:HIGH with LOW below HIGH")
    return factor


def check_factors(factors: list[Factor], scenario: Scenario) -> None:
    """Every factor, before anything is sampled: a known numeric parameter of the scenario,
    given once, with LOW below HIGH and both within the parameter's bounds (the scenario
    layer's checks, with its did-you-mean suggestions). All problems are reported at once."""
    problems: list[str] = []
    seen: set[str] = set()
    for factor in factors:
        if factor.name in seen:
            problems.append(f"--param {factor.name}: given twice; give each parameter once")
            continue
        seen.add(factor.name)
        if factor.name.startswith("policies."):
            problems.append(
                f"--param {factor.name}: policies are switches, not numbers; "
                "vary a numeric parameter (compare policies with a batch grid instead)"
            )
            continue
        for bound in (factor.low, factor.high):
            try:
                scenario.with_overrides(params={factor.name: bound}).to_config()
            except UserError as error:
                problems += [
                    f"--param {factor.name}={factor.low}:{factor.high}: {line}"
                    for line in error.lines
                ]
                break
    if problems:
        raise UserError(*problems)


OUTCOME_FORMAT = "ACTOR.METRIC@PERIOD, e.g. system.armed_conflict@2035Q4"


def parse_outcome(text: str, scenario: Scenario) -> Outcome:
    """`ACTOR.METRIC@PERIOD` (e.g. `system.armed_conflict@2035Q4`), checked against the model."""
    name, _, period = text.partition("@")
    actor, _, metric = name.partition(".")
    if not (actor and metric and period):
        raise UserError(f"--outcome {text!r}: expected {OUTCOME_FORMAT}")
    try:
        period = format_quarter(parse_quarter(period))
    except ValueError as error:
        raise UserError(f"--outcome {text!r}: {error}") from None
    model = LynchpinModel(scenario.to_config(), worlds=1, seed=0)
    outputs = model.output_names()
    if (actor, metric) not in outputs:
        known = [f"{a}.{m}" for a, m in outputs]
        close = difflib.get_close_matches(f"{actor}.{metric}", known, n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "e.g. " + ", ".join(known[:5])
        raise UserError(
            f"--outcome {text!r}: no output {actor}.{metric}; {hint}",
            f"  expected {OUTCOME_FORMAT}",
        )
    if period not in model.periods:
        raise UserError(
            f"--outcome {text!r}: {period} is outside {model.periods[0]}..{model.periods[-1]}"
        )
    return Outcome(actor, metric, period)


def problem(factors: list[Factor]) -> dict:
    """The SALib problem definition."""
    return {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [[f.low, f.high] for f in factors],
    }


def sample(method: str, factors: list[Factor], samples: int, seed: int) -> np.ndarray:
    """SALib design: Sobol (Saltelli) gives samples*(D+2) points, Morris samples*(D+1)."""
    if method == "sobol":
        return sobol_sample.sample(problem(factors), samples, calc_second_order=False, seed=seed)
    if method == "morris":
        return morris_sample.sample(problem(factors), samples, num_levels=MORRIS_LEVELS, seed=seed)
    raise UserError(f"--method: unknown method {method!r}; expected sobol or morris")


def evaluate(
    scenario: Scenario,
    factors: list[Factor],
    points: np.ndarray,
    outcomes: list[Outcome],
    executor: Executor,
    chunk_worlds: int = DEFAULT_CHUNK_WORLDS,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> np.ndarray:
    """(points, outcomes): every outcome of every design point, from one simulation per point,
    in design order; any failure is a UserError.

    With at least as many points as workers each point is one task; only its means travel back.
    """
    jobs = []
    for i, row in enumerate(points):
        params = {f.name: float(v) for f, v in zip(factors, row, strict=True)}
        config = scenario.with_overrides(params=params).to_config()
        jobs.append(Job(str(i), config, scenario.worlds, scenario.seed, scenario.name))
    values = np.full((len(jobs), len(outcomes)), np.nan)
    failures: list[str] = []

    def on_done(job: Job, mean: np.ndarray | None, error: BaseException | None, wall: float):
        if error is not None:
            failures.append(f"sample {job.key}: {type(error).__name__}: {error}")
        else:
            values[int(job.key)] = mean

    execute(
        jobs,
        executor,
        on_done,
        chunk_worlds=chunk_worlds,
        task=functools.partial(
            outcome_chunk, outcomes=tuple((o.actor, o.metric, o.period) for o in outcomes)
        ),
        combine=mean_of_chunks,
        on_progress=on_progress,
    )
    if failures:
        raise UserError(f"{len(failures)} of {len(jobs)} samples failed", *failures[:5])
    return values
