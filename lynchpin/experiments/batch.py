"""Batch files: many scenario runs, grids and Latin-hypercube samples in one YAML file.

A batch expands into a list of RunSpecs. Each run has a stable id derived from what determines
its numbers (scenario content, parameter overrides, worlds, seed) and never from the chunking,
so re-running a batch finds the runs that are already done.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeInt,
    PositiveInt,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from lynchpin.errors import UserError
from lynchpin.experiments.cost import check_design_size
from lynchpin.experiments.runner import DEFAULT_CHUNK_WORLDS, Job
from lynchpin.scenario import Scenario, load_scenario
from lynchpin.scenario.checks import unsafe_character
from lynchpin.scenario.messages import short
from lynchpin.scenario.tree import flatten, locate
from lynchpin.scenario.yaml_source import read_yaml

# A mapping is a distribution ({uniform: [lo, hi]}, ...): each world of the run draws its own.
ParamValue = float | int | bool | str | None | dict[str, Any]
MAX_BATCH_RUNS = 100_000


class _Strict(BaseModel):
    """As strict as scenarios: `worlds: yes` or `worlds: "10"` is an error, not 1 or 10."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class RunEntry(_Strict):
    """One run of a scenario, optionally with parameter overrides."""

    scenario: str
    worlds: PositiveInt | None = None
    seed: NonNegativeInt | None = None
    params: dict[str, ParamValue] = Field(default_factory=dict)


class GridSweep(_Strict):
    """Every combination (cartesian product) of the listed parameter values."""

    scenario: str
    grid: dict[str, Annotated[list[ParamValue], Field(min_length=1)]] = Field(min_length=1)
    worlds: PositiveInt | None = None
    seed: NonNegativeInt | None = None


class SampleSweep(_Strict):
    """A Latin-hypercube design over numeric parameter ranges; `seed` seeds the design only."""

    scenario: str
    design: Literal["latin_hypercube"]
    samples: PositiveInt
    seed: NonNegativeInt
    ranges: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        min_length=1
    )
    worlds: PositiveInt | None = None

    @field_validator("ranges")
    @classmethod
    def _ordered(cls, ranges: dict[str, list[float]]) -> dict[str, list[float]]:
        for name, (low, high) in ranges.items():
            if not low < high:
                raise ValueError(f"{name}: low ({low}) must be below high ({high})")
        return ranges


_GRID_TAG, _SAMPLE_TAG = "grid sweep", "sample sweep"


def _sweep_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return _GRID_TAG if "grid" in value else _SAMPLE_TAG
    return None


Sweep = Annotated[
    Annotated[GridSweep, Tag(_GRID_TAG)] | Annotated[SampleSweep, Tag(_SAMPLE_TAG)],
    Discriminator(_sweep_kind),
]


class BatchFile(_Strict):
    """The schema of a batch YAML file."""

    name: str = Field(min_length=1, max_length=100)
    runs: list[RunEntry] = Field(default_factory=list)
    sweeps: list[Sweep] = Field(default_factory=list)
    chunk_worlds: PositiveInt = DEFAULT_CHUNK_WORLDS

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        bad = unsafe_character(name)
        if bad:
            raise ValueError(f"contains the control or text-direction character {bad}")
        return name

    @model_validator(mode="after")
    def _not_empty(self) -> BatchFile:
        if not self.runs and not self.sweeps:
            raise ValueError("a batch needs at least one entry under 'runs' or 'sweeps'")
        return self


@dataclass(frozen=True)
class RunSpec:
    """One fully specified run of a batch."""

    scenario: str  # reference as written in the batch (bundled name or path)
    name: str  # the scenario's own name
    scenario_sha256: str
    worlds: int
    seed: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        """Readable prefix + short hash of everything that determines the run's numbers."""
        identity = json.dumps(
            {
                "scenario": self.scenario_sha256,
                "params": self.params,
                "worlds": self.worlds,
                "seed": self.seed,
            },
            sort_keys=True,
        )
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:40] or "run"
        return f"{slug}-{hashlib.sha256(identity.encode()).hexdigest()[:10]}"

    def prepare(self) -> tuple[Scenario, Job]:
        """The scenario with this run's overrides, and its job (UserError for bad overrides)."""
        scenario = load_scenario(self.scenario).with_overrides(
            worlds=self.worlds, seed=self.seed, params=self.params or None
        )
        return scenario, Job(self.run_id, scenario.to_config(), self.worlds, self.seed, self.name)


@dataclass(frozen=True)
class Batch:
    """A loaded batch: its name, chunk size and expanded runs (duplicates dropped)."""

    name: str
    chunk_worlds: int
    runs: list[RunSpec]


def latin_hypercube(ranges: dict[str, list[float]], samples: int, seed: int) -> list[dict]:
    """Reproducible LHS points (scipy.stats.qmc), one dict of parameter values per sample.

    scipy.stats is imported here, not with the module: it costs ~0.4 s of CPU and every
    `lynchpin run` imports this package (for the cost estimate) without sampling anything."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(ranges), rng=np.random.default_rng(seed)).random(samples)
    lows, highs = zip(*ranges.values(), strict=True)
    points = qmc.scale(unit, lows, highs)
    return [dict(zip(ranges, map(float, row), strict=True)) for row in points]


def grid_points(grid: dict[str, list[Any]]) -> list[dict]:
    """Cartesian product of the grid, first parameter varying slowest."""
    return [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]


def load_batch(path: str | Path) -> Batch:
    """Read, validate and expand a batch file; mistakes are UserErrors naming file:line:col."""
    path = Path(path)
    root = read_yaml(path, "batch file")
    data, positions = flatten(root)
    where_file = root.where
    if not isinstance(data, dict):
        raise UserError(f"{where_file}: a batch file must be a mapping with 'name' and 'runs'")
    try:
        spec = BatchFile.model_validate(data)
    except ValidationError as error:
        raise UserError(*_messages(error, positions, where_file)) from None

    base = path.parent
    runs: list[RunSpec] = []
    problems: list[str] = []

    def add(
        loc: tuple, kind: str, ref: str, points: list[dict], worlds: int | None, seed: int | None
    ):
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        try:
            target, scenario = _load_relative(
                ref, base, locate(positions, (*loc, "scenario"), where_file), f"{field}.scenario"
            )
        except UserError as error:
            problems.extend(error.lines)
            return
        found = _check_points(scenario, loc, kind, field, points, positions, where_file)
        problems.extend(found)
        if found:
            return
        runs.extend(
            RunSpec(
                scenario=target,
                name=scenario.name,
                scenario_sha256=scenario.sha256(),
                worlds=worlds or scenario.worlds,
                seed=scenario.seed if seed is None else seed,
                params=params,
            )
            for params in points
        )

    for i, entry in enumerate(spec.runs):
        add(("runs", i), "params", entry.scenario, [entry.params], entry.worlds, entry.seed)
    _check_sizes(spec, positions, where_file)
    for i, sweep in enumerate(spec.sweeps):
        if isinstance(sweep, GridSweep):
            add(
                ("sweeps", i),
                "grid",
                sweep.scenario,
                grid_points(sweep.grid),
                sweep.worlds,
                sweep.seed,
            )
        else:
            points = latin_hypercube(sweep.ranges, sweep.samples, sweep.seed)
            add(("sweeps", i), "ranges", sweep.scenario, points, sweep.worlds, None)
    if problems:
        raise UserError(*problems)
    unique = list({run.run_id: run for run in reversed(runs)}.values())[::-1]
    return Batch(spec.name, spec.chunk_worlds, unique)


def _check_sizes(spec: BatchFile, positions: dict, fallback: str) -> None:
    """Count the runs before listing them: a grid of 10^9 points is refused, not built."""
    total = len(spec.runs)
    for i, sweep in enumerate(spec.sweeps):
        points = (
            math.prod(len(v) for v in sweep.grid.values())
            if isinstance(sweep, GridSweep)
            else sweep.samples
        )
        total += points
        where = locate(positions, ("sweeps", i), fallback)
        check_design_size(f"{where}: sweeps[{i}]", points, MAX_BATCH_RUNS)
    check_design_size(f"{fallback}: the batch", total, MAX_BATCH_RUNS)


def _check_points(
    scenario: Scenario,
    loc: tuple,
    kind: str,
    field: str,
    points: list[dict],
    positions: dict,
    fallback: str,
) -> list[str]:
    """Every key, then every run, of one batch entry, checked before any run starts.

    Keys are checked one at a time so a problem points at the key's own line in the batch
    file; then each run's full set of values is checked together (cross-field rules).
    """
    problems: list[str] = []
    bad: set[str] = set()
    for point in points:
        for key, value in point.items():
            if key in bad:
                continue
            try:
                scenario.with_overrides(params={key: value})
            except UserError as error:
                bad.add(key)
                where = locate(positions, (*loc, kind, key), fallback)
                problems += [
                    f"{where}: {field}.{kind}.{key}: {_strip(line)}" for line in error.lines
                ]
    if problems:
        return problems
    for point in points:
        try:
            scenario.with_overrides(params=point)
        except UserError as error:
            where = locate(positions, (*loc, kind), fallback)
            shown = ", ".join(f"{k}={v}" for k, v in point.items())
            return [f"{where}: {field} ({shown}): {_strip(line)}" for line in error.lines]
    return []


def _strip(line: str) -> str:
    """Drop the 'override ...:' prefix the scenario layer gives lines about overrides."""
    head, sep, rest = line.partition(": ")
    return rest if sep and head.startswith("override") else line


def _load_relative(ref: str, base: Path, where: str, field: str) -> tuple[str, Scenario]:
    """A scenario by bundled name, or by path relative to the batch file."""
    local = base / ref
    target = str(local) if ref.endswith((".yaml", ".yml")) and local.is_file() else ref
    try:
        return target, load_scenario(target)
    except UserError as error:
        raise UserError(f"{where}: {field}: {error.lines[0]}", *error.lines[1:]) from None


def _messages(error: ValidationError, positions: dict, fallback: str) -> list[str]:
    lines = []
    for problem in error.errors():
        path = tuple(part for part in problem["loc"] if part not in (_GRID_TAG, _SAMPLE_TAG))
        label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] not in ("value_error", "missing", "extra_forbidden"):
            message += f" (got {short(problem.get('input'))})"
        lines.append(f"{locate(positions, path, fallback)}: {label or 'batch'}: {message}")
    return lines
