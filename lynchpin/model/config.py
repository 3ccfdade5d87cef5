"""Plain, immutable inputs of a model run: actors, parameters, policies, shocks, period.

The scenario layer builds a ModelConfig from YAML; the model only reads it. Keeping this free
of I/O lets the same config travel to worker processes and Dask workers unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from lynchpin.model.distributions import Distribution
from lynchpin.model.parameters import (
    ACTOR_PARAMS,
    USE_OBSERVED_SHARE,
    global_defaults,
    value_problem,
)

Role = Literal["leader", "treaty_ally", "partner", "challenger"]
ROLES: tuple[str, ...] = ("leader", "treaty_ally", "partner", "challenger")
SHOCK_MODES: tuple[str, ...] = ("relative", "absolute", "additive")

# Convenient names a scenario may use for a shocked quantity, mapped to the parameter moved.
SHOCK_ALIASES: dict[str, str] = {
    "attention": "attention_base",
    "commitment": "commitment_base",
    "growth": "growth_trend",
    "recession": "output_gap_shock",
    "gray_zone": "grayzone_drive",
    "crisis_hazard": "crisis_extra_hazard",
}


@dataclass(frozen=True)
class Policies:
    """Policy switches the article discusses (C6, C7, C12, C14)."""

    doctrine: Literal["diffused", "specific"] = "diffused"
    host_nation_support: Literal["standard", "cost_plus_50"] = "standard"
    cyber_article5: bool = False
    us_in_tpp: bool = False
    cptpp_leader: str | None = "JPN"


@dataclass(frozen=True)
class ActorSpec:
    """One actor: a role plus its starting point and parameters."""

    code: str
    name: str
    role: str
    gdp: float
    defence_share: float
    params: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Shock:
    """A timed change of one parameter: of an actor (target = code) or global (target = system).

    relative: value * (1 + size); absolute: value = size; additive: value + size. With
    ramp_quarters > 0 the change phases in linearly over that many quarters.
    """

    target: str
    quantity: str
    start: int
    end: int
    size: float
    mode: str = "relative"
    ramp_quarters: int = 0

    @property
    def parameter(self) -> str:
        return SHOCK_ALIASES.get(self.quantity, self.quantity)

    def apply(self, value: float, quarter: int) -> float:
        if not self.start <= quarter <= self.end:
            return value
        if self.mode == "relative":
            shocked = value * (1.0 + self.size)
        elif self.mode == "absolute":
            shocked = self.size
        else:
            shocked = value + self.size
        if self.ramp_quarters > 0:
            phase = min(1.0, (quarter - self.start + 1) / self.ramp_quarters)
            return value + phase * (shocked - value)
        return shocked


ENGAGED, TRANSACTIONAL = 0, 1


@dataclass(frozen=True)
class Election:
    """A US election (D7): after `quarter`, each world's administration is transactional with
    probability if_engaged (when the outgoing one was engaged) or if_transactional."""

    quarter: int
    if_engaged: float
    if_transactional: float


@dataclass(frozen=True)
class Administrations:
    """D7: the administration in office at the start (0 engaged, 1 transactional) and the
    elections that may switch it. No elections (the model-level default): it never changes."""

    initial: int = ENGAGED
    elections: tuple[Election, ...] = ()


@dataclass(frozen=True)
class ParameterUncertainty:
    """Per-world parameters (issue 10): which parameters are drawn and how.

    distributions: key "name" (global) or "CODE.name" (actor) -> its distribution; every
    parameter not listed keeps its single value. table: (columns, rows) of parameter draws
    (e.g. a calibrated posterior); each group of worlds takes one row. worlds_per_draw: the
    nested design, groups of that many consecutive worlds share one parameter draw (it divides
    the random-stream block, so chunking stays exact), which lets the law of total variance
    split ignorance (between groups) from luck (within).
    """

    distributions: Mapping[str, Distribution] = field(default_factory=dict)
    table: tuple[tuple[str, ...], tuple[tuple[float, ...], ...]] | None = None
    worlds_per_draw: int = 10


@dataclass(frozen=True)
class ModelConfig:
    """Everything a run needs besides worlds and seed."""

    actors: tuple[ActorSpec, ...]
    start: int
    end: int
    params: Mapping[str, float] = field(default_factory=dict)
    policies: Policies = field(default_factory=Policies)
    shocks: tuple[Shock, ...] = ()
    # None: every parameter fixed at its value (the model-level default, old behaviour).
    uncertainty: ParameterUncertainty | None = None
    administrations: Administrations = field(default_factory=Administrations)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        roles = [a.role for a in self.actors]
        for role in roles:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if roles.count("leader") != 1 or roles.count("challenger") != 1:
            raise ValueError("a scenario needs exactly one leader and one challenger")
        codes = [a.code for a in self.actors]
        if len(set(codes)) != len(codes):
            raise ValueError("actor codes must be unique")
        for spec in self.actors:
            desired = spec.params.get("defence_share_desired", USE_OBSERVED_SHARE)
            problem = value_problem("defence_share_desired", desired)
            if problem:
                raise ValueError(f"{spec.code}: {problem}")
        # A plain dict (not a mappingproxy) so configs pickle to worker processes and Dask.
        object.__setattr__(self, "params", self.global_values())

    @property
    def periods(self) -> int:
        return self.end - self.start + 1

    def global_values(self) -> dict[str, float]:
        """Defaults overlaid with this config's global parameters."""
        values = global_defaults()
        for name, value in dict(self.params).items():
            if name not in values:
                raise KeyError(f"unknown global parameter {name!r}")
            values[name] = float(value)
        return values

    def actor(self, code: str) -> ActorSpec:
        for spec in self.actors:
            if spec.code == code:
                return spec
        raise KeyError(code)


def actor_defaults() -> dict[str, float]:
    """Generic defaults of actor parameters (country values come from lynchpin/data)."""
    return {p.name: p.default for p in ACTOR_PARAMS}
